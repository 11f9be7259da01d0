package ru.b24connector.registration;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;
import ru.b24connector.process.ProcessDefinitions;
import ru.b24connector.testsupport.CleanSlate;
import ru.b24connector.testsupport.FakeCrm;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.quarkus.narayana.jta.QuarkusTransaction.requiringNew;
import static org.assertj.core.api.Assertions.assertThat;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

/** A newcomer's portal gets the reclamation pipeline, its stages and fields; a second run creates nothing. */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class ProvisioningTests {

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    PortalProvisioner provisioner;

    @Inject
    ProcessDefinitions processes;

    @Inject
    EntityManager em;

    @Test
    void createsWhatIsMissingOnceAndMatchesWhatExists() {
        CleanSlate.reset();
        portal.resetAll();
        FakeCrm.reset();
        requiringNew().run(() -> em.createNativeQuery("DELETE FROM registration_state WHERE kind = 'category'").executeUpdate());
        portal.stubFor(portalCall("batch").willReturn(aResponse().withTransformers(FakeCrm.NAME)));
        portal.stubFor(portalCall("crm.category.list").willReturn(ok("{\"categories\":[{\"id\":0,\"name\":\"Общая\",\"isDefault\":\"Y\"}]}")));
        portal.stubFor(portalCall("crm.category.add").willReturn(ok("{\"category\":{\"id\":7,\"name\":\"Рекламации\"}}")));
        // a new pipeline comes with the portal's default stages; a field exists already
        Set<String> defaults = ConcurrentHashMap.newKeySet();
        defaults.addAll(Set.of("C7:NEW", "C7:PREPARATION", "C7:WON", "C7:LOSE"));
        FakeCrm.stages.put("DEAL_STAGE_7", defaults);
        FakeCrm.dealFields.add("UF_CRM_B24C_DECISION");

        PortalProvisioner.Report first = provisioner.provision();

        assertThat(first.categoryId()).isEqualTo(7);
        assertThat(first.created()).contains("pipeline Рекламации", "field UF_CRM_B24C_DEALER_CLAIM_ID", "field UF_CRM_B24C_DEALER_INN")
                .doesNotContain("stage NEW", "field UF_CRM_B24C_DECISION");
        assertThat(first.created()).anyMatch(c -> c.startsWith("stage "));
        portal.verify(1, postRequestedFor(urlPathEqualTo(PortalWireMock.WEBHOOK_PATH + "crm.category.add"))
                .withRequestBody(matchingJsonPath("$.entityTypeId", com.github.tomakehurst.wiremock.client.WireMock.equalTo("2"))));
        assertThat(processes.current().pipelines()).containsKey(7);
        long stagesAdded = FakeCrm.created("crm.status.add");
        long fieldsAdded = FakeCrm.created("crm.deal.userfield.add");

        PortalProvisioner.Report second = provisioner.provision();

        assertThat(second.created()).isEmpty();
        assertThat(FakeCrm.created("crm.status.add")).isEqualTo(stagesAdded);
        assertThat(FakeCrm.created("crm.deal.userfield.add")).isEqualTo(fieldsAdded);
        portal.verify(1, postRequestedFor(urlPathEqualTo(PortalWireMock.WEBHOOK_PATH + "crm.category.add")));
    }

    @Test
    @org.junit.jupiter.api.DisplayName("crm.deal.userfield.list pages by 50 (crm/deals/user-defined-fields/crm-deal-userfield-list.md):"
            + " fields on page 2 exist, nothing is added twice")
    void fieldsBeyondTheFirstPageAreFoundNotAddedAgain() {
        CleanSlate.reset();
        portal.resetAll();
        FakeCrm.reset();
        portal.stubFor(portalCall("batch").willReturn(aResponse().withTransformers(FakeCrm.NAME)));
        portal.stubFor(portalCall("crm.deal.userfield.list").willReturn(aResponse().withTransformers(FakeCrm.NAME)));
        portal.stubFor(portalCall("crm.category.list").willReturn(ok("{\"categories\":[{\"id\":7,\"name\":\"Рекламации\"}]}")));
        requiringNew().run(() -> em.createNativeQuery("DELETE FROM registration_state WHERE kind = 'category'").executeUpdate());
        provisioner.provision();
        // the portal has 60 other deal fields, listed before ours (the stand-in sorts by name)
        for (int i = 0; i < 60; i++) {
            FakeCrm.dealFields.add(String.format("UF_CRM_A%03d", i));
        }
        long added = FakeCrm.created("crm.deal.userfield.add");

        PortalProvisioner.Report again = provisioner.provision();

        assertThat(again.created()).isEmpty();
        assertThat(FakeCrm.created("crm.deal.userfield.add")).isEqualTo(added);
        portal.verify(1, postRequestedFor(urlPathEqualTo(PortalWireMock.WEBHOOK_PATH + "crm.deal.userfield.list"))
                .withRequestBody(matchingJsonPath("$.start", com.github.tomakehurst.wiremock.client.WireMock.equalTo("50"))));
    }
}
