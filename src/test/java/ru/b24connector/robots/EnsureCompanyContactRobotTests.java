package ru.b24connector.robots;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.testsupport.CleanSlate;
import ru.b24connector.testsupport.FakeCrm;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalForms;
import ru.b24connector.testsupport.PortalWireMock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class EnsureCompanyContactRobotTests {

    private static final String HOOK = PortalWireMock.WEBHOOK_PATH;

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    JobWorker worker;

    @BeforeEach
    void portal() {
        CleanSlate.reset();
        portal.resetAll();
        FakeCrm.reset();
        portal.stubFor(portalCall("batch").willReturn(aResponse().withTransformers(FakeCrm.NAME)));
        portal.stubFor(portalCall("crm.deal.update").willReturn(ok("true")));
        portal.stubFor(portalCall("crm.deal.contact.add").willReturn(ok("true"))); // crm-deal-contact-add.md
        portal.stubFor(portalCall("bizproc.event.send").willReturn(ok("true")));
    }

    @Test
    void findsOrCreatesTheDealerOnceAndLinksItToTheDeal() {
        String inn = "7736050003";
        call(501, "ecc-1", inn);
        call(502, "ecc-2", inn);

        assertThat(FakeCrm.created("crm.company.add")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.contact.add")).isEqualTo(1);
        long companyId = FakeCrm.companyByInn.get(inn);
        long contactId = FakeCrm.contactByEmail.get("dealer@tehnosnab.ru");
        // CONTACT_ID of a deal is deprecated (crm/deals/crm-deal-update.md): the contact is linked with
        // crm.deal.contact.add, which leaves the deal's other contacts alone; no auth_connector without offline events
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.update"))
                .withRequestBody(equalToJson("{\"id\":502,\"fields\":{\"COMPANY_ID\":" + companyId + "}}")));
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.contact.add"))
                .withRequestBody(equalToJson("{\"id\":502,\"fields\":{\"CONTACT_ID\":" + contactId
                        + ",\"IS_PRIMARY\":\"Y\"}}")));
        portal.verify(postRequestedFor(urlPathEqualTo(HOOK + "bizproc.event.send")).withRequestBody(equalToJson(
                "{\"EVENT_TOKEN\":\"ecc-2\",\"RETURN_VALUES\":{\"company_id\":" + companyId + ",\"contact_id\":" + contactId
                        + "},\"LOG_MESSAGE\":\"Company " + companyId + " and contact " + contactId + " linked\"}")));
    }

    @Test
    void aWrongInnIsReportedToTheRobotLogAndChangesNothing() {
        call(503, "ecc-bad", "7707083894");

        assertThat(FakeCrm.created("crm.company.add")).isZero();
        portal.verify(0, postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.update")));
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "bizproc.event.send"))
                .withRequestBody(containing("invalid input: inn: is not a valid INN: 7707083894")));
    }

    private void call(long deal, String token, String inn) {
        given().contentType(ContentType.URLENC).body(PortalForms.robot("ensure_company_contact", deal, token)
                        .property("company_title", "ООО «Техноснаб»").property("inn", inn)
                        .property("contact_name", "Иван Петров").property("email", "dealer@tehnosnab.ru")
                        .property("phone", "8 (912) 345-67-89").asForm())
                .post("/b24/robots/ensure_company_contact").then().statusCode(200);
        worker.runDue();
    }
}
