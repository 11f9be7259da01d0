package ru.b24connector.registration;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalTokenRepository;
import ru.b24connector.testsupport.OAuthModeProfile;
import ru.b24connector.testsupport.PortalForms;
import ru.b24connector.testsupport.PortalWireMock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.quarkus.narayana.jta.QuarkusTransaction.requiringNew;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static ru.b24connector.testsupport.PortalStubs.error;
import static ru.b24connector.testsupport.PortalStubs.json;
import static ru.b24connector.testsupport.PortalStubs.ok;

/** Local-application mode: installation, token refresh, and registration of handlers and robots. */
@QuarkusTest
@TestProfile(OAuthModeProfile.class)
class OAuthModeTests {

    private static final String MEMBER = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    WireMockServer portal = PortalWireMock.server();

    @Inject
    PortalClient client;

    @Inject
    HandlerRegistrar registrar;

    @Inject
    PortalTokenRepository tokens;

    @BeforeEach
    void install() {
        portal.resetAll();
        given().contentType(ContentType.URLENC).body(PortalForms.event("ONAPPINSTALL", 0)
                        .put("auth[access_token]", "old-access").put("auth[refresh_token]", "old-refresh")
                        .put("auth[client_endpoint]", portal.baseUrl() + "/rest/")
                        .put("auth[server_endpoint]", portal.baseUrl() + "/rest/").asForm())
                .post("/b24/install").then().statusCode(200);
    }

    @Test
    void installationStoresTokensAndTheApplicationToken() {
        var stored = requiringNew().call(() -> tokens.findById(MEMBER));
        assertThat(stored.accessToken).isEqualTo("old-access");
        assertThat(stored.refreshToken).isEqualTo("old-refresh");
        assertThat(stored.applicationToken).isEqualTo(PortalForms.APP_TOKEN);
        assertThat(stored.clientEndpoint).isEqualTo(portal.baseUrl() + "/rest/");
    }

    @Test
    void anInstallationWithAnotherApplicationTokenIsRefused() {
        given().contentType(ContentType.URLENC).body(PortalForms.event("ONAPPINSTALL", 0).auth("someone-else")
                        .put("auth[refresh_token]", "r").asForm())
                .post("/b24/install").then().statusCode(401);

        assertThat(requiringNew().call(() -> tokens.findById(MEMBER)).accessToken).isEqualTo("old-access");
    }

    @Test
    void concurrentCallersHittingAnExpiredTokenCauseOneRefresh() throws Exception {
        portal.stubFor(post(urlPathEqualTo("/rest/crm.deal.get")).withRequestBody(matchingJsonPath("$.auth", containing("old-access")))
                .willReturn(error(401, "expired_token", "The access token provided has expired")));
        portal.stubFor(post(urlPathEqualTo("/rest/crm.deal.get")).withRequestBody(matchingJsonPath("$.auth", containing("new-access")))
                .willReturn(ok("{\"ID\":\"1\"}")));
        // settings/oauth/auto-renewal.md's example answer; the portal's REST address is the stand-in's. The token
        // endpoint is found from the server_endpoint the installation named (no B24_OAUTH_URL in this profile)
        portal.stubFor(get(urlPathEqualTo("/oauth/token/")).willReturn(json(200, """
                {
                    "access_token": "new-access",
                    "client_endpoint": "%s/rest/",
                    "domain": "oauth.bitrix24.tech",
                    "expires": 1780319382,
                    "expires_in": 3600,
                    "member_id": "%s",
                    "refresh_token": "new-refresh",
                    "scope": "crm,entity,im,task",
                    "server_endpoint": "%s",
                    "status": "F",
                    "user_id": 67
                }""".formatted(portal.baseUrl(), MEMBER, PortalWireMock.serverEndpoint()))
                .withFixedDelay(200)));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<String>> callers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            callers.add(() -> client.call("crm.deal.get", Map.of("id", 1)).path("ID").asText());
        }

        List<String> results = new ArrayList<>();
        for (Future<String> f : pool.invokeAll(callers)) {
            results.add(f.get());
        }
        pool.shutdown();

