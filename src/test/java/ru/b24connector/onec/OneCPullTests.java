package ru.b24connector.onec;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.testsupport.CleanSlate;
import ru.b24connector.testsupport.FakeCrm;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.OneCWireMock;
import ru.b24connector.testsupport.PortalWireMock;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static ru.b24connector.onec.OneCTestData.basic;
import static ru.b24connector.onec.OneCTestData.inn;
import static ru.b24connector.onec.OneCTestData.ref;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OneCWireMock.class, scope = TestResourceScope.GLOBAL)
class OneCPullTests {

    private static final String COUNTERPARTIES = OneCWireMock.path("Catalog_Контрагенты");
    private static final String DOCUMENTS = OneCWireMock.path("Document_РекламацияДилера");
    private static final String PRODUCT_REF = "1a6f0c55-6b2d-11ee-b962-0242ac120002";

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    OneCPull pull;

    @Inject
    JobWorker worker;

    @Inject
    EntityManager em;

    WireMockServer onec;

    @BeforeEach
    void fresh() {
        onec = OneCTestData.freshExchange(portal, em);
        OneCWireMock.db().put("Catalog_Номенклатура", "{\"Ref_Key\": \"" + PRODUCT_REF
                + "\", \"Description\": \"Редуктор GBX-24\", \"Артикул\": \"GBX-24\", \"IsFolder\": false}");
    }

    @Test
    void aPullOverSeveralPagesCreatesEveryDealOnceAndMovesTheWatermark() {
        List<String> cps = List.of(counterparty(ref(), inn(), "Автотехцентр Север ООО"),
                counterparty(ref(), inn(), "Техноснаб АО"), counterparty(ref(), inn(), "Механика ООО"));
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            docs.add(document(ref(), refOf(cps.get(i % 3)), "РК-00" + (381 + i), "2026-11-2" + (4 + i) + "T12:00:00"));
        }
        stubPages(COUNTERPARTIES, "Catalog_Контрагенты", cps);
        stubPages(DOCUMENTS, "Document_РекламацияДилера", docs);

        // an administrator starts the pull at once
        given().header("Authorization", "Bearer test-admin-token").post("/admin/1c/pull").then().statusCode(200)
                .body("sets.'Document_РекламацияДилера'.received", org.hamcrest.Matchers.equalTo(5));
        worker.runDue();

        assertThat(FakeCrm.created("crm.company.add")).isEqualTo(3);
        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(5);
        assertThat(FakeCrm.created("crm.deal.productrows.set")).isEqualTo(5);
        portal.verify(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlPathEqualTo(
                        PortalWireMock.WEBHOOK_PATH + "batch"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(
                        java.net.URLEncoder.encode("Редуктор GBX-24", java.nio.charset.StandardCharsets.UTF_8))));
        onec.verify(getRequestedFor(urlPathEqualTo(DOCUMENTS)).withQueryParam("$orderby", equalTo("Date,Ref_Key"))
                .withQueryParam("$top", equalTo("2")).withQueryParam("$format", equalTo("json"))
                .withQueryParam("$filter", matching("Date ge datetime'\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d' and Posted eq true"))
                .withQueryParam("allowedOnly", equalTo("true"))
                .withHeader("Authorization", equalTo(basic(OneCWireMock.USER, OneCWireMock.PASSWORD))));

