package ru.b24connector.events;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.Inbox;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalForms;
import ru.b24connector.testsupport.PortalWireMock;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * An event's listener jobs: one per interested listener, queued with the event itself, each run once, also when the
 * portal delivers the event twice; events queued the older way (one fan-out job) still reach every listener once.
 */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class ListenerJobsTests {

    @Inject
    Inbox inbox;

    @Inject
    JobWorker worker;

    @Inject
    DataSource dataSource;

    @Test
    void anEventWithTwoListenersIsTwoListenerJobsEachRunOnceAfterADuplicateDeliveryToo() throws Exception {
        String body = PortalForms.event("ONCRMDEALDELETE", 601).asForm();

        given().contentType(ContentType.URLENC).body(body).post("/b24/events")
                .then().statusCode(200).body("status", equalTo("stored"));
        long id = inboxId(body);
        // committed before the answer: the jobs are there before any worker ran
        assertThat(jobsOf(id)).containsExactlyInAnyOrder(
                "b24.event.listener " + id + ":test-counting QUEUED",
                "b24.event.listener " + id + ":test-second QUEUED");

        given().contentType(ContentType.URLENC).body(body).post("/b24/events")
                .then().statusCode(200).body("status", equalTo("duplicate"));
        worker.runDue();
        worker.runDue();

        assertThat(jobsOf(id)).containsExactlyInAnyOrder(
                "b24.event.listener " + id + ":test-counting DONE",
                "b24.event.listener " + id + ":test-second DONE");
        assertThat(CountingEventListener.processed.get(601L)).hasValue(1);
        assertThat(SecondDeleteListener.processed.get(601L)).hasValue(1);
    }

    @Test
    void anEventQueuedWithAFanOutJobStillReachesEachListenerOnce() throws Exception {
        String body = PortalForms.event("ONCRMDEALDELETE", 602).asForm();
        // as rows queued before listener jobs were queued with the event (and offline events) are
        long id = inbox.accept(PortalEventService.SOURCE, PortalEventService.dedupKey("ONCRMDEALDELETE",
                PhpForm.parse(body)), "ONCRMDEALDELETE", body, PortalEventService.JOB).inboxId();

        worker.runDue();
        worker.runDue();

        assertThat(jobsOf(id)).containsExactlyInAnyOrder(
                "b24.event b24-event:" + id + " DONE",
                "b24.event.listener " + id + ":test-counting DONE",
                "b24.event.listener " + id + ":test-second DONE");
        assertThat(CountingEventListener.processed.get(602L)).hasValue(1);
        assertThat(SecondDeleteListener.processed.get(602L)).hasValue(1);
    }

    private long inboxId(String body) {
        return inbox.findId(PortalEventService.SOURCE,
                PortalEventService.dedupKey("ONCRMDEALDELETE", PhpForm.parse(body))).orElseThrow();
    }

    private List<String> jobsOf(long inboxId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT type, dedup_key, status FROM job WHERE inbox_id = ?")) {
            q.setLong(1, inboxId);
            List<String> jobs = new ArrayList<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    jobs.add(r.getString(1) + " " + r.getString(2) + " " + r.getString(3));
                }
            }
            return jobs;
        }
    }
}
