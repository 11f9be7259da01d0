package ru.b24connector.outage;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobQueue;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.jobs.JobsConfig;
import ru.b24connector.testsupport.CleanSlate;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static ru.b24connector.testsupport.PortalStubs.error;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

/**
 * The portal going away is a wait, not a failure: jobs keep their attempts however long it lasts, one probe at a
 * time tests it, and when it answers every waiting job is due at once, in arrival order. Refusals still count.
 */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class DependencyOutageTests {

    private static final String HOOK = PortalWireMock.WEBHOOK_PATH;

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    JobQueue queue;

    @Inject
    JobWorker worker;

    @Inject
    DependencyProbes probes;

    @Inject
    JobsConfig config;

    @BeforeEach
    void cleanSlate() {
        CleanSlate.reset();
        portal.resetAll();
        PortalUpdateJob.finished.clear();
    }

    @AfterEach
    void after() {
        QuarkusMock.installMockForType(Clock.systemUTC(), Clock.class);
        CleanSlate.reset();
    }

    @Test
    void jobsFacingARefusedPortalKeepTheirAttemptsThroughTwentyRefusalsAndRunInArrivalOrderOnceItAnswers() {
        portal.stubFor(portalCall("crm.deal.update").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        portal.stubFor(portalCall("server.time").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(queue.enqueue(PortalUpdateJob.TYPE, "outage-" + i, Map.of()).orElseThrow());
        }

        Instant now = Instant.now();
        for (int refusal = 1; refusal <= 20; refusal++) {
            worker.runDue();
            for (long id : ids) {
                Job waiting = queue.find(id).orElseThrow();
                assertThat(waiting.status).as("refusal %d", refusal).isEqualTo(Job.Status.QUEUED);
                assertThat(waiting.attempts).as("refusal %d: no attempt spent", refusal).isZero();
                assertThat(waiting.waitingFor).isEqualTo("portal");
            }
            int probesBefore = probeCalls();
            assertThat(probes.runOnce()).as("nothing released while the portal is down").isEmpty();
            assertThat(probeCalls() - probesBefore).as("one probe per round, not one per waiting job").isEqualTo(1);
            // the safety-net recheck comes round: the jobs try again (the breaker is open by now: no call at all)
            now = now.plus(config.dependencyRecheck()).plusSeconds(1);
            QuarkusMock.installMockForType(Clock.fixed(now, ZoneOffset.UTC), Clock.class);
        }
        given().get("/q/health/ready").then().body(containsString("portal"));
        given().get("/q/metrics").then()
                .body(containsString("connector_dependency_up{dependency=\"portal\"} 0.0"))
                .body(containsString("connector_dependency_waiting_jobs{dependency=\"portal\"} 3.0"));

        portal.resetAll();
        portal.stubFor(portalCall("crm.deal.update").willReturn(ok("true")));
        portal.stubFor(portalCall("server.time").willReturn(ok("\"2026-12-02T10:00:00+03:00\"")));
        // the jobs' own recheck is ten minutes away: only the probe can make them due now
        QuarkusMock.installMockForType(Clock.fixed(now.minus(config.dependencyRecheck()).plusSeconds(5), ZoneOffset.UTC),
                Clock.class);
        assertThat(probes.runOnce()).containsEntry(Dependency.PORTAL, 3);
        worker.runDue();

        assertThat(PortalUpdateJob.finished).as("all ran, in arrival order").containsExactlyElementsOf(ids);
        for (long id : ids) {
            Job done = queue.find(id).orElseThrow();
            assertThat(done.status).isEqualTo(Job.Status.DONE);
            assertThat(done.attempts).isEqualTo(1);
        }
        assertThat(probeCalls()).isEqualTo(1);
        given().get("/q/metrics").then().body(containsString("connector_dependency_up{dependency=\"portal\"} 1.0"));
    }

    @Test
    void aJobThePortalRefusesWith400SpendsItsAttempt() {
        portal.stubFor(portalCall("crm.deal.update").willReturn(error(400, "", "Access denied")));
        long id = queue.enqueue(PortalUpdateJob.TYPE, "refused-400", Map.of()).orElseThrow();

        worker.runDue();

        Job dead = queue.find(id).orElseThrow();
        assertThat(dead.status).isEqualTo(Job.Status.DEAD);
        assertThat(dead.attempts).isEqualTo(1);
        assertThat(dead.waitingFor).isNull();
        assertThat(dead.lastError).contains("Access denied");
    }

    @Test
    void aJobMeetingA503WaitsAndTheProbeReleasesItWhenThePortalIsBack() {
        portal.stubFor(portalCall("crm.deal.update").willReturn(error(503, "", "Service Unavailable")));
        long id = queue.enqueue(PortalUpdateJob.TYPE, "answered-503", Map.of()).orElseThrow();

        worker.runDue();
        assertThat(queue.find(id).orElseThrow().waitingFor).isEqualTo("portal");
        assertThat(queue.find(id).orElseThrow().runAt).isAfter(Instant.now().plus(Duration.ofMinutes(5)));

        portal.stubFor(portalCall("crm.deal.update").willReturn(ok("true")));
        portal.stubFor(portalCall("server.time").willReturn(ok("\"2026-12-02T10:00:00+03:00\"")));
        probes.runOnce();
        assertThat(queue.find(id).orElseThrow().runAt).isBeforeOrEqualTo(Instant.now());
        worker.runDue();

        assertThat(queue.find(id).orElseThrow().status).isEqualTo(Job.Status.DONE);
        assertThat(queue.find(id).orElseThrow().attempts).isEqualTo(1);
    }

    @Inject
    ru.b24connector.cluster.PeriodGate gate;

    @Inject
    DependencyState state;

    @Test
    void oneReplicaProbesPerRoundAndTheOthersAdoptWhatItFound() {
        gate.reset(DependencyProbes.LEASE);
        state.down(Dependency.PORTAL, "a job met no answer");
        portal.stubFor(portalCall("server.time").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        probes.trigger(); // wins this period's lease: probes and shares what it found
        probes.trigger(); // the same period, as another replica's round: no probe of its own
        probes.trigger();
        assertThat(probeCalls()).as("one probe per period for all replicas").isEqualTo(1);
        assertThat(state.isDown(Dependency.PORTAL)).isTrue();

        portal.stubFor(portalCall("server.time").willReturn(ok("\"2026-12-02T10:00:00+03:00\"")));
        gate.reset(DependencyProbes.LEASE); // the next period
        probes.trigger();
        assertThat(state.isDown(Dependency.PORTAL)).isFalse();

        // a replica whose own job still saw the portal down adopts the shared finding within the same period
        state.down(Dependency.PORTAL, "this replica's job met no answer a moment ago");
        probes.trigger();
        assertThat(state.isDown(Dependency.PORTAL)).as("adopted from dependency_status").isFalse();
        assertThat(probeCalls()).isEqualTo(2);
    }

    private int probeCalls() {
        return portal.findAll(postRequestedFor(urlPathEqualTo(HOOK + "server.time"))).size();
    }
}
