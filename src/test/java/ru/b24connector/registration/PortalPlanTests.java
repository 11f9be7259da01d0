package ru.b24connector.registration;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ru.b24connector.events.OfflineEventPoller;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalFeatures;
import ru.b24connector.portal.PortalTokenRepository;
import ru.b24connector.testsupport.CleanSlate;
import ru.b24connector.testsupport.FakeCrm;
import ru.b24connector.testsupport.LogCapture;
import ru.b24connector.testsupport.OAuthModeProfile;
import ru.b24connector.testsupport.PortalForms;
import ru.b24connector.testsupport.PortalWireMock;

import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
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

/**
 * The portal's plan (OAuth mode, B24_OFFLINE_EVENTS_ENABLED=true): feature.get as
 * api-reference/common/system/feature-get.md shows it, auth_connector only with rest_auth_connector
 * (api-reference/events/offline-events.md), online events without rest_offline_extended, event.bind's ERROR_CORE
 * for a handler already bound, and the installation of an application with an interface
 * (settings/oauth/simple-way.md).
 */
@QuarkusTest
@TestProfile(OAuthModeProfile.class)
class PortalPlanTests {

    private static final String MEMBER = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    /** feature-get.md, "Обработка ответа". */
    private static final String FEATURE_Y = """
            {
                "result": {
                    "value": "Y"
                },
                "time": {
                    "start": 1722434594.84942,
                    "finish": 1722434594.90542,
                    "duration": 0.0560011863708496,
                    "processing": 0.000065088272094726,
                    "date_start": "2024-07-31T14:03:14+00:00",
                    "date_finish": "2024-07-31T14:03:14+00:00",
                    "operating": 0
                }
            }""";

    /** The parameter itself, top-level or inside a batch command (the feature's code rest_auth_connector is not it). */
    private static final com.github.tomakehurst.wiremock.matching.StringValuePattern CARRIES_CONNECTOR =
            com.github.tomakehurst.wiremock.client.WireMock.matching("(?s).*(\"auth_connector\"|auth_connector=).*");

    WireMockServer portal = PortalWireMock.server();

    @Inject
    PortalFeatures features;

    @Inject
    HandlerRegistrar registrar;

    @Inject
    PortalClient client;

    @Inject
    OfflineEventPoller poller;

    @Inject
    JobWorker worker;

    @Inject
    PortalTokenRepository tokens;

    @BeforeEach
    void install() {
        portal.resetAll();
        FakeCrm.reset();
        given().contentType(ContentType.URLENC).body(PortalForms.event("ONAPPINSTALL", 0)
                        .put("auth[access_token]", "plan-access").put("auth[refresh_token]", "plan-refresh")
                        .put("auth[client_endpoint]", portal.baseUrl() + "/rest/")
                        .put("auth[server_endpoint]", PortalWireMock.serverEndpoint()).asForm())
                .post("/b24/install").then().statusCode(200);
        CleanSlate.reset(); // the registration job the install queued is run by hand below
    }

    @AfterEach
    void planWithoutExtras() {
        features.store(PortalFeatures.AUTH_CONNECTOR, false);
        features.store(PortalFeatures.OFFLINE_EXTENDED, false);
    }

    private void feature(String code, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
        portal.stubFor(post(urlPathEqualTo("/rest/feature.get")).withRequestBody(matchingJsonPath("$.CODE", equalTo(code)))
                .willReturn(answer));
    }

    private void stubEmptyRegistration() {
        portal.stubFor(post(urlPathEqualTo("/rest/event.get")).willReturn(ok("[]")));
        portal.stubFor(post(urlPathEqualTo("/rest/bizproc.robot.list")).willReturn(ok("[]")));
        portal.stubFor(post(urlPathEqualTo("/rest/placement.get")).willReturn(ok("[]")));
        portal.stubFor(post(urlPathMatching("/rest/(event\\.bind|bizproc\\.robot\\.add|placement\\.bind)")).willReturn(ok("true")));
    }

    @Test
    @DisplayName("feature-get.md: {\"value\":\"Y\"} is available, \"N\" is not, CODE_EMPTY (400) counts as not available")
    void theDocumentedFeatureAnswersAreRead() {
        feature(PortalFeatures.AUTH_CONNECTOR, json(200, FEATURE_Y));
        feature(PortalFeatures.OFFLINE_EXTENDED, json(200, FEATURE_Y.replace("\"Y\"", "\"N\"")));

        features.refresh();

        assertThat(features.has(PortalFeatures.AUTH_CONNECTOR)).isTrue();
        assertThat(features.has(PortalFeatures.OFFLINE_EXTENDED)).isFalse();
        assertThat(features.sendAuthConnector()).as("auth_connector serves only the offline queue").isFalse();

        // feature-get.md, "Обработка ошибок"
        portal.resetAll();
        portal.stubFor(post(urlPathEqualTo("/rest/feature.get")).willReturn(
                json(400, "{\"error\":\"CODE_EMPTY\",\"error_description\":\"CODE can't be empty\"}")));
        features.refresh();
        assertThat(features.has(PortalFeatures.AUTH_CONNECTOR)).isFalse();
    }

