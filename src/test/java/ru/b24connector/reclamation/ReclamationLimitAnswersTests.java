package ru.b24connector.reclamation;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobQueue;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.portal.PortalLimits;
import ru.b24connector.testsupport.CleanSlate;
import ru.b24connector.testsupport.FakeCrm;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.time.Instant;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.quarkus.narayana.jta.QuarkusTransaction.requiringNew;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.portalCall;
import static ru.b24connector.testsupport.PortalStubs.queryLimitExceeded;

/**
 * Dealer claims through the portal's limit answers (limits.md, _includes/system-errors.md): a wait, never a spent
 * attempt, and the claim ends up in the CRM.
 */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class ReclamationLimitAnswersTests {

    private static final String DEALER = "Bearer dealer-a-token";

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    JobWorker worker;

    @Inject
    JobQueue jobs;

    @Inject
    EntityManager em;

    @BeforeEach
    void freshPortal() {
        CleanSlate.reset();
        portal.resetAll();
        FakeCrm.reset();
        PortalLimits.reset();
        portal.stubFor(portalCall("batch").willReturn(aResponse().withTransformers(FakeCrm.NAME)));
        portal.stubFor(portalCall("crm.deal.get").willReturn(ok("{\"ID\":\"1\",\"CATEGORY_ID\":\"3\",\"STAGE_ID\":\"C3:NEW\"}")));
        portal.stubFor(portalCall("crm.status.list").willReturn(ok("[{\"STATUS_ID\":\"C3:NEW\",\"NAME\":\"Новая рекламация\"}]")));
    }

    @Test
    @DisplayName("issue #26: twenty QUERY_LIMIT_EXCEEDED answers in a row (HTTP 503, limits.md: another application "
            + "fills the shared bucket) cost well under 30 s, spend no attempt, and the claim is then in the CRM")
    void twentyLimitAnswersInARowAreAbsorbedInSecondsAndTheClaimGoesIn() {
        String state = Scenario.STARTED;
        for (int i = 1; i <= 20; i++) {
            portal.stubFor(post(urlPathMatching(PortalWireMock.WEBHOOK_PATH + ".*")).atPriority(1)
                    .inScenario("full bucket").whenScenarioStateIs(state)
                    .willReturn(queryLimitExceeded()).willSetStateTo("answer " + i));
            state = "answer " + i;
        }
        String inn = ReclamationIntakeTests.newInn();
        long id = submit(ReclamationIntakeTests.claim(inn, "Q-" + inn, "q-" + inn + "@tehnosnab.ru", null));

        long started = System.nanoTime();
        runUntilInCrm(id, 60_000);
        double seconds = (System.nanoTime() - started) / 1e9;

        System.out.printf("20 QUERY_LIMIT_EXCEEDED in a row absorbed: the claim was in the CRM after %.1f s%n", seconds);
        assertThat(status(id)).isEqualTo(Reclamation.Status.IN_CRM);
        assertThat(portal.findAll(postRequestedFor(urlPathMatching(PortalWireMock.WEBHOOK_PATH + ".*"))))
                .as("20 limit answers, then the claim's 3 batch calls").hasSizeGreaterThanOrEqualTo(23);
        assertThat(seconds).as("well under 30 s (the drain time 0.5 s, 3 % longer each time)").isLessThan(20);
        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(1);
        assertThat(job(id).attempts).as("the one run that put it in; the limit answers spent none").isEqualTo(1);
    }

    @Test
    @DisplayName("limits.md, batch.md: the deal command refused with OPERATION_TIME_LIMIT in result_error of a 200 "
            + "answer leaves the claim waiting for the reset, with no attempt spent; then it becomes one deal")
    void aDealCommandRefusedForItsTimeBudgetWaitsWithoutSpendingAnAttempt() {
        FakeCrm.limitedMethods.add("crm.deal.add");
        String inn = ReclamationIntakeTests.newInn();
        long id = submit(ReclamationIntakeTests.claim(inn, "T-" + inn, "t-" + inn + "@tehnosnab.ru", null));

        worker.runDue();

        assertThat(FakeCrm.created("crm.deal.add")).isZero();
        Job waiting = job(id);
        assertThat(waiting.status).isEqualTo(Job.Status.QUEUED);
        assertThat(waiting.attempts).as("a wait for the budget is not a failed attempt").isZero();
        assertThat(waiting.runAt).as("it waits for the method's reset").isAfter(Instant.now().plusSeconds(30));
        assertThat(requiringNew().call(() -> em.find(Reclamation.class, id)).lastError).contains("time budget");

        // the budget is back (a new window): the claim goes once it is due
        FakeCrm.limitedMethods.clear();
        PortalLimits.reset();
        jobs.runBy(ReclamationService.JOB, List.of(ReclamationService.jobKey(id)), Instant.now());
        runUntilInCrm(id, 10_000);

        assertThat(status(id)).isEqualTo(Reclamation.Status.IN_CRM);
        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(1);
        assertThat(FakeCrm.created("crm.company.add")).as("the dealer made once, in the first run").isEqualTo(1);
        assertThat(job(id).attempts).isEqualTo(1);
    }

    private long submit(String body) {
        return given().header("Authorization", DEALER).contentType(ContentType.JSON).body(body)
                .post("/api/v1/reclamations").then().statusCode(202).extract().jsonPath().getLong("id");
    }

    private void runUntilInCrm(long id, long withinMillis) {
        long deadline = System.currentTimeMillis() + withinMillis;
        while (status(id) != Reclamation.Status.IN_CRM && System.currentTimeMillis() < deadline) {
            if (worker.runDue() == 0) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private Reclamation.Status status(long id) {
        return requiringNew().call(() -> em.find(Reclamation.class, id)).status;
    }

    private Job job(long reclamationId) {
        long jobId = requiringNew().call(() -> ((Number) em.createNativeQuery("SELECT id FROM job WHERE dedup_key = ?1")
                .setParameter(1, ReclamationService.jobKey(reclamationId)).getSingleResult()).longValue());
        return jobs.find(jobId).orElseThrow();
    }
}
