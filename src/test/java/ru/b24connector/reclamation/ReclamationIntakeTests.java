package ru.b24connector.reclamation;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.testsupport.CleanSlate;
import ru.b24connector.testsupport.FakeCrm;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.quarkus.narayana.jta.QuarkusTransaction.requiringNew;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class ReclamationIntakeTests {

    private static final String DEALER_A = "Bearer dealer-a-token";
    private static final String DEALER_B = "Bearer dealer-b-token";
    private static final String BATCH = PortalWireMock.WEBHOOK_PATH + "batch";

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    JobWorker worker;

    @Inject
    ru.b24connector.outage.DependencyProbes probes;

    @Inject
    EntityManager em;

    @BeforeEach
    void freshPortal() {
        CleanSlate.reset();
        portal.resetAll();
        FakeCrm.reset();
        portal.stubFor(portalCall("batch").willReturn(aResponse().withTransformers(FakeCrm.NAME)));
        portal.stubFor(portalCall("crm.deal.get").willReturn(ok("{\"ID\":\"1\",\"CATEGORY_ID\":\"3\",\"STAGE_ID\":\"C3:NEW\"}")));
        portal.stubFor(portalCall("crm.status.list").willReturn(ok("[{\"STATUS_ID\":\"C3:NEW\",\"NAME\":\"Новая рекламация\"}]")));
    }

    @Test
    void aNewDealerGetsCompanyContactAndADealWithRowsAndPhotosInThreeCalls() {
        String inn = newInn();
        long id = submit(DEALER_A, null, claim(inn, "TS-" + inn, "service-" + inn + "@tehnosnab.ru", photo(100)))
                .statusCode(202).body("status", equalTo("accepted"))
                .body("statusUrl", equalTo("/api/v1/reclamations/" + lastId())).extract().jsonPath().getLong("id");

        worker.runDue();

        assertThat(FakeCrm.created("crm.company.add")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.requisite.add")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.contact.add")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.deal.productrows.set")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.timeline.comment.add")).isEqualTo(1);
        portal.verify(3, postRequestedFor(urlPathEqualTo(BATCH)));
        portal.verify(postRequestedFor(urlPathEqualTo(BATCH))
                .withRequestBody(containing("crm.deal.add?"))
                .withRequestBody(containing("fields[ORIGIN_ID]=TS-" + inn))
                .withRequestBody(containing("fields[FILES][0][0]=leak.jpg")));
        portal.verify(postRequestedFor(urlPathEqualTo(BATCH)).withRequestBody(containing("crm.company.add?"))
                .withRequestBody(containing("fields[PHONE][0][VALUE]=%2B79123456789"))
                .withRequestBody(containing("RQ_INN]=" + inn)));
        given().header("Authorization", DEALER_A).get("/api/v1/reclamations/" + id)
                .then().statusCode(200).body("status", equalTo("in_crm")).body("dealId", notNullValue())
                .body("stage", equalTo("Новая рекламация"));
    }

    @Test
    void aDealerKnownByInnIsNotCreatedAgain() {
        String inn = newInn();
        FakeCrm.companyByInn.put(inn, 45L);
        FakeCrm.contactByEmail.put("known-" + inn + "@tehnosnab.ru", 88L);

        submit(DEALER_A, null, claim(inn, "K-" + inn, "known-" + inn + "@tehnosnab.ru", null)).statusCode(202);
        worker.runDue();

        assertThat(FakeCrm.created("crm.company.add")).isZero();
        assertThat(FakeCrm.created("crm.contact.add")).isZero();
        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(1);
        portal.verify(postRequestedFor(urlPathEqualTo(BATCH)).withRequestBody(containing("fields[COMPANY_ID]=45"))
                .withRequestBody(containing("fields[CONTACT_IDS][0]=88"))); // CONTACT_ID is deprecated (crm-deal-add.md)
    }

    @Test
    void aDealerKnownOnlyByEmailIsFoundByEmail() {
        String inn = newInn();
        FakeCrm.companyByEmail.put("mail-" + inn + "@tehnosnab.ru", 46L);

        submit(DEALER_A, null, claim(inn, "M-" + inn, "mail-" + inn + "@tehnosnab.ru", null)).statusCode(202);
        worker.runDue();

        assertThat(FakeCrm.created("crm.company.add")).isZero();
        assertThat(FakeCrm.created("crm.contact.add")).isEqualTo(1);
        portal.verify(postRequestedFor(urlPathEqualTo(BATCH)).withRequestBody(containing("crm.contact.add"))
                .withRequestBody(containing("fields[COMPANY_ID]=46")));
    }

    @Test
    void twoConcurrentIntakesOfOneNewDealerCreateOneCompanyAndOneContact() throws Exception {
        String inn = newInn();
        submit(DEALER_A, null, claim(inn, "C1-" + inn, "twin-" + inn + "@tehnosnab.ru", null)).statusCode(202);
        submit(DEALER_B, null, claim(inn, "C2-" + inn, "twin-" + inn + "@tehnosnab.ru", null)).statusCode(202);

        ExecutorService replicas = Executors.newFixedThreadPool(2);
        Callable<Integer> replica = () -> {
            int ran = 0;
            // a claim whose dealer the other replica is creating waits a few seconds in the queue
            for (int i = 0; i < 600 && FakeCrm.created("crm.deal.add") < 2; i++) {
                ran += worker.runDue();
                Thread.sleep(10);
            }
            return ran;
        };
        replicas.invokeAll(List.of(replica, replica));
        replicas.shutdown();

        assertThat(FakeCrm.created("crm.company.add")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.contact.add")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(2);
    }

    @Inject
    CompanyContactResolver resolver;

    @Test
    void twoWorkerThreadsResolvingOneNewDealerCreateItOnce() throws Exception {
        String inn = newInn();
        portal.stubFor(portalCall("batch").willReturn(aResponse().withTransformers(FakeCrm.NAME).withFixedDelay(300)));
        CompanyContactResolver.Party party = new CompanyContactResolver.Party("ООО «Техноснаб»", inn, null,
                "Иван Петров", "same-" + inn + "@tehnosnab.ru", "+79123456789");
        ExecutorService workers = Executors.newFixedThreadPool(2);
        Callable<Integer> resolve = () -> resolver.resolveAll(List.of(party), false).dealers().size();
        List<Integer> found = new java.util.ArrayList<>();
        for (var f : workers.invokeAll(List.of(resolve, resolve))) {
            found.add(f.get());
        }
        workers.shutdown();

        assertThat(FakeCrm.created("crm.company.add")).isEqualTo(1);
        assertThat(found).as("one resolved it, the other stood back while it was being created").containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void aRepeatReturnsTheFirstAnswerAndCreatesNothing() {
        String inn = newInn();
        String body = claim(inn, "R-" + inn, "repeat-" + inn + "@tehnosnab.ru", null);
        long first = submit(DEALER_A, "key-" + inn, body).statusCode(202).extract().jsonPath().getLong("id");

        submit(DEALER_A, "key-" + inn, body).statusCode(200).body("id", equalTo((int) first));
        submit(DEALER_A, null, body).statusCode(200).body("id", equalTo((int) first));
        worker.runDue();

        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(1);
        assertThat(count(inn)).isEqualTo(1);
    }

    @Test
    void aWrongInnChecksumIsRefusedNamingFieldAndRuleAndStoresNothing() {
        submit(DEALER_A, null, claim("7707083894", "BAD-1", "bad@tehnosnab.ru", null))
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("dealer.inn")).body("errors[0].rule", equalTo("inn-checksum"));

        assertThat(count("7707083894")).isZero();
    }

    @Test
    void anOversizedPhotoIsRefusedNamingThePhoto() {
        String inn = newInn();
        submit(DEALER_A, null, claim(inn, "BIG-" + inn, "big@tehnosnab.ru", photo(3000)))
                .statusCode(400)
                .body("errors[0].field", equalTo("items[0].photos[0].contentBase64"))
                .body("errors[0].rule", equalTo("max-size"));

        assertThat(count(inn)).isZero();
    }

    @Test
    void missingFieldsAndABadPhoneAreAllNamed() {
        given().header("Authorization", DEALER_A).contentType(ContentType.JSON)
                .body("{\"dealer\":{\"companyName\":\"\",\"inn\":\"7707083893\",\"contactName\":\"И\",\"email\":\"not-mail\","
                        + "\"phone\":\"12\"},\"dealerClaimId\":\"X\",\"claimText\":\"t\",\"items\":[]}")
                .post("/api/v1/reclamations")
                .then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItems("dealer.companyName", "dealer.email", "items",
                        "dealer.phone"))
                .body("errors.find { it.field == 'dealer.phone' }.rule", org.hamcrest.Matchers.equalTo("phone"));
    }

    @Test
    void aBadChecksumIsNamedTogetherWithAMissingField() {
        // one answer names every broken rule, the annotations' and the INN checksum alike
        given().header("Authorization", DEALER_A).contentType(ContentType.JSON)
                .body("{\"dealer\":{\"companyName\":\"ООО Ромашка\",\"inn\":\"7707083894\",\"contactName\":\"И\","
                        + "\"email\":\"i@romashka.ru\",\"phone\":\"+79123456789\"},\"dealerClaimId\":\"CHK-1\","
                        + "\"items\":[{\"productName\":\"Насос\",\"quantity\":1}]}")
                .post("/api/v1/reclamations")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.contains("claimText", "dealer.inn"))
                .body("errors.rule", org.hamcrest.Matchers.contains("not-blank", "inn-checksum"));
        assertThat(count("7707083894")).isZero();
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedNamingTheBodyAndTheRule() {
        given().header("Authorization", DEALER_A).contentType(ContentType.JSON)
                .body("{\"dealer\": {\"inn\": ")
                .post("/api/v1/reclamations")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("body"))
                .body("errors[0].rule", org.hamcrest.Matchers.equalTo("json"));
        given().header("Authorization", DEALER_A).contentType(ContentType.JSON)
                .body("{\"dealer\":{\"companyName\":\"ООО Ромашка\",\"inn\":\"7707083893\",\"contactName\":\"И\","
                        + "\"email\":\"i@romashka.ru\",\"phone\":\"+79123456789\"},\"dealerClaimId\":\"T-1\","
                        + "\"claimText\":\"t\",\"items\":[{\"productName\":\"Насос\",\"quantity\":\"много\"}]}")
                .post("/api/v1/reclamations")
                .then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("items[0].quantity"))
                .body("errors[0].rule", org.hamcrest.Matchers.equalTo("type"));
    }

    @Test
    void whenThePortalIsDownTheClaimWaitsForItAndEndsUpAsOneDeal() {
        String inn = newInn();
        // the first attempt meets an outage (every try of its lookup gets a proxy's 503 page), then the portal is back
        String state = com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
        for (int i = 1; i <= 4; i++) {
            portal.stubFor(portalCall("batch").inScenario("outage").whenScenarioStateIs(state)
                    .willReturn(aResponse().withStatus(503).withBody("<html>503 Service Temporarily Unavailable</html>"))
                    .willSetStateTo("down" + i));
            state = "down" + i;
        }
        portal.stubFor(portalCall("batch").inScenario("outage").whenScenarioStateIs(state)
                .willReturn(aResponse().withTransformers(FakeCrm.NAME)));
        long id = submit(DEALER_A, null, claim(inn, "DOWN-" + inn, "down-" + inn + "@tehnosnab.ru", null))
                .statusCode(202).extract().jsonPath().getLong("id");

        worker.runDue();
        assertThat(FakeCrm.created("crm.deal.add")).as("nothing while the portal is down").isZero();
        probes.runOnce(); // the portal answers its probe again: the waiting claim is due at once
        worker.runDue();

        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.company.add")).isEqualTo(1);
        long attempts = requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT attempts FROM job WHERE dedup_key = ?1").setParameter(1, "reclamation:" + id).getSingleResult()).longValue());
        assertThat(attempts).as("the outage spent no attempt; the run after it is the first").isEqualTo(1);
    }

    @Test
    void aDealWhoseCreateAnswerWasLostIsFoundByItsOriginAndNotCreatedAgain() {
        String inn = newInn();
        dealCreatedButAnswerLost("lost", "dealer:" + inn + "/LOST-" + inn, 777_001L);
        long id = submit(DEALER_A, null, claim(inn, "LOST-" + inn, "lost-" + inn + "@tehnosnab.ru", null))
                .statusCode(202).extract().jsonPath().getLong("id");

        runUntilInCrm(id);

        assertThat(FakeCrm.created("crm.deal.add")).as("not created a second time").isZero();
        Reclamation claim = requiringNew().call(() -> em.find(Reclamation.class, id));
        assertThat(claim.dealId).isEqualTo(777_001L);
        assertThat(claim.status).isEqualTo(Reclamation.Status.IN_CRM);
        portal.verify(postRequestedFor(urlPathEqualTo(BATCH)).withRequestBody(containing("crm.deal.list")));
    }

    @Test
    void aDealWhoseLookupFailsIsNotCreatedBlind() {
        String inn = newInn();
        dealCreatedButAnswerLost("lost-then-lookup-fails", "dealer:" + inn + "/BLIND-" + inn, 777_002L);
        long id = submit(DEALER_A, null, claim(inn, "BLIND-" + inn, "blind-" + inn + "@tehnosnab.ru", null))
                .statusCode(202).extract().jsonPath().getLong("id");
        // the first lookup of the deal is answered with an error for its command
        portal.stubFor(portalCall("batch").atPriority(1).withRequestBody(containing("crm.deal.list"))
                .inScenario("lost-then-lookup-fails").whenScenarioStateIs("create lost")
                .willReturn(ok("{\"result\":[],\"result_error\":{\"find" + id + "\":{\"error\":\"INTERNAL_SERVER_ERROR\","
                        + "\"error_description\":\"Internal error\"}},\"result_total\":[],\"result_next\":[],\"result_time\":[]}"))
                .willSetStateTo("looked up"));

        runUntilInCrm(id);

        assertThat(FakeCrm.created("crm.deal.add")).as("never created without knowing it does not exist").isZero();
        Reclamation claim = requiringNew().call(() -> em.find(Reclamation.class, id));
        assertThat(claim.dealId).isEqualTo(777_002L);
        assertThat(claim.status).isEqualTo(Reclamation.Status.IN_CRM);
    }

    /**
     * The first deal batch reaches the portal, which creates the deal (found later under {@code origin}), but its
     * answer is lost on the way back; the scenario is then in state "create lost".
     */
    /** Runs due jobs until the claim is in the CRM (a failed attempt is due again after the test's short backoff). */
    private void runUntilInCrm(long id) {
        for (int i = 0; i < 200; i++) {
            worker.runDue();
            probes.runOnce(); // a claim that met no answer waits for the portal until its probe answers
            if (requiringNew().call(() -> em.find(Reclamation.class, id)).status == Reclamation.Status.IN_CRM) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void dealCreatedButAnswerLost(String scenario, String origin, long dealId) {
        portal.stubFor(portalCall("batch").atPriority(1).withRequestBody(containing("crm.deal.add"))
                .inScenario(scenario).whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(aResponse().withStatus(504).withBody("<html>504 Gateway Time-out</html>"))
                .willSetStateTo("create lost"));
        FakeCrm.dealByOrigin.put(origin, dealId);
    }

    @Inject
    ru.b24connector.portal.PortalClient portalClient;

    @Inject
    ru.b24connector.jobs.JobQueue jobs;

    @Test
    void aClaimThatDoesNotFitThePortalsTimeBudgetWaitsInTheQueueAndGoesAfterTheReset() throws Exception {
        // an answer tells the service crm.deal.add has spent 470 of its 480 s until a reset 2 s from now
        long reset = java.time.Instant.now().getEpochSecond() + 2;
        portal.stubFor(portalCall("batch").atPriority(1).willReturn(ok("{\"result\":{\"d\":1},\"result_error\":[],"
                + "\"result_total\":[],\"result_next\":[],\"result_time\":{\"d\":{\"start\":1,\"finish\":1.5,"
                + "\"duration\":0.5,\"processing\":0.5,\"operating\":470,\"operating_reset_at\":" + reset + "}}}")));
        portalClient.batch(ru.b24connector.portal.PortalBatch.create().add("d", "crm.deal.add", java.util.Map.of()));
        portal.stubFor(portalCall("batch").atPriority(1).willReturn(aResponse().withTransformers(FakeCrm.NAME)));
        String inn = newInn();
        long id = submit(DEALER_A, null, claim(inn, "WAIT-" + inn, "wait-" + inn + "@tehnosnab.ru", null))
                .statusCode(202).extract().jsonPath().getLong("id");

        worker.runDue();

        assertThat(FakeCrm.created("crm.deal.add")).as("nothing sent past the budget").isZero();
        long jobId = requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT id FROM job WHERE dedup_key = ?1").setParameter(1, "reclamation:" + id).getSingleResult()).longValue());
        ru.b24connector.jobs.Job job = jobs.find(jobId).orElseThrow();
        assertThat(job.status).isEqualTo(ru.b24connector.jobs.Job.Status.QUEUED);
        assertThat(job.attempts).as("waiting is not a failed attempt").isZero();
        // and the slack past it (B24_OPERATING_RESET_SLACK, 1 s): the portal may round the reset down
        assertThat(job.runAt.getEpochSecond()).as("it waits for the reset").isEqualTo(reset + 1);

        Thread.sleep(Math.max(0, (reset + 1) * 1000 - System.currentTimeMillis() + 100));
        worker.runDue();

        assertThat(FakeCrm.created("crm.deal.add")).as("after the reset, one claim probes").isEqualTo(1);
        assertThat(count(inn)).isEqualTo(1);
    }

    @Test
    void anotherDealersTokenCannotReadAClaim() {
        String inn = newInn();
        long id = submit(DEALER_A, null, claim(inn, "P-" + inn, "p@tehnosnab.ru", null))
                .statusCode(202).extract().jsonPath().getLong("id");

        given().header("Authorization", DEALER_B).get("/api/v1/reclamations/" + id).then().statusCode(404);
        given().get("/api/v1/reclamations/" + id).then().statusCode(401);
        given().header("Authorization", "Bearer forged").contentType(ContentType.JSON)
                .body(claim(inn, "P2-" + inn, "p@tehnosnab.ru", null)).post("/api/v1/reclamations").then().statusCode(401);
        // a stranger learns nothing about validation: 401 before the body is looked at
        given().header("Authorization", "Bearer forged").contentType(ContentType.JSON).body("{\"dealer\":{}}")
                .post("/api/v1/reclamations").then().statusCode(401);
    }

    private ValidatableResponse submit(String token, String idempotencyKey, String body) {
        var request = given().header("Authorization", token).contentType(ContentType.JSON).body(body);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/api/v1/reclamations").then();
    }

    private long lastId() {
        return requiringNew().call(() -> ((Number) em.createNativeQuery("SELECT COALESCE(MAX(id), 0) FROM reclamation")
                .getSingleResult()).longValue());
    }

    private long count(String inn) {
        return requiringNew().call(() -> ((Number) em.createNativeQuery("SELECT COUNT(*) FROM reclamation WHERE inn = ?1")
                .setParameter(1, inn).getSingleResult()).longValue());
    }

    static String newInn() {
        return InnTests.innFrom(ThreadLocalRandom.current().nextLong(100_000_000L, 999_999_999L));
    }

    private static String photo(int bytes) {
        return "{\"fileName\":\"leak.jpg\",\"contentBase64\":\"" + Base64.getEncoder().encodeToString(new byte[bytes]) + "\"}";
    }

    /** The body of PRODUCT.md's example, with this test's dealer. */
    static String claim(String inn, String claimId, String email, String photo) {
        return """
                {"dealer": {"companyName": "ООО «Техноснаб»", "inn": "%s", "kpp": "770701001",
                            "contactName": "Иван Петров", "email": "%s", "phone": "8 (912) 345-67-89"},
                 "dealerClaimId": "%s",
                 "claimText": "Течь масла после 3 месяцев эксплуатации.",
                 "items": [{"productName": "Редуктор GBX-24", "sku": "GBX-24", "quantity": 1,
                            "serialNumber": "GBX-24-0017731", "defectDescription": "Течь из-под сальника",
                            "photos": [%s]}],
                 "questions": ["Нужна ли экспертиза на месте?"]}""".formatted(inn, email, claimId, photo == null ? "" : photo);
    }
}