        assertThat(results).containsOnly("1").hasSize(8);
        portal.verify(1, getRequestedFor(urlPathEqualTo("/oauth/token/")));
        var stored = requiringNew().call(() -> tokens.findById(MEMBER));
        assertThat(stored.refreshToken).isEqualTo("new-refresh");
        assertThat(stored.accessToken).isEqualTo("new-access");
    }

    /** {@code placement.get} once the tab and the board are bound (reference/bitrix24-placements.md §1). */
    private static final String BOUND_PLACEMENTS = "[{\"placement\":\"CRM_DEAL_DETAIL_TAB\",\"userId\":0,"
            + "\"handler\":\"https://connector.example.ru/ui/card\",\"options\":[],\"title\":\"Рекламация\","
            + "\"description\":\"\",\"langAll\":{\"ru\":{\"TITLE\":\"Рекламация\"},\"en\":{\"TITLE\":\"Reclamation\"}}},"
            + "{\"placement\":\"LEFT_MENU\",\"userId\":0,\"handler\":\"https://connector.example.ru/ui/board\","
            + "\"options\":[],\"title\":\"Доска рекламаций\",\"description\":\"\",\"langAll\":{}}]";

    @Test
    void registrationBindsTheTabAndTheBoardOnceAcrossRestarts() {
        portal.stubFor(post(urlPathEqualTo("/rest/event.get")).willReturn(ok("[]")));
        portal.stubFor(post(urlPathEqualTo("/rest/bizproc.robot.list")).willReturn(ok("[]")));
        portal.stubFor(post(urlPathMatching("/rest/(event\\.bind|bizproc\\.robot\\.add)")).willReturn(ok("true")));
        portal.stubFor(post(urlPathEqualTo("/rest/placement.get")).inScenario("placements")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED).willReturn(ok("[]")));
        portal.stubFor(post(urlPathEqualTo("/rest/placement.bind")).inScenario("placements")
                .willReturn(ok("true")).willSetStateTo("bound"));
        portal.stubFor(post(urlPathEqualTo("/rest/placement.get")).inScenario("placements")
                .whenScenarioStateIs("bound").willReturn(ok(BOUND_PLACEMENTS)));

        for (int start = 0; start < 3; start++) { // the first start and two restarts: registration runs at each
            registrar.reconcile();
        }

        portal.verify(2, postRequestedFor(urlPathEqualTo("/rest/placement.bind")));
        portal.verify(1, postRequestedFor(urlPathEqualTo("/rest/placement.bind"))
                .withRequestBody(matchingJsonPath("$.PLACEMENT", containing("CRM_DEAL_DETAIL_TAB")))
                .withRequestBody(matchingJsonPath("$.HANDLER", containing("https://connector.example.ru/ui/card")))
                .withRequestBody(matchingJsonPath("$.TITLE", containing("Рекламация")))
                .withRequestBody(matchingJsonPath("$.LANG_ALL.en.TITLE", containing("Reclamation"))));
        portal.verify(1, postRequestedFor(urlPathEqualTo("/rest/placement.bind"))
                .withRequestBody(matchingJsonPath("$.PLACEMENT", containing("LEFT_MENU")))
                .withRequestBody(matchingJsonPath("$.HANDLER", containing("https://connector.example.ru/ui/board"))));
        portal.verify(0, postRequestedFor(urlPathEqualTo("/rest/placement.unbind")));
    }

    @Test
    void registrationIsIdempotent() {
        portal.stubFor(post(urlPathEqualTo("/rest/event.get")).inScenario("reg").willReturn(ok("[]")));
        portal.stubFor(post(urlPathEqualTo("/rest/bizproc.robot.list")).inScenario("reg").willReturn(ok("[]")));
        portal.stubFor(post(urlPathEqualTo("/rest/placement.get")).willReturn(ok("[]")));
        portal.stubFor(post(urlPathMatching("/rest/(event\\.bind|bizproc\\.robot\\.add|placement\\.bind)")).willReturn(ok("true")));

        HandlerRegistrar.Report first = registrar.reconcile();

        assertThat(first.changes()).contains("bound ONTASKUPDATE", "added robot echo_test");
        portal.verify(postRequestedFor(urlPathEqualTo("/rest/event.bind"))
                .withRequestBody(matchingJsonPath("$.handler", containing("https://connector.example.ru/b24/events"))));
        portal.verify(postRequestedFor(urlPathEqualTo("/rest/bizproc.robot.add"))
                .withRequestBody(matchingJsonPath("$.CODE", containing("echo_test")))
                .withRequestBody(matchingJsonPath("$.HANDLER", containing("https://connector.example.ru/b24/robots/echo_test")))
                .withRequestBody(matchingJsonPath("$.NAME.ru", containing("Эхо")))
                .withRequestBody(matchingJsonPath("$.USE_SUBSCRIPTION", containing("Y"))));

        // the portal now holds what was registered
        StringBuilder bindings = new StringBuilder("[");
        for (String event : registrar.wantedEvents()) {
            bindings.append(bindings.length() > 1 ? "," : "").append("{\"event\":\"").append(event)
                    .append("\",\"handler\":\"https://connector.example.ru/b24/events\",\"auth_type\":\"0\",\"offline\":0}");
        }
        portal.resetAll();
        portal.stubFor(post(urlPathEqualTo("/rest/event.get")).willReturn(ok(bindings.append("]").toString())));
        StringBuilder codes = new StringBuilder("[");
        first.changes().stream().filter(c -> c.startsWith("added robot ")).forEach(c ->
                codes.append(codes.length() > 1 ? "," : "").append('"').append(c.substring(12)).append('"'));
        portal.stubFor(post(urlPathEqualTo("/rest/bizproc.robot.list")).willReturn(ok(codes.append("]").toString())));
        portal.stubFor(post(urlPathEqualTo("/rest/placement.get")).willReturn(ok(BOUND_PLACEMENTS)));

        HandlerRegistrar.Report second = registrar.reconcile();

        assertThat(second.changes()).isEmpty();
        assertThat(portal.findAll(anyRequestedFor(urlPathMatching("/rest/.*"))))
                .extracting(r -> r.getUrl()).containsOnly("/rest/event.get", "/rest/bizproc.robot.list", "/rest/placement.get");
    }
}
