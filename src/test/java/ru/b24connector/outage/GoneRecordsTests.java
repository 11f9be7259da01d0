package ru.b24connector.outage;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.escalation.OverdueTaskScan;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.tasks.TaskService;
import ru.b24connector.tasks.TrackedTask;
import ru.b24connector.testsupport.CleanSlate;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.LogCapture;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalForms;
import ru.b24connector.testsupport.PortalWireMock;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static ru.b24connector.testsupport.PortalStubs.error;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

/** A deal or task deleted in the portal ends the work that needs it as skipped: no dead letter, no repeated warning. */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class GoneRecordsTests {

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    JobWorker worker;

    @Inject
    OverdueTaskScan escalation;

    @Inject
    TaskService tasks;

    @Inject
    EntityManager em;

    @BeforeEach
    void cleanSlate() {
        CleanSlate.reset();
        portal.resetAll();
    }

    @Test
    void theListenersOfADealDeletedBeforeItsEventWasProcessedEndSkippedWithOneLogLineEach() {
        long dealId = 918_273_645L;
        // legacy CRM methods answer a deleted record with an empty error code and "Not found"
        portal.stubFor(portalCall("crm.deal.get").willReturn(error(400, "", "Not found")));
        given().contentType(ContentType.URLENC).body(PortalForms.event("ONCRMDEALADD", dealId).asForm())
                .post("/b24/events").then().statusCode(200);

        try (LogCapture log = LogCapture.start()) {
            worker.runDue();

            List<String> statuses = jobsOfDeal(dealId);
            assertThat(statuses).isNotEmpty().allMatch("SKIPPED"::equals);
            assertThat(log.lines().stream().filter(l -> l.contains("skipped") && l.contains(String.valueOf(dealId))))
                    .as("one line per job").hasSize(statuses.size());
            assertThat(log.lines()).noneMatch(l -> l.contains("dead-lettered"));
        }
    }

    @Test
    void aTrackedTaskDeletedInThePortalStopsBeingReadAndWarnedAboutAtTheNextScans() {
        long taskId = 7_654_321L;
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        INSERT INTO tracked_task (dedup_key, tag, task_id, deal_id, responsible_id, title, deadline, status,
                          source, escalation_level, created_at, updated_at, version)
                        VALUES ('gone-task', 'b24c-gone', ?1, 11, 7, 'Deleted meanwhile', ?2, 'OPEN', 'test', 0, ?2, ?2, 0)""")
                .setParameter(1, taskId).setParameter(2, Timestamp.from(Instant.now().minus(Duration.ofDays(1))))
                .executeUpdate());
        // tasks.task.list by ID answers without the deleted task
        portal.stubFor(portalCall("batch").withRequestBody(containing("tasks.task.list")).willReturn(ok(
                "{\"result\":{\"tasks0\":{\"tasks\":[]}},\"result_error\":[],\"result_total\":{\"tasks0\":0},"
                        + "\"result_next\":[],\"result_time\":[]}")));

        try (LogCapture log = LogCapture.start()) {
            escalation.runOnce();
            escalation.runOnce();
            escalation.runOnce();

            assertThat(log.lines().stream().filter(l -> l.contains(String.valueOf(taskId)))).hasSize(1)
                    .allMatch(l -> l.contains("deleted in the portal"));
        }
        assertThat(tasks.findByTaskId(taskId).orElseThrow().status).isEqualTo(TrackedTask.Status.DELETED);
    }

    @SuppressWarnings("unchecked")
    private List<String> jobsOfDeal(long dealId) {
        return QuarkusTransaction.requiringNew().call(() -> (List<String>) em.createNativeQuery("""
                        SELECT j.status FROM job j JOIN inbox_message m ON m.id = j.inbox_id
                        WHERE m.body LIKE ?1 AND j.type = 'b24.event.listener'""")
                .setParameter(1, "%" + dealId + "%").getResultList());
    }
}
