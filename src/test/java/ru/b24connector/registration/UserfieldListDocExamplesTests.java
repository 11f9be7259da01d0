package ru.b24connector.registration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ru.b24connector.testsupport.CleanSlate;
import ru.b24connector.testsupport.FakeCrm;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.not;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.quarkus.narayana.jta.QuarkusTransaction.requiringNew;
import static org.assertj.core.api.Assertions.assertThat;
import static ru.b24connector.testsupport.PortalStubs.fixture;
import static ru.b24connector.testsupport.PortalStubs.json;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

/**
 * {@code crm.deal.userfield.list}, replaying the documentation's example answer
 * ({@code crm/deals/user-defined-fields/crm-deal-userfield-list.md}; copy in src/test/resources/b24/docs/) as the first
 * page of a longer list: 50 a page, {@code total}, and {@code next} (in a batch: {@code result_total},
 * {@code result_next}, {@code batch.md}).
 */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class UserfieldListDocExamplesTests {

    private static final String HOOK = PortalWireMock.WEBHOOK_PATH;

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    PortalProvisioner provisioner;

    @Inject
    EntityManager em;

    @Test
    @DisplayName("The docs' fields as page 1 of 55 (next 50), our decision field on page 2: it is matched, not added")
    void aFieldOnTheSecondPageIsMatched() throws Exception {
        CleanSlate.reset();
        portal.resetAll();
        FakeCrm.reset();
        requiringNew().run(() -> em.createNativeQuery("DELETE FROM registration_state WHERE kind = 'category'").executeUpdate());
        portal.stubFor(portalCall("crm.category.list").willReturn(ok("{\"categories\":[{\"id\":7,\"name\":\"Рекламации\"}]}")));
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode docs = (ObjectNode) mapper.readTree(fixture("/b24/docs/crm.deal.userfield.list.json"));
        ObjectNode inner = mapper.createObjectNode();
        inner.set("result", mapper.createObjectNode().<ObjectNode>set("stages", mapper.createArrayNode())
                .set("fields", docs.get("result")));
        inner.set("result_error", mapper.createArrayNode());
        inner.set("result_total", mapper.createObjectNode().put("stages", 0).put("fields", 55));
        inner.set("result_next", mapper.createObjectNode().put("fields", 50));
        inner.set("result_time", mapper.createArrayNode());
        ObjectNode envelope = mapper.createObjectNode();
        envelope.set("result", inner);
        envelope.set("time", docs.get("time"));
        portal.stubFor(portalCall("batch").atPriority(1).withRequestBody(matchingJsonPath("$.cmd.fields"))
                .willReturn(json(200, mapper.writeValueAsString(envelope))));
        portal.stubFor(portalCall("batch").atPriority(5).willReturn(aResponse().withTransformers(FakeCrm.NAME)));
        ObjectNode second = docs.deepCopy();
        ((ObjectNode) second.get("result").get(0)).put("FIELD_NAME", "UF_CRM_B24C_DECISION").put("USER_TYPE_ID", "string");
        second.put("total", 55);
        portal.stubFor(portalCall("crm.deal.userfield.list")
                .withRequestBody(matchingJsonPath("$.start", com.github.tomakehurst.wiremock.client.WireMock.equalTo("50")))
                .willReturn(json(200, mapper.writeValueAsString(second))));

        PortalProvisioner.Report report = provisioner.provision();

        assertThat(report.created()).contains("field UF_CRM_B24C_DEALER_CLAIM_ID").doesNotContain("field UF_CRM_B24C_DECISION");
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "batch"))
                .withRequestBody(containing("crm.deal.userfield.add"))
                .withRequestBody(not(containing("FIELD_NAME%5D=B24C_DECISION&")))
                .withRequestBody(not(containing("FIELD_NAME]=B24C_DECISION&"))));
    }
}
