package ru.b24connector.portal;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ru.b24connector.outage.Dependency;
import ru.b24connector.outage.Outages;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.LogCapture;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static ru.b24connector.testsupport.PortalStubs.error;
import static ru.b24connector.testsupport.PortalStubs.json;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.okWithTime;
import static ru.b24connector.testsupport.PortalStubs.portalCall;
import static ru.b24connector.testsupport.PortalStubs.queryLimitExceeded;

/**
 * What the client does with the portal's limit answers, against answers shaped as the docs show them: limits.md,
 * settings/how-to-call-rest-api/batch.md and _includes/system-errors.md.
 */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class PortalLimitAnswersTests {

    private static final String HOOK = PortalWireMock.WEBHOOK_PATH;

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    PortalClient client;

    @Inject
    PortalGovernor governor;

    @Inject
    PortalHealth health;

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeEach
    void reset() {
        portal.resetAll();
        governor.reset();
        health.clear();
        breakers.resetAll();
    }

    @AfterEach
    void forget() {
        health.clear(); // a block must never leak into another test
        governor.reset();
        breakers.resetAll();
    }

    @Test
    @DisplayName("limits.md, batch.md: OPERATION_TIME_LIMIT of one command in result_error of a 200 answer holds "
            + "that method until operating_reset_at and a second; the job waits, no command of it goes before")
    void aBatchCommandRefusedForItsTimeBudgetHoldsItsMethodUntilTheReset() {
        long resetAt = System.currentTimeMillis() / 1000 + 2;
        // the last successful answer of the method told its reset (limits.md: the first retry goes by it)
        portal.stubFor(portalCall("crm.deal.add").willReturn(okWithTime("101", 200, resetAt)));
        client.call("crm.deal.add", Map.of("fields", Map.of("TITLE", "first")));
        portal.stubFor(portalCall("batch").inScenario("budget").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(200, """
                        {"result": {"result": {"note": 7},
                           "result_error": {"deal": {"error": "OPERATION_TIME_LIMIT",
                              "error_description": "Method is blocked due to operation time limit"}},
                           "result_total": [], "result_next": [],
                           "result_time": {"note": {"start": 1767250800.21, "finish": 1767250800.24,
                              "duration": 0.03, "processing": 0.02, "date_start": "2026-01-01T10:00:00+03:00",
                              "date_finish": "2026-01-01T10:00:00+03:00"}}},
                         "time": {"start": 1767250800.2, "finish": 1767250800.3, "duration": 0.1,
                           "processing": 0.08, "date_start": "2026-01-01T10:00:00+03:00",
                           "date_finish": "2026-01-01T10:00:00+03:00"}}"""))
                .willSetStateTo("open"));
        portal.stubFor(portalCall("batch").inScenario("budget").whenScenarioStateIs("open")
                .willReturn(json(200, """
                        {"result": {"result": {"deal": 102}, "result_error": [], "result_total": [],
                           "result_next": [], "result_time": []},
                         "time": {"start": 1767250800.2, "finish": 1767250800.3, "duration": 0.1}}""")));

        BatchResult refused = client.batch(PortalBatch.create()
                .add("deal", "crm.deal.add", Map.of("fields", Map.of("TITLE", "second")))
                .add("note", "crm.timeline.comment.add", Map.of("fields", Map.of("COMMENT", "x"))));

        assertThat(refused.result("note").asInt()).as("the other command is unaffected").isEqualTo(7);
        assertThat(refused.limitedUntil("deal")).hasValueSatisfying(at ->
                assertThat(at).isAfterOrEqualTo(Instant.ofEpochSecond(resetAt + 1)));
        assertThatThrownBy(() -> refused.result("deal"))
                .as("a wait (JobWorker defers an OperationLimit without spending an attempt), not a failure")
                .isInstanceOf(PortalException.OperationLimit.class)
                .isInstanceOfSatisfying(PortalException.CommandLimited.class, e -> assertThat(e.key()).isEqualTo("deal"));
        assertThatThrownBy(() -> client.batch(PortalBatch.create().withoutWaitingForBudget(1)
                .add("deal", "crm.deal.add", Map.of("fields", Map.of("TITLE", "third")))))
                .as("a caller that groups work is told when, and sends nothing")
                .isInstanceOfSatisfying(PortalException.NoRoom.class, e ->
                        assertThat(e.freeAt()).isAfterOrEqualTo(Instant.ofEpochSecond(resetAt + 1)));
        BatchResult after = client.batch(PortalBatch.create()
                .add("deal", "crm.deal.add", Map.of("fields", Map.of("TITLE", "third"))));

        assertThat(after.result("deal").asLong()).isEqualTo(102);
        List<LoggedRequest> batches = portal.findAll(postRequestedFor(urlPathEqualTo(HOOK + "batch")));
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1).getLoggedDate().getTime()).as("not before the reset and a second of slack")
                .isGreaterThanOrEqualTo((resetAt + 1) * 1000);
    }

    @Test
    @DisplayName("limits.md: QUERY_LIMIT_EXCEEDED (HTTP 503) is a pause of about one request's drain time "
            + "(0.5 s at 2/s) for every caller, not a doubling backoff of the refused call alone")
    void aLimitAnswerPausesEveryCallerAboutOneDrainTime() throws Exception {
        portal.stubFor(portalCall("crm.deal.get").inScenario("bucket").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(queryLimitExceeded()).willSetStateTo("once"));
        portal.stubFor(portalCall("crm.deal.get").inScenario("bucket").whenScenarioStateIs("once")
                .willReturn(queryLimitExceeded()).willSetStateTo("free"));
        portal.stubFor(portalCall("crm.deal.get").inScenario("bucket").whenScenarioStateIs("free")
                .willReturn(ok("{\"ID\":\"7\"}")));
        portal.stubFor(portalCall("crm.deal.list").willReturn(ok("[]")));

        CompletableFuture<com.fasterxml.jackson.databind.JsonNode> refusedCall =
                CompletableFuture.supplyAsync(() -> client.call("crm.deal.get", Map.of("id", 7)));
        await().atMost(5, TimeUnit.SECONDS).until(() ->
                !portal.findAll(postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.get"))).isEmpty());
        Thread.sleep(100); // the limit answer has been read
        client.call("crm.deal.list", Map.of()); // another worker's call meanwhile

        assertThat(refusedCall.get(10, TimeUnit.SECONDS).path("ID").asText()).isEqualTo("7");
        List<LoggedRequest> tries = portal.findAll(postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.get")));
        long other = portal.findAll(postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.list"))).get(0)
                .getLoggedDate().getTime();
        assertThat(tries).hasSize(3);
        long first = tries.get(0).getLoggedDate().getTime();
        long second = tries.get(1).getLoggedDate().getTime();
        long third = tries.get(2).getLoggedDate().getTime();
        assertThat(second - first).as("one drain time after the first limit answer").isBetween(450L, 1_000L);
        // 3 % longer after the second limit answer, and the other caller's slot came in between: not doubled
        assertThat(third - second).as("one more pause, not a doubled backoff").isBetween(470L, 1_200L);
        assertThat(other - first).as("the other caller paused too").isGreaterThanOrEqualTo(450L);
    }

    @Test
    @DisplayName("_includes/system-errors.md: OVERLOAD_LIMIT (HTTP 503) is a manual block by Bitrix24 support: "
            + "one ERROR line, no further calls, readiness says so, a rare probe finds it lifted")
    void overloadLimitStopsCallsUntilARareProbeFindsItLifted() {
        String blocked = "{\"error\":\"OVERLOAD_LIMIT\",\"error_description\":\"REST API is blocked due to overload\"}";
        portal.stubFor(portalCall("crm.deal.get").willReturn(json(503, blocked)));
        portal.stubFor(portalCall("server.time").inScenario("block").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(503, blocked)).willSetStateTo("lifted"));
        portal.stubFor(portalCall("server.time").inScenario("block").whenScenarioStateIs("lifted")
                .willReturn(ok("\"2026-12-03T10:00:00+03:00\"")));

        try (LogCapture logs = LogCapture.start()) {
            assertThatThrownBy(() -> client.call("crm.deal.get", Map.of("id", 1)))
                    .isInstanceOfSatisfying(PortalException.Blocked.class, e ->
                            assertThat(Outages.of(e)).as("a job waits for the portal, spending no attempt")
                                    .contains(Dependency.PORTAL));
            assertThatThrownBy(() -> client.call("crm.deal.get", Map.of("id", 2)))
                    .isInstanceOf(PortalException.Blocked.class);
            assertThat(client.probe()).as("the probe is not due yet: it says so without calling")
                    .hasValueSatisfying(text -> assertThat(text).contains("OVERLOAD_LIMIT"));

            portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.get")));
            portal.verify(0, postRequestedFor(urlPathEqualTo(HOOK + "server.time")));
            assertThat(logs.lines().stream().filter(l -> l.contains("blocked this application's REST API")))
                    .as("one ERROR line for the block").hasSize(1);
            given().get("/q/health/ready").then()
                    .body(containsString("blocked by Bitrix24 support (OVERLOAD_LIMIT)"));

            // asked every 100 ms, as the dependency probes do every few seconds; %test lets a real probe go every
            // second (the default is 10 minutes): the first finds the block still there, the second finds it lifted
            await().atMost(5, TimeUnit.SECONDS).pollInterval(100, TimeUnit.MILLISECONDS)
                    .until(() -> client.probe().isEmpty());
            assertThat(logs.lines().stream().filter(l -> l.contains("answers again"))).hasSize(1);
        }

        portal.verify(2, postRequestedFor(urlPathEqualTo(HOOK + "server.time")));
        assertThat(health.block()).isEmpty();
        portal.stubFor(portalCall("crm.deal.get").willReturn(ok("{\"ID\":\"3\"}")));
        assertThat(client.call("crm.deal.get", Map.of("id", 3)).path("ID").asText()).isEqualTo("3");
    }
}
