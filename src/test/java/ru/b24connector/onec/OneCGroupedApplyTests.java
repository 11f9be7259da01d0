package ru.b24connector.onec;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
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
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static ru.b24connector.onec.OneCTestData.inn;
import static ru.b24connector.onec.OneCTestData.ref;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

/**
 * The pull at the size of a real infobase: counterparties selected by {@code ONEC_COUNTERPARTY_FILTER} become
 * companies in groups that share portal calls (the intake's resolver), a record the portal refuses fails alone, and
 * a group whose answer was lost is looked up, not created again.
 */
@QuarkusTest
@TestProfile(OneCGroupedApplyTests.DealerFolder.class)
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OneCWireMock.class, scope = TestResourceScope.GLOBAL)
class OneCGroupedApplyTests {

    static final String FILTER = "Parent_Key eq guid'5b1c3e40-7d4e-11ee-b962-0242ac120002'";
    private static final String COUNTERPARTIES = OneCWireMock.path("Catalog_Контрагенты");
    private static final String DOCUMENTS = OneCWireMock.path("Document_РекламацияДилера");
    private static final int PAGE = 100;

    /** Dealers are the counterparties of one folder; pages of 100. One Quarkus restart. */
    public static class DealerFolder implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("onec.counterparty-filter", FILTER, "onec.page-size", String.valueOf(PAGE));
        }
    }

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    OneCPull pull;

    @Inject
    JobWorker worker;

    @Inject
    ru.b24connector.outage.DependencyProbes probes;

    @Inject
    EntityManager em;

    @Inject
    OneCPortalShare share;

    WireMockServer onec;

    @BeforeEach
    void fresh() {
        onec = OneCTestData.freshExchange(portal, em);
    }

    @Test
    void threeHundredCounterpartiesInThreePagesBecomeThreeHundredCompaniesInFewerThanThirtyPortalCalls() {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(counterparty(ref(), inn(), "Дилер " + i + " ООО", i));
        }
        stubPages(rows);

        OneCPull.Report report = pull.runOnce();
        worker.runDue();

        assertThat(report.sets().get("Catalog_Контрагенты").received()).isEqualTo(300);
        assertThat(FakeCrm.created("crm.company.add")).isEqualTo(300);
        assertThat(FakeCrm.created("crm.requisite.add")).isEqualTo(300);
        assertThat(FakeCrm.companyByInn).hasSize(300);
        assertThat(portal.findAll(anyRequestedFor(urlPathMatching(PortalWireMock.WEBHOOK_PATH + ".*")))).hasSizeLessThan(30);
        // every page asked 1C for the dealers' folder only
        onec.verify(4, getRequestedFor(urlPathEqualTo(COUNTERPARTIES)).withQueryParam("$filter", equalTo(FILTER)));
        onec.verify(0, getRequestedFor(urlPathEqualTo(COUNTERPARTIES)).withoutQueryParam("$filter"));
        given().header("Authorization", "Bearer test-admin-token").get("/admin/1c/progress").then().statusCode(200)
                .body("sets.find { it.entitySet == 'Catalog_Контрагенты' }.read", org.hamcrest.Matchers.equalTo(300))
                .body("sets.find { it.entitySet == 'Catalog_Контрагенты' }.remaining", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void aCounterpartyThePortalRefusesFailsAloneAndTheRestOfItsGroupIsApplied() {
        List<String> rows = new ArrayList<>();
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            refs.add(ref());
            rows.add(counterparty(refs.get(i), inn(), "Группа " + i + " ООО", i));
        }
        FakeCrm.refusedTitles.add("Группа 2 ООО");
        stubPages(rows);

        pull.runOnce();
        for (int i = 0; i < 5; i++) { // the refused record's own job retries it until its attempts are spent
            worker.runDue();
            sleep(20);
        }

        assertThat(FakeCrm.created("crm.company.add")).isEqualTo(4);
        for (int i = 0; i < 5; i++) {
            given().header("Authorization", "Bearer test-admin-token").get("/admin/1c/exchange?ref=" + refs.get(i))
                    .then().statusCode(200).body("entries[0].status", org.hamcrest.Matchers.equalTo(i == 2 ? "FAILED" : "APPLIED"));
        }
        given().header("Authorization", "Bearer test-admin-token").get("/admin/1c/exchange?ref=" + refs.get(2))
                .then().body("entries[0].error", containsString("INN"));
    }

    @Test
    void aGroupWhoseBatchAnswerWasLostIsLookedUpNotCreatedAgain() {
        // the portal creates the companies, but the answer arrives after the client gave up
        portal.stubFor(portalCall("batch").withRequestBody(containing("crm.company.add")).atPriority(1)
                .inScenario("lost answer").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withTransformers(FakeCrm.NAME).withFixedDelay(2600)).willSetStateTo("answered"));
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(counterparty(ref(), inn(), "Потерянный " + i + " ООО", i));
        }
        stubPages(rows);

        pull.runOnce();
        for (int i = 0; i < 3; i++) {
            worker.runDue();
            probes.runOnce(); // the group that met no answer waits for the portal until its probe answers
        }

        assertThat(FakeCrm.created("crm.company.add")).isEqualTo(20);
        assertThat(FakeCrm.companyByInn).hasSize(20);
        given().header("Authorization", "Bearer test-admin-token").get("/admin/1c/exchange?status=APPLIED&limit=1000")
                .then().statusCode(200).body("entries.findAll { it.number.startsWith('Потерянный') }.size()",
                        org.hamcrest.Matchers.equalTo(20));
    }

    @Test
    void thirtyDocumentsOfThreeDealersBecomeThirtyDealsInAFewCalls() {
        List<String> cps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            cps.add(counterparty(ref(), inn(), "Документный " + i + " ООО", i));
        }
        stubPages(cps);
        // lines carry no product presentation (17.4.3): names come from the catalog, read in groups
        OneCWireMock.db().put("Catalog_Номенклатура", "{\"Ref_Key\": \"1a6f0c55-6b2d-11ee-b962-0242ac120002\", "
                + "\"Description\": \"Редуктор GBX-24\", \"IsFolder\": false}");
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            docs.add(document(ref(), cps.get(i % 3).substring(cps.get(i % 3).indexOf("\"Ref_Key\": \"") + 12).substring(0, 36),
                    "РК-1" + String.format("%05d", i)));
        }
        onec.stubFor(get(urlPathEqualTo(DOCUMENTS)).withQueryParam("$skip", equalTo("0"))
                .willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json;odata=minimalmetadata;charset=utf-8")
                        .withBody("{\"odata.metadata\": \"http://1c/ut/odata/standard.odata/$metadata#Document_РекламацияДилера\", "
                                + "\"value\": [" + String.join(",", docs) + "]}")));

        pull.runOnce();
        worker.runDue();

        assertThat(FakeCrm.created("crm.company.add")).isEqualTo(3);
        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(30);
        assertThat(FakeCrm.created("crm.deal.productrows.set")).isEqualTo(30);
        assertThat(FakeCrm.created("crm.timeline.comment.add")).isEqualTo(30);
        // counterparties: one lookup and one create call; documents: 90 commands in two calls
        assertThat(portal.findAll(anyRequestedFor(urlPathMatching(PortalWireMock.WEBHOOK_PATH + ".*")))).hasSizeLessThanOrEqualTo(5);
    }

    @Test
    void aDealerClaimGoesAheadWhileOneCHoldsItsShareOfTheWorkers() {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(counterparty(ref(), inn(), "Фоновый " + i + " ООО", i));
        }
        stubPages(rows);
        pull.runOnce();
        // two 1C groups run already: 0.5 of the four workers
        assertThat(share.tryEnter()).isTrue();
        assertThat(share.tryEnter()).isTrue();
        try {
            String inn = inn();
            given().header("Authorization", "Bearer dealer-a-token").contentType("application/json")
                    .body(("{\"dealer\": {\"companyName\": \"ООО «Срочный»\", \"inn\": \"%s\", \"contactName\": \"Иван Петров\","
                            + " \"email\": \"urgent@example.ru\", \"phone\": \"8 (912) 345-67-89\"}, \"dealerClaimId\": \"U-1\", \"claimText\": \"Течь\","
                            + " \"items\": [{\"productName\": \"Редуктор GBX-24\", \"quantity\": 1}]}").formatted(inn))
                    .post("/api/v1/reclamations").then().statusCode(202);

            worker.runDue();

            // the claim is in the CRM; the 1C page waits for a worker of 1C's share, not failed
            assertThat(FakeCrm.dealByOrigin).containsKey("dealer:" + inn + "/U-1");
            assertThat(FakeCrm.created("crm.company.add")).isEqualTo(1);
            assertThat(QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                    "SELECT attempts FROM job WHERE type = 'onec.apply' AND status = 'QUEUED'").getResultList()))
                    .containsExactly(0);
        } finally {
            share.leave();
            share.leave();
        }
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE job SET run_at = NOW(6) WHERE type = 'onec.apply' AND status = 'QUEUED'").executeUpdate());
        worker.runDue();
        assertThat(FakeCrm.created("crm.company.add")).isEqualTo(11);
    }

    // --- 1C's side: pages answered only when asked with the dealers' filter

    private void stubPages(List<String> rows) {
        for (int skip = 0; skip <= rows.size(); skip += PAGE) {
            List<String> page = rows.subList(skip, Math.min(rows.size(), skip + PAGE));
            onec.stubFor(get(urlPathEqualTo(COUNTERPARTIES)).withQueryParam("$skip", equalTo(String.valueOf(skip)))
                    .withQueryParam("$filter", equalTo(FILTER)).withQueryParam("$format", equalTo("json"))
                    .willReturn(aResponse().withStatus(200)
                            .withHeader("Content-Type", "application/json;odata=minimalmetadata;charset=utf-8")
                            .withBody("{\"odata.metadata\": \"http://1c/ut/odata/standard.odata/$metadata#Catalog_Контрагенты\", "
                                    + "\"value\": [" + String.join(",", page) + "]}")));
        }
    }

    /** A reclamation document shaped like reference/1c-integration.md §7.2 (lines without presentations, 17.4.3). */
    private static String document(String ref, String counterpartyRef, String number) {
        return """
                {"Ref_Key": "%s", "DataVersion": "AAAABQAAAAA=", "DeletionMark": false, "Number": "%s",
                 "Date": "%s", "Posted": true, "Контрагент_Key": "%s", "Статус": "НаРассмотрении",
                 "ДатаРешения": "0001-01-01T00:00:00", "СуммаПретензии": 48500,
                 "ОписаниеДефекта": "Течь масла из-под сальника редуктора",
                 "Товары": [{"LineNumber": "1", "Номенклатура_Key": "1a6f0c55-6b2d-11ee-b962-0242ac120002", "Количество": 1,
                             "СерийныйНомер": "GBX-24-0017731", "Дефект": "Течь масла", "Сумма": 48500}]}"""
                .formatted(ref, number, java.time.LocalDateTime.now().minusDays(1).withNano(0), counterpartyRef);
    }

    /** A Catalog_Контрагенты entity of the dealers' folder, shaped like reference/1c-integration.md §7.1. */
    private static String counterparty(String ref, String inn, String name, int n) {
        return """
                {"Ref_Key": "%s", "DataVersion": "AAAAAQAAAAA=", "DeletionMark": false,
                 "Parent_Key": "5b1c3e40-7d4e-11ee-b962-0242ac120002", "IsFolder": false, "Code": "00-%06d",
                 "Description": "%s", "НаименованиеПолное": "Общество с ограниченной ответственностью \\"%s\\"",
                 "ЮридическоеФизическоеЛицо": "ЮридическоеЛицо", "ИНН": "%s", "КПП": "772801001",
                 "КонтактнаяИнформация": [
                   {"LineNumber": "1", "Тип": "Телефон", "Представление": "8 (495) 123-%02d-%02d"},
                   {"LineNumber": "2", "Тип": "АдресЭлектроннойПочты", "Представление": "Dealer-%s@Example.ru"}],
                 "Predefined": false, "PredefinedDataName": ""}""".formatted(ref, n, name, name, inn, n / 100, n % 100, inn);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
