package ru.b24connector.onec;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.mail.Decision;
import ru.b24connector.mail.DecisionMailService;
import ru.b24connector.testsupport.CleanSlate;
import ru.b24connector.testsupport.FakeCrm;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.OneCWireMock;
import ru.b24connector.testsupport.PortalWireMock;

import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static ru.b24connector.onec.OneCTestData.basic;
import static ru.b24connector.onec.OneCTestData.inn;
import static ru.b24connector.onec.OneCTestData.reclamation;
import static ru.b24connector.onec.OneCTestData.ref;
import static ru.b24connector.onec.OneCTestData.withBom;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OneCWireMock.class, scope = TestResourceScope.GLOBAL)
class OneCPushTests {

    private static final String TOKEN = "test-1c-token";
    private static final String BATCH = PortalWireMock.WEBHOOK_PATH + "batch";

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    JobWorker worker;

    @Inject
    ru.b24connector.outage.DependencyProbes probes;

    @Inject
    DecisionMailService decisions;

    @BeforeEach
    void freshPortal() {
        CleanSlate.reset();
        portal.resetAll();
        FakeCrm.reset();
        OneCWireMock.server().resetAll();
        OneCTestData.settingsChanged();
        OneCTestData.stubPortal(portal);
    }

    @Test
    void aReclamationWithABomAndLocalDatesBecomesOneDealWithCompanyContactAndRows() {
        String docRef = ref();
        String inn = inn();
        push("reclamations", withBom(reclamation(docRef, ref(), inn)), basic("1c", TOKEN))
                .statusCode(202).body("status", org.hamcrest.Matchers.equalTo("accepted"))
                .body("statusUrl", org.hamcrest.Matchers.equalTo("/api/v1/1c/reclamations/" + docRef));

        worker.runDue();

        assertThat(FakeCrm.created("crm.company.add")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.requisite.add")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.contact.add")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.deal.productrows.set")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.timeline.comment.add")).isEqualTo(1);
        portal.verify(postRequestedFor(urlPathEqualTo(BATCH)).withRequestBody(containing("crm.deal.add?"))
                .withRequestBody(containing("fields[ORIGINATOR_ID]=1c"))
                .withRequestBody(containing("fields[ORIGIN_ID]=" + docRef))
                // 1C's local 10:00 read in Europe/Moscow
                .withRequestBody(containing("fields[BEGINDATE]=2024-05-01T10%3A00%2B03%3A00"))
                .withRequestBody(containing("fields[OPPORTUNITY]=48500"))
                .withRequestBody(containing("fields[UF_CRM_B24C_DEALER_CLAIM_ID]=" + enc("РК-000381"))));
        portal.verify(postRequestedFor(urlPathEqualTo(BATCH)).withRequestBody(containing("crm.contact.add?"))
                .withRequestBody(containing("fields[PHONE][0][VALUE]=%2B79135551234"))
                .withRequestBody(containing("i.petrov%40sever-auto.ru")));
        portal.verify(postRequestedFor(urlPathEqualTo(BATCH)).withRequestBody(containing("crm.deal.productrows.set?"))
                .withRequestBody(containing(enc("Редуктор GBX-24 (GBX-24), S/N GBX-24-0017731"))));
        given().header("Authorization", "Bearer " + TOKEN).get("/api/v1/1c/reclamations/" + docRef.toUpperCase())
                .then().statusCode(200).body("dealId", notNullValue()).body("companyId", notNullValue())
                .body("status", org.hamcrest.Matchers.equalTo("applied"));
    }

    @Test
    void theSameVersionPushedAgainChangesNothing() {
        String docRef = ref();
        String body = reclamation(docRef, ref(), inn());
        long first = push("reclamations", body.getBytes(), "Bearer " + TOKEN).statusCode(202)
                .extract().jsonPath().getLong("exchangeId");
        worker.runDue();
        // 1C's queue resends after a lost answer, and once more before the first apply of another copy finished
        push("reclamations", body.getBytes(), "Bearer " + TOKEN).statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("duplicate"))
                .body("exchangeId", org.hamcrest.Matchers.equalTo((int) first));
        push("reclamations", withBom(body), basic("1c", TOKEN)).statusCode(200);
        worker.runDue();

        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.deal.update")).isZero();
        assertThat(FakeCrm.created("crm.company.add")).isEqualTo(1);
    }

    @Test
    void tenSimultaneousPushesOfOneDocumentAreStoredOnceAndMakeOneDeal() throws Exception {
        String body = reclamation(ref(), ref(), inn());
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(10);
        java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answers.add(senders.submit(() -> push("reclamations", body.getBytes(), "Bearer " + TOKEN).extract().statusCode()));
        }
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        for (var answer : answers) {
            statuses.add(answer.get());
        }
        senders.shutdown();
        worker.runDue();

        assertThat(statuses).containsOnly(200, 202).filteredOn(c -> c == 202).hasSize(1);
        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.company.add")).isEqualTo(1);
    }

    @Test
    void aDealCreatedWhoseAnswerWasLostIsFoundByItsRefNotCreatedAgain() {
        // the portal creates the deal, rows and comment, but its answer arrives after the client gave up
        portal.stubFor(portalCall("batch").withRequestBody(containing("crm.deal.add")).atPriority(1)
                .inScenario("lost answer").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(aResponse().withTransformers(FakeCrm.NAME).withFixedDelay(2600)).willSetStateTo("answered"));
        String docRef = ref();
        push("reclamations", reclamation(docRef, ref(), inn()).getBytes(), "Bearer " + TOKEN).statusCode(202);

        for (int i = 0; i < 3; i++) {
            worker.runDue();
            probes.runOnce(); // no answer in time is the portal being down: the job waits until its probe answers
        }

        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.timeline.comment.add")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.deal.update")).isEqualTo(1);
        given().header("Authorization", "Bearer " + TOKEN).get("/api/v1/1c/reclamations/" + docRef)
                .then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("applied"))
                .body("dealId", org.hamcrest.Matchers.equalTo(FakeCrm.dealByOrigin.get("1c/" + docRef).intValue()));
    }

    @Test
    void anUpdateChangesTheExistingDealItsRowsAndStatus() {
        String docRef = ref();
        String cpRef = ref();
        String inn = inn();
        push("reclamations", reclamation(docRef, cpRef, inn).getBytes(), "Bearer " + TOKEN).statusCode(202);
        worker.runDue();

        String update = reclamation(docRef, cpRef, inn).replace("AAAABQAAAAA=", "AAAABgAAAAA=")
                .replace("\"НаРассмотрении\"", "\"Решено\"").replace("\"quantity\": 1", "\"quantity\": \"2\"")
                .replace("Редуктор GBX-24\"", "Редуктор GBX-24М\"");
        push("reclamations", update.getBytes(), "Bearer " + TOKEN).statusCode(202);
        worker.runDue();

        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.deal.update")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.company.add")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.timeline.comment.add")).isEqualTo(1);
        portal.verify(postRequestedFor(urlPathEqualTo(BATCH)).withRequestBody(containing("crm.deal.update?"))
                .withRequestBody(containing("fields[UF_CRM_B24C_ONEC_STATUS]=" + enc("Решено")))
                .withRequestBody(containing("fields[STAGE_ID]=C3%3AWON"))
                .withRequestBody(containing(enc("Редуктор GBX-24М"))).withRequestBody(containing("[QUANTITY]=2")));
        // the first version's status (НаРассмотрении) maps to no stage: the deal opened in the pipeline's first one
        portal.verify(postRequestedFor(urlPathEqualTo(BATCH)).withRequestBody(containing("crm.deal.add?"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.notContaining("STAGE_ID")));
        given().header("Authorization", "Bearer test-admin-token")
                .get("/admin/1c/exchange?ref=" + docRef).then().statusCode(200)
                .body("entries.status", hasItems("APPLIED")).body("entries.size()", org.hamcrest.Matchers.equalTo(2));
    }

    @Test
    void aCounterpartyPushFindsItsCompanyByInnInsteadOfCreatingOne() {
        String inn = inn();
        FakeCrm.companyByInn.put(inn, 4501L);
        String body = """
                {"source": "1c-ut11", "event": "counterparty.changed",
                 "counterparty": {"ref": "%s", "dataVersion": "AAAAAQAAAAA=", "name": "Автотехцентр Север ООО",
                   "legalForm": "ЮридическоеЛицо", "inn": "%s", "kpp": "772801001"}}""".formatted(ref().toUpperCase(), inn);
        String ref = push("counterparties", body.getBytes(), basic("Обмен", TOKEN)).statusCode(202)
                .extract().jsonPath().getString("ref");
        worker.runDue();

        assertThat(FakeCrm.created("crm.company.add")).isZero();
        assertThat(FakeCrm.created("crm.contact.add")).isZero();
        // the found company takes 1C's name as its title
        portal.verify(postRequestedFor(urlPathEqualTo(PortalWireMock.WEBHOOK_PATH + "batch"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matching(
                        ".*crm\\.company\\.update\\?([^\"]*&)?id=4501[&\"].*")));
        given().header("Authorization", "Bearer " + TOKEN).get("/api/v1/1c/counterparties/" + ref)
                .then().statusCode(200).body("companyId", org.hamcrest.Matchers.equalTo(4501));
    }

    @Test
    void aBadRecordIsRefusedWithEveryBrokenRuleLoggedAndChangesNothing() {
        String docRef = ref();
        String bad = reclamation(docRef, ref(), "7728451193").replace("\"2024-05-01T10:00:00\"", "\"01.05.2024\"");
        push("reclamations", bad.getBytes(), "Bearer " + TOKEN).statusCode(400)
                .body("errors.field", hasItems("reclamation.counterparty.inn", "reclamation.date"))
                .body("errors.rule", hasItems("inn-checksum", "date-time"));
        push("reclamations", "{\"reclamation\": ".getBytes(), "Bearer " + TOKEN).statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("body"));
        worker.runDue();

        assertThat(FakeCrm.created("crm.deal.add")).isZero();
        assertThat(FakeCrm.created("crm.company.add")).isZero();
        given().header("Authorization", "Bearer test-admin-token").get("/admin/1c/exchange?status=REJECTED&ref=" + docRef)
                .then().statusCode(200).body("entries[0].direction", org.hamcrest.Matchers.equalTo("PUSH"))
                .body("entries[0].error", containsString("inn-checksum"));
    }

    @Test
    void withoutTheTokenOneCIsChallengedForBasicCredentials() {
        String body = reclamation(ref(), ref(), inn());
        given().body(body).contentType("application/json; charset=utf-8").post("/api/v1/1c/reclamations")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Basic realm=\"b24-connector\""));
        push("reclamations", body.getBytes(), basic("1c", "wrong")).statusCode(401);
        push("counterparties", body.getBytes(), "Bearer wrong").statusCode(401);
        assertThat(FakeCrm.created("crm.deal.add")).isZero();
    }

    @Test
    void aDecisionMadeInThePortalIsWrittenBackToTheDocument() throws Exception {
        String docRef = ref();
        push("reclamations", reclamation(docRef, ref(), inn()).getBytes(), "Bearer " + TOKEN).statusCode(202);
        worker.runDue();
        long dealId = given().header("Authorization", "Bearer " + TOKEN).get("/api/v1/1c/reclamations/" + docRef)
                .then().extract().jsonPath().getLong("dealId");
        String document = OneCWireMock.path("Document_РекламацияДилера") + "(guid'" + docRef + "')";
        OneCWireMock.server().stubFor(WireMock.patch(urlPathEqualTo(document)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json;charset=utf-8")
                .withBody("{\"odata.metadata\": \"http://1c/ut/odata/standard.odata/$metadata#Document_РекламацияДилера/@Element\","
                        + " \"Ref_Key\": \"" + docRef + "\", \"DataVersion\": \"AAAABwAAAAA=\"}")));

        decisions.requestDecisionMail(dealId, Decision.APPROVED, "Ремонт по гарантии", Optional.of("dealer@example.ru"),
                "test:decision:" + docRef);
        worker.runDue();

        OneCWireMock.server().verify(1, patchRequestedFor(urlPathEqualTo(document))
                .withQueryParam("$format", equalTo("json"))
                .withHeader("Authorization", equalTo(basic(OneCWireMock.USER, OneCWireMock.PASSWORD)))
                .withRequestBody(equalToJson("{\"Решение\": \"Удовлетворена\", \"КомментарийРешения\": \"Ремонт по гарантии\"}",
                        true, true)));
        given().header("Authorization", "Bearer test-admin-token").get("/admin/1c/exchange?direction=WRITE&ref=" + docRef)
                .then().statusCode(200).body("entries[0].status", org.hamcrest.Matchers.equalTo("SENT"))
                .body("entries[0].dealId", org.hamcrest.Matchers.equalTo((int) dealId));
    }

    @Test
    void aWriteBackThatOneCRefusesIsLoggedWithOneCsMessage() {
        String docRef = ref();
        push("reclamations", reclamation(docRef, ref(), inn()).getBytes(), "Bearer " + TOKEN).statusCode(202);
        worker.runDue();
        long dealId = given().header("Authorization", "Bearer " + TOKEN).get("/api/v1/1c/reclamations/" + docRef)
                .then().extract().jsonPath().getLong("dealId");
        OneCWireMock.server().stubFor(WireMock.patch(WireMock.anyUrl()).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json;charset=utf-8")
                .withBody("{\"odata.error\": {\"code\": \"-1\", \"message\": {\"lang\": \"ru\", \"value\": \"Неверное значение перечисления\"}}}")));

        decisions.requestDecisionMail(dealId, Decision.REJECTED, "", Optional.of("dealer@example.ru"), "test:refused:" + docRef);
        worker.runDue();

        given().header("Authorization", "Bearer test-admin-token").get("/admin/1c/exchange?direction=WRITE&ref=" + docRef)
                .then().statusCode(200).body("entries[0].status", org.hamcrest.Matchers.equalTo("FAILED"))
                .body("entries[0].error", containsString("Неверное значение перечисления"));
    }

    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    private double ignoredPushes() {
        var counter = metrics.find("connector.onec.records").tags("direction", "push", "kind", "reclamation",
                "outcome", "ignored").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aDocumentMarkedForDeletionInOneCLeavesItsDealAsItIsAndIsLoggedIgnored() {
        double ignoredBefore = ignoredPushes();
        String docRef = ref();
        String cpRef = ref();
        String inn = inn();
        push("reclamations", reclamation(docRef, cpRef, inn).getBytes(), "Bearer " + TOKEN).statusCode(202);
        worker.runDue();
        String marked = reclamation(docRef, cpRef, inn).replace("\"dataVersion\": \"AAAABQAAAAA=\"",
                "\"dataVersion\": \"AAAABgAAAAA=\", \"deletionMark\": true");
        assertThat(marked).contains("deletionMark");
        push("reclamations", marked.getBytes(), "Bearer " + TOKEN).statusCode(202);
        worker.runDue();

        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.deal.update")).as("the deal is left as it is").isZero();
        given().header("Authorization", "Bearer test-admin-token").get("/admin/1c/exchange?ref=" + docRef + "&status=IGNORED")
                .then().statusCode(200).body("entries.size()", org.hamcrest.Matchers.equalTo(1))
                .body("entries[0].error", containsString("marked for deletion"));
        assertThat(ignoredPushes() - ignoredBefore).as("connector_onec_records_total{outcome=ignored}").isEqualTo(1);
    }

    @Test
    void aBodyInTheCharsetItsContentTypeNamesIsReadInThatCharset() {
        String docRef = ref();
        byte[] cp1251 = reclamation(docRef, ref(), inn()).getBytes(java.nio.charset.Charset.forName("windows-1251"));
        given().header("Authorization", "Bearer " + TOKEN).contentType("application/json; charset=windows-1251")
                .body(cp1251).post("/api/v1/1c/reclamations").then().statusCode(202);

        worker.runDue();

        portal.verify(postRequestedFor(urlPathEqualTo(BATCH)).withRequestBody(containing("crm.deal.add?"))
                .withRequestBody(containing("fields[UF_CRM_B24C_DEALER_CLAIM_ID]=" + enc("РК-000381"))));
    }

    private static ValidatableResponse push(String what, byte[] body, String authorization) {
        return given().header("Authorization", authorization).contentType("application/json; charset=utf-8")
                .body(body).post("/api/v1/1c/" + what).then();
    }

    private static String enc(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }
}
