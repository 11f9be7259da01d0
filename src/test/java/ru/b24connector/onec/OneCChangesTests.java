package ru.b24connector.onec;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.mail.Decision;
import ru.b24connector.mail.DecisionMailService;
import ru.b24connector.testsupport.FakeCrm;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.OneCInfobase;
import ru.b24connector.testsupport.OneCWireMock;
import ru.b24connector.testsupport.PortalWireMock;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static ru.b24connector.onec.OneCTestData.inn;
import static ru.b24connector.onec.OneCTestData.ref;

/**
 * Seeing every change in a 1C infobase (reference/1c-integration.md §1.9–1.10, 1C:Enterprise 8.3.27 chapter 17.4):
 * the exchange plan's feed (17.4.13.3) and, without one, the DataVersion scan; the echo of the service's own write;
 * record-level access (17.4.5.4); {@code /$count} (17.4.6.1); {@code $select} and products (17.4.3). The stand-in is
 * {@link OneCInfobase}, which answers as those sections document.
 */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OneCWireMock.class, scope = TestResourceScope.GLOBAL)
class OneCChangesTests {

    static final String DOC_SET = "Document_РекламацияДилера";
    static final String CP_SET = "Catalog_Контрагенты";
    static final String DOCUMENTS = OneCWireMock.path(DOC_SET);
    static final String COUNTERPARTIES = OneCWireMock.path(CP_SET);
    static final String PRODUCTS = OneCWireMock.path("Catalog_Номенклатура");
    static final String PLAN = "ExchangePlan_ОбменСB24Connector";
    static final String BATCH = PortalWireMock.WEBHOOK_PATH + "batch";
    static final String GEAR = "1a6f0c55-6b2d-11ee-b962-0242ac120002";
    static final String SEAL = "1a6f0c56-6b2d-11ee-b962-0242ac120002";

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    OneCPull pull;

    @Inject
    OneCChangeScan scan;

    @Inject
    OneCExchangePlan plan;

    @Inject
    JobWorker worker;

    @Inject
    DecisionMailService decisions;

    @Inject
    EntityManager em;

    WireMockServer onec;
    OneCInfobase db;
    String cp;

    @BeforeEach
    void fresh() {
        onec = OneCTestData.freshExchange(portal, em);
        db = OneCWireMock.db();
        db.put("Catalog_Номенклатура", "{\"Ref_Key\": \"" + GEAR + "\", \"Description\": \"Редуктор GBX-24\", \"IsFolder\": false}");
        db.put("Catalog_Номенклатура", "{\"Ref_Key\": \"" + SEAL + "\", \"Description\": \"Сальник 45x62\", \"IsFolder\": false}");
        cp = ref();
        db.put(CP_SET, counterparty(cp, inn()));
    }

    @AfterEach
    void noPlan() {
        plan.useInTests(null);
    }

    @Test
    @DisplayName("Without a plan, a status changed a month after the document's date reaches the deal within one scan (§1.9)")
    void aStatusChangedAMonthLaterReachesTheDealWithinOneScan() {
        String doc = ref();
        db.put(DOC_SET, document(doc, cp, "РК-07001", daysAgo(40), "НаРассмотрении"));
        OneCChangeScan.Report first = scan.runOnce();
        worker.runDue();
        assertThat(first.changed()).isEqualTo(1);
        assertThat(FakeCrm.created("crm.deal.add")).as("a document dated before any date window").isEqualTo(1);

        db.change(DOC_SET, doc, Map.of("Статус", "Решено"));
        OneCChangeScan.Report second = scan.runOnce();
        worker.runDue();

        assertThat(second.changed()).isEqualTo(1);
        portal.verify(postRequestedFor(urlPathEqualTo(BATCH)).withRequestBody(containing("crm.deal.update"))
                .withRequestBody(containing("fields[STAGE_ID]=" + enc("C3:WON"))));
        // the scan lists two fields a row; only the changed document is read whole
        onec.verify(getRequestedFor(urlPathEqualTo(DOCUMENTS)).withQueryParam("$select", equalTo("Ref_Key,DataVersion"))
                .withQueryParam("allowedOnly", equalTo("true")));
        assertThat(scan.runOnce().changed()).as("nothing changed since").isZero();
    }

