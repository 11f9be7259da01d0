package ru.b24connector.portal;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.Test;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.LogCapture;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static ru.b24connector.testsupport.PortalStubs.error;
import static ru.b24connector.testsupport.PortalStubs.fixture;
import static ru.b24connector.testsupport.PortalStubs.json;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.okWithTime;
import static ru.b24connector.testsupport.PortalStubs.page;
import static ru.b24connector.testsupport.PortalStubs.portalCall;
import static ru.b24connector.testsupport.PortalStubs.queryLimitExceeded;

@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class PortalClientTests {

    private static final String HOOK = PortalWireMock.WEBHOOK_PATH;

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    PortalClient client;

    @Inject
    CircuitBreakerMaintenance breakers;

    @Inject
    PortalGovernor governor;

    @BeforeEach
    void reset() {
        portal.resetAll();
        governor.reset();
        breakers.resetAll(); // a test class that ran before may have opened it
    }

    @AfterEach
    void closeBreakers() {
        breakers.resetAll();
    }

    @Test
    void webhookCallPostsJsonToTheWebhookUrlAndReturnsTheResult() {
        portal.stubFor(portalCall("crm.deal.get").willReturn(json(200, fixture("/b24/responses/crm.deal.get.json"))));

        JsonNode deal = client.call("crm.deal.get", Map.of("id", 123));

        assertThat(deal.path("TITLE").asText()).isEqualTo("Warranty claim #77");
        assertThat(deal.path("STAGE_ID").asText()).isEqualTo("C3:PREPARATION");
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.get"))
                .withRequestBody(equalToJson("{\"id\":123}")));
    }

    @Test
    void portalErrorsBecomeTypedExceptionsNamingMethodAndCode() {
        portal.stubFor(portalCall("crm.deal.update").willReturn(error(400, "", "Not found")));
        portal.stubFor(portalCall("crm.deal.fields").willReturn(error(403, "insufficient_scope", "scope crm")));

        assertThatThrownBy(() -> client.call("crm.deal.update", Map.of("id", 9, "fields", Map.of("TITLE", "x"))))
                .isInstanceOf(PortalException.Rejected.class)
                .hasMessageContaining("crm.deal.update").hasMessageContaining("Not found");
        assertThatThrownBy(() -> client.call("crm.deal.fields", Map.of()))
                .isInstanceOfSatisfying(PortalException.Rejected.class, e -> {
                    assertThat(e.code()).isEqualTo("insufficient_scope");
                    assertThat(e.method()).isEqualTo("crm.deal.fields");
                    assertThat(e.httpStatus()).isEqualTo(403);
                });
        // a rejection is final: sent once, never retried
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.update")));
    }

    @Test
    void crmWritesCarryNoAuthConnectorWithoutAnOfflineQueue() {
        // auth_connector is a paid feature that serves only an application's offline queue (offline-events.md);
        // a webhook has none. The plan with it: PortalPlanTests
        portal.stubFor(portalCall("crm.deal.update").willReturn(ok("true")));

        client.call("crm.deal.update", Map.of("id", 5, "fields", Map.of("TITLE", "t")));

        portal.verify(postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.update"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.notContaining("auth_connector")));
    }

    @Test
    void batchPassesReferencesAndSurfacesEachCommandsOwnError() {
        portal.stubFor(portalCall("batch").willReturn(json(200, fixture("/b24/responses/batch-one-failed.json"))));

        BatchResult result = client.batch(PortalBatch.create()
                .add("find", "crm.requisite.list", Map.of("filter", Map.of("RQ_INN", "7707083893"),
                        "select", List.of("ENTITY_ID")))
                .add("company", "crm.company.get", Map.of("id", PortalBatch.ref("find", 0, "ENTITY_ID")))
                .add("missing", "crm.deal.get", Map.of("id", 999)));

        assertThat(result.result("company").path("TITLE").asText()).isEqualTo("ООО «Техноснаб»");
        assertThatThrownBy(() -> result.result("missing"))
                .isInstanceOfSatisfying(PortalException.CommandFailed.class, e -> {
                    assertThat(e.key()).isEqualTo("missing");
                    assertThat(e.method()).isEqualTo("crm.deal.get");
                    assertThat(e.getMessage()).contains("Not found");
                });
        assertThat(result.total("find")).hasValue(1);
        LoggedRequest sent = portal.findAll(postRequestedFor(urlPathEqualTo(HOOK + "batch"))).get(0);
        assertThat(sent.getBodyAsString())
                .contains("\"halt\":0")
                .contains("filter[RQ_INN]=7707083893").contains("select[0]=ENTITY_ID")
                .contains("crm.company.get?id=$result[find][0][ENTITY_ID]");
    }

    @Test
    void listFollowsNextAcrossThreePages() {
        portal.stubFor(portalCall("crm.deal.list").withRequestBody(matchingJsonPath("$.start", equalToJsonNumber(0)))
                .willReturn(page(rows(1, 50), 120, 50)));
        portal.stubFor(portalCall("crm.deal.list").withRequestBody(matchingJsonPath("$.start", equalToJsonNumber(50)))
                .willReturn(page(rows(51, 100), 120, 100)));
        portal.stubFor(portalCall("crm.deal.list").withRequestBody(matchingJsonPath("$.start", equalToJsonNumber(100)))
                .willReturn(page(rows(101, 120), 120, null)));

        List<JsonNode> deals = client.list("crm.deal.list", Map.of("filter", Map.of("CATEGORY_ID", 3)));

        assertThat(deals).hasSize(120);
        assertThat(deals.get(119).path("ID").asText()).isEqualTo("120");
        portal.verify(3, postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.list")));
    }

    @Test
    void exportUsesTheCountFreeFormAndStopsAtAShortPage() {
        portal.stubFor(portalCall("crm.deal.list").withRequestBody(matchingJsonPath("$.filter['>ID']", equalToJsonNumber(0)))
                .willReturn(page(rows(1, 50), 0, null)));
        portal.stubFor(portalCall("crm.deal.list").withRequestBody(matchingJsonPath("$.filter['>ID']", equalToJsonNumber(50)))
                .willReturn(page(rows(51, 60), 0, null)));
        List<JsonNode> seen = new ArrayList<>();

        client.exportAll("crm.deal.list", Map.of("select", List.of("ID")), "ID", seen::add);

        assertThat(seen).hasSize(60);
        portal.verify(2, postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.list"))
                .withRequestBody(matchingJsonPath("$.start", equalToJsonNumber(-1)))
                .withRequestBody(matchingJsonPath("$.order.ID", containing("ASC"))));
    }

    @Test
    void queryLimitExceededIsRetriedAfterABackoff() {
        portal.stubFor(portalCall("crm.deal.get").inScenario("limit").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(queryLimitExceeded()).willSetStateTo("limited once"));
        portal.stubFor(portalCall("crm.deal.get").inScenario("limit").whenScenarioStateIs("limited once")
                .willReturn(queryLimitExceeded()).willSetStateTo("free"));
        portal.stubFor(portalCall("crm.deal.get").inScenario("limit").whenScenarioStateIs("free")
                .willReturn(ok("{\"ID\":\"7\"}")));

        JsonNode deal = client.call("crm.deal.get", Map.of("id", 7));

        assertThat(deal.path("ID").asText()).isEqualTo("7");
        portal.verify(3, postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.get")));
    }

    @Test
    void aMethodNearItsTimeBudgetWaitsForTheResetInsteadOfProvokingABlock() {
        long resetAt = System.currentTimeMillis() / 1000 + 2;
        portal.stubFor(portalCall("tasks.task.list").inScenario("budget").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okWithTime("{\"tasks\":[]}", 470, resetAt)).willSetStateTo("spent"));
        portal.stubFor(portalCall("tasks.task.list").inScenario("budget").whenScenarioStateIs("spent")
                .willReturn(okWithTime("{\"tasks\":[{\"id\":\"1\"}]}", 1, resetAt + 600)));

        client.call("tasks.task.list", Map.of());
        JsonNode second = client.call("tasks.task.list", Map.of());

        assertThat(second.path("tasks")).hasSize(1);
        List<LoggedRequest> calls = portal.findAll(postRequestedFor(urlPathEqualTo(HOOK + "tasks.task.list")));
        // 470 s of 480 is past the safety share (90 %): the second call goes only after the reset
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).getLoggedDate().getTime()).isGreaterThanOrEqualTo(resetAt * 1000);
    }

    @Test
    void operationTimeLimitFromThePortalBlocksTheMethodUntilItsReset() {
        long resetAt = System.currentTimeMillis() / 1000 + 2;
        portal.stubFor(portalCall("crm.company.list").inScenario("block").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okWithTime("[]", 10, resetAt)).willSetStateTo("blocked"));
        portal.stubFor(portalCall("crm.company.list").inScenario("block").whenScenarioStateIs("blocked")
                .willReturn(error(429, "OPERATION_TIME_LIMIT", "Method is blocked")).willSetStateTo("open"));
        portal.stubFor(portalCall("crm.company.list").inScenario("block").whenScenarioStateIs("open")
                .willReturn(okWithTime("[{\"ID\":\"4\"}]", 1, resetAt + 600)));

        client.call("crm.company.list", Map.of());
        JsonNode after = client.call("crm.company.list", Map.of());

        assertThat(after.get(0).path("ID").asText()).isEqualTo("4");
        List<LoggedRequest> calls = portal.findAll(postRequestedFor(urlPathEqualTo(HOOK + "crm.company.list")));
        assertThat(calls).hasSize(3);
        assertThat(calls.get(2).getLoggedDate().getTime()).isGreaterThanOrEqualTo(resetAt * 1000);
    }

    @Test
    void createThatTimedOutAndExistsIsNotCreatedAgain() {
        portal.stubFor(portalCall("crm.deal.add").willReturn(ok("777").withFixedDelay(3_000)));
        portal.stubFor(portalCall("crm.deal.list").withRequestBody(matchingJsonPath("$.filter.ORIGIN_ID", containing("TS-1")))
                .willReturn(page("[{\"ID\":\"777\"}]", 1, null)));

        JsonNode created = client.create("crm.deal.add",
                Map.of("fields", Map.of("TITLE", "Claim TS-1", "ORIGINATOR_ID", "dealer", "ORIGIN_ID", "TS-1")),
                () -> {
                    List<JsonNode> found = client.list("crm.deal.list",
                            Map.of("filter", Map.of("ORIGINATOR_ID", "dealer", "ORIGIN_ID", "TS-1"), "select", List.of("ID")));
                    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0).path("ID"));
                });

        assertThat(created.asText()).isEqualTo("777");
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "crm.deal.add")));
    }

    @Test
    void createThatTimedOutAndDoesNotExistIsSentAgain() {
        portal.stubFor(portalCall("crm.company.add").inScenario("slow").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(ok("1").withFixedDelay(3_000)).willSetStateTo("fast"));
        portal.stubFor(portalCall("crm.company.add").inScenario("slow").whenScenarioStateIs("fast")
                .willReturn(ok("55")));

        JsonNode created = client.create("crm.company.add", Map.of("fields", Map.of("TITLE", "X")), Optional::empty);

        assertThat(created.asInt()).isEqualTo(55);
        portal.verify(2, postRequestedFor(urlPathEqualTo(HOOK + "crm.company.add")));
    }

    @Test
    void aCreateIsNeverResentBlindlyWithoutALookup() {
        portal.stubFor(portalCall("tasks.task.add").willReturn(error(500, "INTERNAL_SERVER_ERROR", "oops")));

        assertThatThrownBy(() -> client.call("tasks.task.add", Map.of("fields", Map.of("TITLE", "t"))))
                .isInstanceOfSatisfying(PortalException.Unavailable.class,
                        e -> assertThat(e.mayHaveApplied()).isTrue());
        portal.verify(1, postRequestedFor(urlPathEqualTo(HOOK + "tasks.task.add")));
    }

    @Test
    void readsAreRetriedOnOutagesWithinABound() {
        portal.stubFor(portalCall("user.current").willReturn(aHtmlPage(502)));

        assertThatThrownBy(() -> client.call("user.current", Map.of()))
                .isInstanceOf(PortalException.Unavailable.class);
        portal.verify(4, postRequestedFor(urlPathEqualTo(HOOK + "user.current")));
    }

    @Test
    void limiterKeepsABurstWithinThePortalsBucket() throws Exception {
        portal.stubFor(portalCall("server.time").willReturn(ok("\"2026-01-01T10:00:00+03:00\"")));
        int calls = 60;
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<JsonNode>> results = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            results.add(pool.submit(() -> client.call("server.time", Map.of())));
        }
        for (Future<JsonNode> r : results) {
            r.get();
        }
        pool.shutdown();

        List<Long> stamps = portal.findAll(postRequestedFor(urlPathEqualTo(HOOK + "server.time"))).stream()
                .map(r -> r.getLoggedDate().getTime()).sorted(Comparator.naturalOrder()).toList();
        assertThat(stamps).hasSize(calls);
        // replay the portal's leaky bucket (drain 2/s, threshold 50) over WireMock's arrival times
        double level = 0;
        double peak = 0;
        long previous = stamps.get(0);
        for (long at : stamps) {
            level = Math.max(0, level - (at - previous) / 500.0) + 1;
            peak = Math.max(peak, level);
            previous = at;
        }
        assertThat(peak).as("bucket level the portal would see").isLessThanOrEqualTo(50.5);
        assertThat(stamps.get(calls - 1) - stamps.get(0)).as("a burst past 50 is spread, not dropped")
                .isGreaterThanOrEqualTo((calls - 50) * 500L - 600);
    }

    @Test
    void theWebhookSecretNeverReachesLogsOrErrors() {
        portal.stubFor(portalCall("crm.deal.get").willReturn(error(401, "NO_AUTH_FOUND", "Wrong authorization data")));
        portal.stubFor(portalCall("crm.deal.add").willReturn(ok("1").withFixedDelay(3_000)));
        List<String> messages = new ArrayList<>();

        try (LogCapture logs = LogCapture.start()) {
            for (String method : List.of("crm.deal.get", "crm.deal.add")) {
                try {
                    client.call(method, Map.of("fields", Map.of("TITLE", "x")));
                } catch (PortalException e) {
                    messages.add(e.toString());
                }
            }
            messages.addAll(logs.lines());
        }

        assertThat(messages).hasSizeGreaterThanOrEqualTo(2);
        assertThat(messages).noneMatch(line -> line.contains(PortalWireMock.WEBHOOK_SECRET));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder aHtmlPage(int status) {
        return com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(status)
                .withHeader("Content-Type", "text/html").withBody("<html><body>502 Bad Gateway</body></html>");
    }

    private static com.github.tomakehurst.wiremock.matching.StringValuePattern equalToJsonNumber(int n) {
        return com.github.tomakehurst.wiremock.client.WireMock.equalTo(String.valueOf(n));
    }

    private static String rows(int from, int to) {
        StringBuilder out = new StringBuilder("[");
        for (int id = from; id <= to; id++) {
            out.append(id == from ? "" : ",").append("{\"ID\":\"").append(id).append("\",\"TITLE\":\"Deal ").append(id).append("\"}");
        }
        return out.append(']').toString();
    }
}
