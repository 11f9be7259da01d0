package ru.b24connector.reclamation;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
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

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

/** Process A's third way in: a manager types a claim into the reclamation pipeline by hand. */
@QuarkusTest
@TestProfile(ManualDealListenerTests.ReclamationPipeline.class)
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class ManualDealListenerTests {

    /** The reclamation pipeline is category 3. One Quarkus restart. */
    public static class ReclamationPipeline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("b24.reclamation-category-id", "3");
        }
    }

    private static final String UPDATE = PortalWireMock.WEBHOOK_PATH + "crm.deal.update";

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    JobWorker worker;

    @BeforeEach
    void fresh() {
        CleanSlate.reset();
        portal.resetAll();
        FakeCrm.reset();
        portal.stubFor(portalCall("batch").willReturn(aResponse().withTransformers(FakeCrm.NAME)));
        portal.stubFor(portalCall("crm.deal.update").willReturn(ok("true")));
        portal.stubFor(portalCall("crm.deal.contact.add").willReturn(ok("true"))); // crm-deal-contact-add.md
    }

    @Test
    void aDealTypedInByHandGetsItsDealersCompanyAndContact() {
        long deal = 700_000 + ThreadLocalRandom.current().nextInt(100_000);
        String inn = ReclamationIntakeTests.newInn();
        stubDeal(deal, "3", "0", inn, "Манул Дилер", "Анна Смирнова", "Anna@Manul.ru", "8 912 000-11-22");

        deliver(deal);

        assertThat(FakeCrm.created("crm.company.add")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.contact.add")).isEqualTo(1);
        portal.verify(postRequestedFor(urlPathEqualTo(PortalWireMock.WEBHOOK_PATH + "batch"))
                .withRequestBody(containing("crm.contact.add?")).withRequestBody(containing("anna%40manul.ru"))
                .withRequestBody(containing("%2B79120001122")).withRequestBody(containing("RQ_INN]=" + inn)));
        long company = FakeCrm.companyByInn.get(inn);
        portal.verify(postRequestedFor(urlPathEqualTo(UPDATE)).withRequestBody(equalToJson(
                "{\"id\": " + deal + ", \"fields\": {\"COMPANY_ID\": " + company + "}}", true, true)));
        // the contact is linked with crm.deal.contact.add, never the deprecated CONTACT_ID (crm-deal-update.md)
        portal.verify(0, postRequestedFor(urlPathEqualTo(UPDATE)).withRequestBody(containing("CONTACT_ID")));
        portal.verify(postRequestedFor(urlPathEqualTo(PortalWireMock.WEBHOOK_PATH + "crm.deal.contact.add"))
                .withRequestBody(equalToJson("{\"id\": " + deal + ", \"fields\": {\"CONTACT_ID\": "
                        + FakeCrm.contactByEmail.get("anna@manul.ru") + ", \"IS_PRIMARY\": \"Y\"}}")));
    }

    @Test
    void anInnWithoutEMailOrPhoneIsEnoughToFindTheCompany() {
        long deal = 800_000 + ThreadLocalRandom.current().nextInt(100_000);
        String inn = "7728451192";
        FakeCrm.companyByInn.put(inn, 4242L);
        stubDeal(deal, "3", "0", inn, "", "", "", "");

        deliver(deal);

        assertThat(FakeCrm.created("crm.company.add")).isZero();
        portal.verify(postRequestedFor(urlPathEqualTo(UPDATE)).withRequestBody(equalToJson(
                "{\"id\": " + deal + ", \"fields\": {\"COMPANY_ID\": 4242}}", true, true)));
    }

    @Test
    void aDealWithACompanyOrInAnotherPipelineIsLeftAlone() {
        long withCompany = 900_000 + ThreadLocalRandom.current().nextInt(50_000);
        long elsewhere = withCompany + 50_000;
        stubDeal(withCompany, "3", "17", "7707083893", "Манул Дилер", "Анна", "anna@manul.ru", "");
        stubDeal(elsewhere, "0", "0", "7707083893", "Манул Дилер", "Анна", "anna@manul.ru", "");

        deliver(withCompany);
        deliver(elsewhere);

        portal.verify(0, postRequestedFor(urlPathEqualTo(UPDATE)));
        assertThat(FakeCrm.created("crm.company.add")).isZero();
    }

    private void stubDeal(long id, String category, String companyId, String inn, String company, String contact,
                          String email, String phone) {
        portal.stubFor(portalCall("crm.deal.get").withRequestBody(containing("\"id\":" + id)).willReturn(ok("""
                {"ID": "%d", "CATEGORY_ID": "%s", "STAGE_ID": "C%s:NEW", "COMPANY_ID": "%s",
                 "UF_CRM_B24C_DEALER_INN": "%s", "UF_CRM_B24C_DEALER_COMPANY": "%s", "UF_CRM_B24C_DEALER_CONTACT": "%s",
                 "UF_CRM_B24C_DEALER_EMAIL": "%s", "UF_CRM_B24C_DEALER_PHONE": "%s"}"""
                .formatted(id, category, category, companyId, inn, company, contact, email, phone))));
    }

    private void deliver(long deal) {
        given().contentType(ContentType.URLENC).body(PortalForms.event("ONCRMDEALADD", deal).asForm())
                .post("/b24/events").then().statusCode(200);
        for (int i = 0; i < 3; i++) {
            worker.runDue();
        }
    }
}