    @Test
    @DisplayName("A plan without rest_auth_connector and rest_offline_extended: online events, no auth_connector, intake and robots work")
    void aPortalWithoutThePaidFeaturesWorksEndToEnd() {
        String refusal = "{\"error\":\"ACCESS_DENIED\",\"error_description\":\"auth_connector is not available on this plan\"}";
        // the stand-in refuses auth_connector as a lower plan would (the exact refusal is an assumption, see
        // docs/bitrix24-notes.md); its priority puts it before every other stub
        portal.stubFor(post(urlPathMatching("/rest/.*")).atPriority(1).withRequestBody(CARRIES_CONNECTOR)
                .willReturn(json(403, refusal)));
        String no = FEATURE_Y.replace("\"Y\"", "\"N\"");
        feature(PortalFeatures.AUTH_CONNECTOR, json(200, no));
        feature(PortalFeatures.OFFLINE_EXTENDED, json(200, no));
        stubEmptyRegistration();
        portal.stubFor(post(urlPathEqualTo("/rest/batch")).willReturn(aResponse().withTransformers(FakeCrm.NAME)));
        portal.stubFor(post(urlPathEqualTo("/rest/crm.deal.get"))
                .willReturn(ok("{\"ID\":\"1\",\"CATEGORY_ID\":\"3\",\"STAGE_ID\":\"C3:NEW\"}")));
        portal.stubFor(post(urlPathEqualTo("/rest/crm.status.list"))
                .willReturn(ok("[{\"STATUS_ID\":\"C3:NEW\",\"NAME\":\"Новая рекламация\"}]")));
        portal.stubFor(post(urlPathMatching("/rest/(crm\\.deal\\.update|crm\\.deal\\.contact\\.add|bizproc\\.event\\.send)"))
                .willReturn(ok("true")));

        // start: the plan is asked, and events are bound online although offline events were asked for
        try (LogCapture log = LogCapture.start()) {
            features.refresh();
            registrar.reconcile();
            assertThat(log.lines()).anyMatch(l -> l.contains("B24_OFFLINE_EVENTS_ENABLED=true")
                    && l.contains("rest_offline_extended") && l.contains("online"));
        }
        portal.verify(postRequestedFor(urlPathEqualTo("/rest/event.bind"))
                .withRequestBody(matchingJsonPath("$.handler", equalTo("https://connector.example.ru/b24/events"))));
        portal.verify(0, postRequestedFor(urlPathEqualTo("/rest/event.bind")).withRequestBody(containing("offline")));

        // intake: company, contact and deal
        String inn = "7707083893";
        String claimId = "PLAN-" + System.nanoTime();
        given().header("Authorization", "Bearer dealer-a-token").contentType(ContentType.JSON)
                .body("""
                        {"dealer": {"companyName": "ООО «Техноснаб»", "inn": "%s", "kpp": "770701001",
                                    "contactName": "Иван Петров", "email": "plan@tehnosnab.ru", "phone": "8 (912) 345-67-89"},
                         "dealerClaimId": "%s", "claimText": "Течь масла после 3 месяцев эксплуатации.",
                         "items": [{"productName": "Редуктор GBX-24", "sku": "GBX-24", "quantity": 1,
                                    "serialNumber": "GBX-24-0017731", "defectDescription": "Течь из-под сальника"}]}"""
                        .formatted(inn, claimId))
                .post("/api/v1/reclamations").then().statusCode(202);
        worker.runDue();
        assertThat(FakeCrm.created("crm.deal.add")).isEqualTo(1);

        // a robot writes to a deal
        given().contentType(ContentType.URLENC).body(PortalForms.robot("ensure_company_contact", 611, "plan-robot")
                        .property("company_title", "ООО «Техноснаб»").property("inn", inn)
                        .property("contact_name", "Иван Петров").property("email", "plan@tehnosnab.ru")
                        .property("phone", "8 (912) 345-67-89").asForm())
                .post("/b24/robots/ensure_company_contact").then().statusCode(200);
        worker.runDue();
        portal.verify(1, postRequestedFor(urlPathEqualTo("/rest/crm.deal.update")));
        portal.verify(1, postRequestedFor(urlPathEqualTo("/rest/bizproc.event.send"))
                .withRequestBody(matchingJsonPath("$.EVENT_TOKEN", equalTo("plan-robot"))));

        List<LoggedRequest> withConnector = portal.findAll(anyRequestedFor(urlPathMatching("/rest/.*"))
                .withRequestBody(CARRIES_CONNECTOR));
        assertThat(withConnector).as("no call carries auth_connector on this plan").isEmpty();
    }