    @Test
    @DisplayName("An exchange plan's message carries a change made a month later; it is acknowledged only once stored (17.4.13.3)")
    void anExchangePlanCarriesEveryChangeAndIsAcknowledgedAfterStoring() {
        String doc = documentUnderPlan("РК-07101", daysAgo(40));

        OneCPull.Report first = pull.runOnce();
        worker.runDue();
        assertThat(first.sets().get(PLAN).complete()).as("message 1 read whole: %s", first.sets().get(PLAN).error()).isTrue();
        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(1);
        assertThat(db.registeredChanges()).as("message 1 acknowledged").isZero();

        // 1C stops answering document reads: message 2 is noted but not acknowledged
        db.change(DOC_SET, doc, Map.of("Статус", "Решено"));
        onec.stubFor(get(urlPathEqualTo(DOCUMENTS)).atPriority(1).willReturn(aResponse().withStatus(503)));
        OneCPull.Report cut = pull.runOnce();
        assertThat(cut.sets().get(PLAN).complete()).isFalse();
        assertThat(db.registeredChanges()).as("not acknowledged: 1C keeps the change").isEqualTo(1);
        assertThat(pendingRows()).isEqualTo(1);

        onec.resetAll();
        OneCWireMock.db();
        onec.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(OneCWireMock.ROOT + ".*"))
                .atPriority(10).willReturn(aResponse().withTransformers("onec-infobase")));
        pull.runOnce();
        worker.runDue();

        portal.verify(postRequestedFor(urlPathEqualTo(BATCH)).withRequestBody(containing("crm.deal.update"))
                .withRequestBody(containing("fields[STAGE_ID]=" + enc("C3:WON"))));
        assertThat(db.registeredChanges()).isZero();
        assertThat(pendingRows()).isZero();
        onec.verify(postRequestedFor(urlPathEqualTo(OneCWireMock.ROOT + "NotifyChangesReceived"))
                .withQueryParam("MessageNo", equalTo("2")));
    }

    @Test
    @DisplayName("A connection closed as SelectChanges went out is sent once more at once; a second break waits for the next run")
    void aConnectionClosedUnderARequestIsSentOnceMore() {
        String doc = documentUnderPlan("РК-07151", daysAgo(2));
        // Apache closes an idle keep-alive connection (KeepAliveTimeout) just as the POST goes out on it
        String selectChanges = OneCWireMock.ROOT + "SelectChanges";
        onec.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo(selectChanges)).atPriority(1)
                .inScenario("keep-alive").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER))
                .willSetStateTo("reconnected"));

        OneCPull.SetReport once = pull.runOnce().sets().get(PLAN);
        assertThat(once.complete()).as("read in the same run: %s", once.error()).isTrue();
        assertThat(db.registeredChanges()).isZero();
        onec.verify(2, postRequestedFor(urlPathEqualTo(selectChanges)).withQueryParam("MessageNo", equalTo("1")));

        db.change(DOC_SET, doc, Map.of("Статус", "Решено"));
        onec.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo(selectChanges)).atPriority(1)
                .willReturn(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        OneCPull.SetReport broken = pull.runOnce().sets().get(PLAN);
        assertThat(broken.complete()).isFalse();
        assertThat(broken.error()).contains("1C not reachable");
        assertThat(db.registeredChanges()).as("kept by 1C for the next run").isEqualTo(1);
        onec.verify(2, postRequestedFor(urlPathEqualTo(selectChanges)).withQueryParam("MessageNo", equalTo("2")));
    }

    @Test
    @DisplayName("SelectChanges that 1C does not answer in time is not sent again at once: 1C is busy, the next run asks")
    void aRequestThatTimedOutIsNotResent() {
        documentUnderPlan("РК-07161", daysAgo(2));
        // a busy 1C (a long lock, its session pool at work): the answer comes after the request's timeout (3 s here)
        String selectChanges = OneCWireMock.ROOT + "SelectChanges";
        onec.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo(selectChanges)).atPriority(1)
                .willReturn(aResponse().withStatus(200).withFixedDelay(4_000)));

        OneCPull.SetReport slow = pull.runOnce().sets().get(PLAN);
        assertThat(slow.complete()).isFalse();
        assertThat(slow.error()).contains("1C not reachable");
        assertThat(db.registeredChanges()).as("kept by 1C for the next run").isEqualTo(1);
        onec.verify(1, postRequestedFor(urlPathEqualTo(selectChanges)));
    }

    @Test
    @DisplayName("The echo of the service's own PATCH (a new DataVersion, the same status) changes nothing in the portal")
    void theEchoOfTheWriteBackChangesNothingInThePortal() {
        String doc = ref();
        db.put(DOC_SET, document(doc, cp, "РК-07201", daysAgo(3), "Решено"));
        scan.runOnce();
        worker.runDue();
        long dealId = given().header("Authorization", "Bearer test-1c-token").get("/api/v1/1c/reclamations/" + doc)
                .then().statusCode(200).extract().jsonPath().getLong("dealId");
        String before = db.object(DOC_SET, doc).path("DataVersion").asText();

        decisions.requestDecisionMail(dealId, Decision.APPROVED, "Ремонт", Optional.of("dealer@example.ru"), "test:echo:" + doc);
        worker.runDue();
        assertThat(db.object(DOC_SET, doc).path("DataVersion").asText()).as("1C wrote the decision").isNotEqualTo(before);
        int updates = dealUpdates();

        assertThat(scan.runOnce().changed()).isEqualTo(1);
        worker.runDue();

        assertThat(dealUpdates()).as("no crm.deal.update: the stage stays where the portal moved it").isEqualTo(updates);
        given().header("Authorization", "Bearer test-admin-token").get("/admin/1c/exchange?status=IGNORED&ref=" + doc)
                .then().statusCode(200).body("entries.size()", org.hamcrest.Matchers.equalTo(1));
    }

    @Test
    @DisplayName("A row the OData user may not see leaves the rest of the page running (allowedOnly=true, 17.4.5.4)")
    void aForbiddenRowDoesNotFailThePage() {
        String seen = ref();
        String hidden = ref();
        db.put(DOC_SET, document(seen, cp, "РК-07301", daysAgo(1), "НаРассмотрении"));
        db.put(DOC_SET, document(hidden, cp, "РК-07302", daysAgo(1), "НаРассмотрении"));
        db.forbid(hidden);

        OneCPull.SetReport report = pull.runOnce().sets().get(DOC_SET);

        assertThat(report.complete()).isTrue();
        assertThat(report.received()).isEqualTo(1);
        onec.verify(0, getRequestedFor(urlPathEqualTo(DOCUMENTS)).withQueryParam("$skip", equalTo("0"))
                .withoutQueryParam("allowedOnly"));
    }

    @Test
    @DisplayName("Totals come from <Set>/$count with a literal slash; %2F gets Apache's 404 (17.4.6.1, §1.10)")
    void theCountIsAskedWithALiteralSlash() {
        db.put(DOC_SET, document(ref(), cp, "РК-07401", daysAgo(1), "НаРассмотрении"));
        pull.runOnce();
        onec.verify(getRequestedFor(urlPathEqualTo(DOCUMENTS + "/$count")).withQueryParam("allowedOnly", equalTo("true")));
        given().header("Authorization", "Bearer test-admin-token").get("/admin/1c/progress").then().statusCode(200)
                .body("sets.find { it.entitySet == '" + DOC_SET + "' }.total", org.hamcrest.Matchers.equalTo(1));
    }

    @Test
    @DisplayName("Pages name what they read in $select; products are read by Ref_Key in one group and kept (17.4.3)")
    void pagesSelectTheirFieldsAndProductsAreReadInGroupsOnce() {
        for (int i = 0; i < 3; i++) {
            db.put(DOC_SET, document(ref(), cp, "РК-0750" + i, daysAgo(1), "НаРассмотрении"));
        }
        pull.runOnce();
        worker.runDue();
        pull.runOnce();

        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(3);
        portal.verify(postRequestedFor(urlPathEqualTo(BATCH)).withRequestBody(containing(enc("Сальник 45x62"))));
        onec.verify(1, getRequestedFor(urlPathEqualTo(PRODUCTS)).withQueryParam("$select", equalTo("Ref_Key,Description")));
        onec.verify(getRequestedFor(urlPathEqualTo(DOCUMENTS)).withQueryParam("$select", containing("Товары/Номенклатура_Key")));
    }

    @Test
    @DisplayName("A refused reference read holds the document; the next run takes it (17.4.10, §1.10)")
    void aRefusedReferenceReadDoesNotRejectTheDocumentForGood() {
        String doc = ref();
        db.put(DOC_SET, document(doc, cp, "РК-07601", daysAgo(1), "НаРассмотрении"));
        onec.stubFor(get(urlPathEqualTo(COUNTERPARTIES)).atPriority(1).willReturn(OneCRefusalTests.error(500, "-1",
                "Объект заблокирован: Контрагент")));

        pull.runOnce();
        worker.runDue();
        assertThat(FakeCrm.created("crm.deal.add")).isZero();
        assertThat(pendingRows()).isEqualTo(1);
        given().header("Authorization", "Bearer test-admin-token").get("/admin/1c/exchange?status=REJECTED&ref=" + doc)
                .then().statusCode(200).body("entries.size()", org.hamcrest.Matchers.equalTo(0));

        onec.removeStub(onec.getStubMappings().stream().filter(m -> m.getPriority() != null && m.getPriority() == 1)
                .findFirst().orElseThrow());
        pull.runOnce();
        worker.runDue();
        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(1);
        assertThat(pendingRows()).isZero();
    }

    @Inject
    OneCMetadataCheck metadataCheck;

    @Test
    @DisplayName("At start every field read or filtered on is checked against $metadata, one line per missing one (17.4.7, §1.10)")
    void aFieldTheInfobaseLacksIsNamedAtStart() {
        db.put(DOC_SET, document(ref(), cp, "РК-07701", daysAgo(1), "НаРассмотрении"));
        assertThat(metadataCheck.check()).isEmpty();

        // УТ 11 names the legal form ЮрФизЛицо: the default name is not in its catalog
        String ut11 = ref();
        db.clear();
        db.put("Catalog_Номенклатура", "{\"Ref_Key\": \"" + GEAR + "\", \"Description\": \"Редуктор GBX-24\"}");
        db.put(DOC_SET, document(ref(), ut11, "РК-07702", daysAgo(1), "НаРассмотрении"));
        db.put(CP_SET, counterparty(ut11, inn()).replace("\"ЮридическоеФизическоеЛицо\": \"ЮридическоеЛицо\"",
                "\"ЮрФизЛицо\": \"ЮрЛицо\""));
        assertThat(metadataCheck.check()).singleElement().asString()
                .contains("Catalog_Контрагенты has no field ЮридическоеФизическоеЛицо")
                .contains("ONEC_COUNTERPARTY_FIELDS_LEGAL_FORM");
    }

    /** The service's node of an exchange plan of documents and counterparties, and a document registered in it. */
    private String documentUnderPlan(String number, String date) {
        db.exchangePlan(PLAN, "9e0b7c1a-7d4e-11ee-b962-0242ac120002", "B24", DOC_SET, CP_SET);
        plan.useInTests("ОбменСB24Connector");
        String doc = ref();
        db.put(DOC_SET, document(doc, cp, number, date, "НаРассмотрении"));
        return doc;
    }

    private long pendingRows() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("SELECT COUNT(*) FROM onec_pending")
                .getSingleResult()).longValue());
    }

    private int dealUpdates() {
        return (int) portal.findAll(postRequestedFor(urlPathEqualTo(BATCH))).stream()
                .filter(r -> r.getBodyAsString().contains("crm.deal.update")).count();
    }

    private static String daysAgo(int days) {
        return LocalDateTime.now(ZoneId.of("Europe/Moscow")).minusDays(days).withNano(0).toString();
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** A document shaped like reference/1c-integration.md §7.2; its lines carry no presentations (17.4.3). */
    static String document(String ref, String counterpartyRef, String number, String date, String status) {
        return """
                {"Ref_Key": "%s", "DataVersion": "AAAABQAAAAA=", "DeletionMark": false, "Number": "%s",
                 "Date": "%s", "Posted": true, "Контрагент_Key": "%s", "Статус": "%s", "Решение": "",
                 "КомментарийРешения": "", "ДатаРешения": "0001-01-01T00:00:00", "СуммаПретензии": 48500,
                 "ОписаниеДефекта": "Течь масла из-под сальника редуктора",
                 "Товары": [{"LineNumber": "1", "Номенклатура_Key": "%s", "Количество": 1,
                             "СерийныйНомер": "GBX-24-0017731", "Дефект": "Течь масла", "Сумма": 40000},
                            {"LineNumber": "2", "Номенклатура_Key": "%s", "Количество": 2,
                             "СерийныйНомер": "", "Дефект": "Износ", "Сумма": 8500}]}"""
                .formatted(ref, number, date, counterpartyRef, status, GEAR, SEAL);
    }

    /** A counterparty shaped like reference/1c-integration.md §7.1. */
    static String counterparty(String ref, String inn) {
        return """
                {"Ref_Key": "%s", "DataVersion": "AAAAAQAAAAA=", "DeletionMark": false,
                 "Parent_Key": "5b1c3e40-7d4e-11ee-b962-0242ac120002", "IsFolder": false, "Code": "00-000154",
                 "Description": "Автотехцентр %s ООО", "НаименованиеПолное": "ООО \\"Автотехцентр\\"",
                 "ЮридическоеФизическоеЛицо": "ЮридическоеЛицо", "ИНН": "%s", "КПП": "772801001",
                 "КонтактнаяИнформация": [
                   {"LineNumber": "1", "Тип": "Телефон", "Представление": "8 (495) 123-45-67"},
                   {"LineNumber": "2", "Тип": "АдресЭлектроннойПочты", "Представление": "service-%s@sever-auto.ru"}]}"""
                .formatted(ref, inn, inn, inn);
    }
}