        // the next run reads everything again, finds no new version, and starts from the newest date less the overlap
        OneCPull.Report again = pull.runOnce();
        worker.runDue();
        assertThat(again.sets().values()).allMatch(s -> s.received() == 0 && s.complete());
        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(5);
        assertThat(FakeCrm.created("crm.deal.update")).isZero();
        onec.verify(getRequestedFor(urlPathEqualTo(DOCUMENTS))
                .withQueryParam("$filter", equalTo("Date ge datetime'2026-11-26T12:00:00' and Posted eq true")));
    }

    @Test
    void oneCDownInTheMiddleOfAPullResumesAtTheFirstPageNotStored() {
        List<String> cps = List.of(counterparty(ref(), inn(), "Автотехцентр Север ООО"));
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            docs.add(document(ref(), refOf(cps.get(0)), "РК-01" + (381 + i), "2026-11-2" + (4 + i) + "T09:30:00"));
        }
        stubPages(COUNTERPARTIES, "Catalog_Контрагенты", cps);
        stubPages(DOCUMENTS, "Document_РекламацияДилера", docs);
        // the second page fails once, as a published 1C base does when its server restarts
        onec.stubFor(page(DOCUMENTS, 2).inScenario("outage").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json;charset=utf-8")
                        .withBody("{\"odata.error\": {\"code\": \"-1\", \"message\": {\"lang\": \"ru\", \"value\": "
                                + "\"Произошла внутренняя ошибка OData-сервиса\"}}}"))
                .willSetStateTo("back"));

        OneCPull.SetReport first = pull.runOnce().sets().get("Document_РекламацияДилера");
        worker.runDue();
        assertThat(first.complete()).isFalse();
        assertThat(first.error()).contains("500").contains("внутренняя ошибка");
        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(2);
        given().header("Authorization", "Bearer test-admin-token").get("/admin/1c/exchange?limit=1")
                .then().statusCode(200).body("watermarks.resumeAtRow", hasItems(2));

        OneCPull.SetReport second = pull.runOnce().sets().get("Document_РекламацияДилера");
        worker.runDue();

        assertThat(second.complete()).isTrue();
        assertThat(second.received()).isEqualTo(3);
        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(5);
        onec.verify(1, getRequestedFor(urlPathEqualTo(DOCUMENTS)).withQueryParam("$skip", equalTo("0")));
        onec.verify(2, getRequestedFor(urlPathEqualTo(DOCUMENTS)).withQueryParam("$skip", equalTo("2")));
        onec.verify(1, getRequestedFor(urlPathEqualTo(DOCUMENTS)).withQueryParam("$skip", equalTo("4")));
        // the resumed run kept the window of the run it continues
        List<String> filters = onec.findAll(getRequestedFor(urlPathEqualTo(DOCUMENTS))).stream()
                .map(r -> r.queryParameter("$filter").firstValue()).distinct().collect(Collectors.toList());
        assertThat(filters).hasSize(1);
    }

    @Test
    void badRecordsAreRejectedWithAReasonAndTheRestOfThePageGoesOn() {
        String badCp = counterparty(ref(), "7728451193", "Ошибочный ИНН ООО");
        List<String> cps = List.of(counterparty(ref(), inn(), "Автотехцентр Север ООО"), badCp,
                counterparty(ref(), inn(), "Механика ООО"));
        String goodDoc = ref();
        String badDate = ref();
        String badRef = ref();
        String unknownRef = ref();
        List<String> docs = List.of(document(goodDoc, refOf(cps.get(0)), "РК-02001", "2026-11-25T10:00:00"),
                document(badDate, refOf(cps.get(2)), "РК-02002", "25.11.2026 10:00"),
                document(badRef, refOf(badCp), "РК-02003", "2026-11-26T10:00:00"),
                // a counterparty 1C itself does not know (WireMock answers 404 to its key)
                document(unknownRef, ref(), "РК-02004", "2026-11-26T11:00:00"));
        stubPages(COUNTERPARTIES, "Catalog_Контрагенты", cps);
        stubPages(DOCUMENTS, "Document_РекламацияДилера", docs);

        OneCPull.Report report = pull.runOnce();
        worker.runDue();

        assertThat(report.sets().values()).allMatch(OneCPull.SetReport::complete);
        // without ONEC_COUNTERPARTY_FILTER the catalog is not scanned: documents read their counterparties by key
        assertThat(report.sets()).doesNotContainKey("Catalog_Контрагенты");
        assertThat(report.sets().get("Document_РекламацияДилера").rejected()).isEqualTo(3);
        assertThat(FakeCrm.created("crm.company.add")).isEqualTo(2);
        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(1);
        given().header("Authorization", "Bearer test-admin-token").get("/admin/1c/exchange?ref=" + refOf(badCp))
                .then().statusCode(200).body("entries[0].status", org.hamcrest.Matchers.equalTo("REJECTED"))
                .body("entries[0].error", containsString("inn-checksum"));
        given().header("Authorization", "Bearer test-admin-token").get("/admin/1c/exchange?ref=" + badDate)
                .then().statusCode(200).body("entries[0].error", containsString("date-time"));
        given().header("Authorization", "Bearer test-admin-token").get("/admin/1c/exchange?ref=" + badRef)
                .then().statusCode(200).body("entries[0].error", containsString("invalid-reference"));
        given().header("Authorization", "Bearer test-admin-token").get("/admin/1c/exchange?ref=" + unknownRef)
                .then().statusCode(200).body("entries[0].status", org.hamcrest.Matchers.equalTo("REJECTED"))
                .body("entries[0].error", containsString("unknown-reference"));
        given().header("Authorization", "Bearer test-admin-token").get("/admin/1c/exchange?ref=" + goodDoc)
                .then().statusCode(200).body("entries[0].status", org.hamcrest.Matchers.equalTo("APPLIED"));

        // the next run meets the same bad records and does not log them again
        pull.runOnce();
        given().header("Authorization", "Bearer test-admin-token").get("/admin/1c/exchange?status=REJECTED&ref=" + badDate)
                .then().statusCode(200).body("entries.size()", org.hamcrest.Matchers.equalTo(1));
    }

    @Test
    @org.junit.jupiter.api.DisplayName("A document dated 2052 (a typo) does not move the window past now (reference/1c-integration.md §1.9)")
    void aFutureDatedDocumentDoesNotStopThePull() {
        String cp = counterparty(ref(), inn(), "Автотехцентр Север ООО");
        stubPages(COUNTERPARTIES, "Catalog_Контрагенты", List.of(cp));
        String yesterday = java.time.LocalDateTime.now(java.time.ZoneId.of("Europe/Moscow")).minusDays(1).withNano(0).toString();
        stubPages(DOCUMENTS, "Document_РекламацияДилера", List.of(document(ref(), refOf(cp), "РК-05001", yesterday),
                document(ref(), refOf(cp), "РК-05002", "2052-11-24T12:00:00")));

        assertThat(pull.runOnce().sets().get("Document_РекламацияДилера").received()).isEqualTo(2);
        pull.runOnce();

        String secondWindow = onec.findAll(getRequestedFor(urlPathEqualTo(DOCUMENTS))).stream()
                .map(r -> r.queryParameter("$filter").firstValue()).reduce((a, b) -> b).orElseThrow();
        java.time.LocalDateTime since = java.time.LocalDateTime.parse(secondWindow.replaceAll(".*datetime'([^']+)'.*", "$1"));
        assertThat(since).as("the next window starts before today, not in 2052")
                .isBefore(java.time.LocalDateTime.now(java.time.ZoneId.of("Europe/Moscow")));
    }

    @Test
    @org.junit.jupiter.api.DisplayName("Drafts do not become deals: documents are read with Posted eq true (17.4.5.2 $filter)")
    void onlyPostedDocumentsAreRead() {
        stubPages(DOCUMENTS, "Document_РекламацияДилера", List.of());
        pull.runOnce();
        onec.verify(getRequestedFor(urlPathEqualTo(DOCUMENTS)).withQueryParam("$filter", matching(".* and Posted eq true")));
        onec.verify(0, getRequestedFor(urlPathEqualTo(DOCUMENTS)).withQueryParam("$filter", matching("^((?!Posted eq true).)*$")));
    }

    // --- 1C's side

    /** Pages of the entity set, and each entity by its key (how documents' counterparties are read). */
    @Test
    void aSecondPullWhileOneRunsIsRefusedAndTheFirstFinishes() throws Exception {
        String cp = counterparty(ref(), inn(), "Автотехцентр Север ООО");
        stubPages(COUNTERPARTIES, "Catalog_Контрагенты", List.of(cp));
        stubPages(DOCUMENTS, "Document_РекламацияДилера",
                List.of(document(ref(), refOf(cp), "РК-00401", "2026-11-24T12:00:00")));
        // 1C answers slowly, so the first pull is still reading when the administrator asks again
        onec.stubFor(page(DOCUMENTS, 0).willReturn(odata("{\"odata.metadata\": \"x#Document_РекламацияДилера\", \"value\": ["
                + document(ref(), refOf(cp), "РК-00401", "2026-11-24T12:00:00") + "]}").withFixedDelay(1500)));
        var first = java.util.concurrent.CompletableFuture.supplyAsync(pull::runOnce);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(pull::running);

        given().header("Authorization", "Bearer test-admin-token").post("/admin/1c/pull").then().statusCode(409)
                .body("detail", containsString("already running"));

        OneCPull.Report report = first.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(report.sets().get("Document_РекламацияДилера").received()).isEqualTo(1);
        assertThat(pull.running()).isFalse();
    }

    /** The objects in the infobase stand-in (it answers pages, keys and filters as 1C does). */
    private void stubPages(String path, String set, List<String> rows) {
        rows.forEach(row -> OneCWireMock.db().put(set, row));
    }

    private static MappingBuilder page(String path, int skip) {
        return get(urlPathEqualTo(path)).withQueryParam("$skip", equalTo(String.valueOf(skip)))
                .withQueryParam("$format", equalTo("json"));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder odata(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json;odata=minimalmetadata;charset=utf-8")
                .withBody(body);
    }

    /** A Catalog_Контрагенты entity shaped like reference/1c-integration.md §7.1. */
    private static String counterparty(String ref, String inn, String name) {
        return """
                {"Ref_Key": "%s", "DataVersion": "AAAAAQAAAAA=", "DeletionMark": false,
                 "Parent_Key": "00000000-0000-0000-0000-000000000000", "IsFolder": false, "Code": "00-000154",
                 "Description": "%s", "НаименованиеПолное": "Общество с ограниченной ответственностью \\"%s\\"",
                 "ЮридическоеФизическоеЛицо": "ЮридическоеЛицо", "ИНН": "%s", "КПП": "772801001",
                 "ОбособленноеПодразделение": false, "ГоловнойКонтрагент_Key": "%s",
                 "КонтактнаяИнформация": [
                   {"LineNumber": "1", "Тип": "Телефон", "Представление": "8 (495) 123-45-67"},
                   {"LineNumber": "2", "Тип": "АдресЭлектроннойПочты", "Представление": "Service-%s@Sever-auto.ru"}],
                 "Predefined": false, "PredefinedDataName": ""}""".formatted(ref, name, name, inn, ref, inn);
    }

    /** A reclamation document shaped like reference/1c-integration.md §7.2 (its line without a presentation). */
    private static String document(String ref, String counterpartyRef, String number, String date) {
        return """
                {"Ref_Key": "%s", "DataVersion": "AAAABQAAAAA=", "DeletionMark": false, "Number": "%s",
                 "Date": "%s", "Posted": true, "Контрагент_Key": "%s",
                 "Договор_Key": "4d1e7f20-7d4e-11ee-b962-0242ac120002", "Статус": "НаРассмотрении", "Решение": "Ремонт",
                 "ДатаРешения": "0001-01-01T00:00:00", "СуммаПретензии": 48500, "СуммаКомпенсации": 0,
                 "ОписаниеДефекта": "Течь масла из-под сальника редуктора после 120 моточасов",
                 "Товары": [{"LineNumber": "1", "Номенклатура_Key": "%s", "Количество": 1,
                             "СерийныйНомер": "GBX-24-0017731", "Дефект": "Течь масла", "Сумма": 48500}],
                 "Контрагент@navigationLinkUrl": "Document_РекламацияДилера(guid'%s')/Контрагент"}"""
                .formatted(ref, number, date, counterpartyRef, PRODUCT_REF, ref);
    }

    private static String refOf(String entity) {
        int at = entity.indexOf("\"Ref_Key\": \"") + 12;
        return entity.substring(at, at + 36);
    }
}