    @Test
    void aPlanWithBothFeaturesBindsOfflineWithTheConnectorAndMarksOwnWrites() {
        features.store(PortalFeatures.AUTH_CONNECTOR, true);
        features.store(PortalFeatures.OFFLINE_EXTENDED, true);
        stubEmptyRegistration();
        portal.stubFor(post(urlPathEqualTo("/rest/crm.deal.update")).willReturn(ok("true")));
        portal.stubFor(post(urlPathEqualTo("/rest/event.offline.get")).willReturn(ok("{\"process_id\":null,\"events\":[]}")));

        registrar.reconcile();
        client.call("crm.deal.update", Map.of("id", 5, "fields", Map.of("TITLE", "t")));
        poller.pollOnce();

        portal.verify(postRequestedFor(urlPathEqualTo("/rest/event.bind"))
                .withRequestBody(matchingJsonPath("$.event_type", equalTo("offline")))
                .withRequestBody(matchingJsonPath("$.auth_connector", equalTo("b24connector"))));
        portal.verify(postRequestedFor(urlPathEqualTo("/rest/crm.deal.update"))
                .withRequestBody(matchingJsonPath("$.auth_connector", equalTo("b24connector"))));
        portal.verify(postRequestedFor(urlPathEqualTo("/rest/event.offline.get"))
                .withRequestBody(matchingJsonPath("$.auth_connector", equalTo("b24connector"))));
    }

    @Test
    @DisplayName("event.bind answering ERROR_CORE 'Handler already binded' or 'Process of binding ... already started' counts as bound")
    void eventBindRefusedAsAlreadyBoundCountsAsBound() {
        stubEmptyRegistration();
        portal.stubFor(post(urlPathEqualTo("/rest/event.bind")).withRequestBody(matchingJsonPath("$.event", equalTo("ONCRMDEALUPDATE")))
                .willReturn(error(400, "ERROR_CORE", "Handler already binded")));
        portal.stubFor(post(urlPathEqualTo("/rest/event.bind")).withRequestBody(matchingJsonPath("$.event", equalTo("ONCRMDEALADD")))
                .willReturn(error(400, "ERROR_CORE", "Process of binding handler already started")));

        HandlerRegistrar.Report report = registrar.reconcile(); // a second replica reconciling at the same time

        assertThat(report.changes()).contains("bound ONCRMDEALUPDATE", "bound ONCRMDEALADD");
        portal.verify(postRequestedFor(urlPathEqualTo("/rest/placement.get"))); // went on to robots and placements
    }

    @Test
    void anotherErrorCoreOfEventBindStillFailsRegistration() {
        stubEmptyRegistration();
        portal.stubFor(post(urlPathEqualTo("/rest/event.bind"))
                .willReturn(error(400, "ERROR_CORE", "Unable to bind the handler")));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> registrar.reconcile())
                .hasMessageContaining("ERROR_CORE");
    }

    @Test
    @DisplayName("simple-way.md: DOMAIN, PROTOCOL, LANG, APP_SID in the query string; AUTH_ID, REFRESH_ID, SERVER_ENDPOINT, member_id in the body")
    void installationOfAnApplicationWithAnInterface() {
        String member = "a223c6b3710f85df22e9377d6c4f7553"; // the values of simple-way.md's example
        try {
            given().contentType(ContentType.URLENC)
                    .queryParam("DOMAIN", "portal.bitrix24.ru").queryParam("PROTOCOL", "1").queryParam("LANG", "ru")
                    .queryParam("APP_SID", "dd8cec11e347088fe87c44870a9f1dba")
                    .body("AUTH_ID=ahodg4h37n89vo17gbkgq0x1l825nnb5&AUTH_EXPIRES=3600&REFRESH_ID=2lg086mxijlpvwh0h7r4nl19udm4try5"
                            + "&SERVER_ENDPOINT=https%3A%2F%2Foauth.bitrix24.tech%2Frest%2F"
                            // the trusted token of the tests (B24_APPLICATION_TOKEN), not the example's
                            + "&APPLICATION_TOKEN=" + PortalForms.APP_TOKEN
                            + "&APPLICATION_SCOPE=crm%2Centity%2Cim%2Ctask&member_id=" + member + "&status=F&PLACEMENT=DEFAULT")
                    .post("/b24/install").then().statusCode(200);

            var stored = requiringNew().call(() -> tokens.findById(member));
            assertThat(stored.domain).isEqualTo("portal.bitrix24.ru");
            assertThat(stored.clientEndpoint).isEqualTo("https://portal.bitrix24.ru/rest/");
            assertThat(stored.serverEndpoint).isEqualTo("https://oauth.bitrix24.tech/rest/");
            assertThat(stored.accessToken).isEqualTo("ahodg4h37n89vo17gbkgq0x1l825nnb5");
            assertThat(stored.refreshToken).isEqualTo("2lg086mxijlpvwh0h7r4nl19udm4try5");
        } finally {
            requiringNew().run(() -> tokens.deleteById(member)); // the other tests talk to the stand-in's installation
        }
    }

    @Test
    void anInstallationWithoutTokensIsRefusedAndChangesNothing() {
        given().contentType(ContentType.URLENC).queryParam("DOMAIN", "portal.bitrix24.ru")
                .body("member_id=" + MEMBER + "&APPLICATION_TOKEN=" + PortalForms.APP_TOKEN)
                .post("/b24/install").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("AUTH_ID"));

        assertThat(requiringNew().call(() -> tokens.findById(MEMBER)).accessToken).isEqualTo("plan-access");
    }
}
