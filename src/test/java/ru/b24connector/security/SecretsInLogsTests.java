package ru.b24connector.security;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.LogCapture;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalForms;
import ru.b24connector.testsupport.PortalWireMock;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static ru.b24connector.testsupport.PortalStubs.error;
import static ru.b24connector.testsupport.PortalStubs.ok;
import static ru.b24connector.testsupport.PortalStubs.portalCall;

/** A whole run's logs — events, robots, failures, refusals — searched for every secret the service holds. */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ru.b24connector.testsupport.OneCWireMock.class, scope = TestResourceScope.GLOBAL)
class SecretsInLogsTests {

    private static final String ACCESS_TOKEN = "a1b2c3d4e5f60708a1b2c3d4e5f60708";

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    JobWorker worker;

    @Inject
    ru.b24connector.onec.OneCPull pull;

    @Test
    void noSecretReachesAnyLogLine() throws InterruptedException {
        ru.b24connector.testsupport.CleanSlate.reset();
        portal.resetAll();
        portal.stubFor(portalCall("tasks.task.add").willReturn(error(401, "NO_AUTH_FOUND", "Wrong authorization data")));
        portal.stubFor(portalCall("bizproc.event.send").willReturn(ok("true")));
        List<String> lines;
        try (LogCapture logs = LogCapture.start()) {
            given().contentType(ContentType.URLENC).body(PortalForms.event("ONCRMDEALDELETE", 901).asForm())
                    .post("/b24/events").then().statusCode(200);
            given().contentType(ContentType.URLENC).body(PortalForms.event("ONCRMDEALDELETE", 902).auth("forged").asForm())
                    .post("/b24/events").then().statusCode(401);
            given().contentType(ContentType.URLENC).body(PortalForms.robot("create_task", 903, "t-secrets")
                            .property("title", "x").property("responsible", "user_7").asForm())
                    .post("/b24/robots/create_task").then().statusCode(200);
            given().header("Authorization", "Bearer wrong-" + "test-admin-token").get("/admin/jobs").then().statusCode(401);
            given().header("Authorization", "Bearer test-admin-token").get("/admin/jobs?status=DEAD").then().statusCode(200);
            // 1C: a wrong push token, a refused record, and an OData interface that refuses the service's user
            given().header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                    "1c:wrong-test-1c-token".getBytes())).body("{}").post("/api/v1/1c/reclamations").then().statusCode(401);
            given().header("Authorization", "Bearer test-1c-token").contentType("application/json")
                    .body("{\"counterparty\": {\"ref\": \"x\"}}").post("/api/v1/1c/counterparties").then().statusCode(400);
            ru.b24connector.testsupport.OneCWireMock.server().resetAll();
            ru.b24connector.testsupport.OneCWireMock.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(
                    com.github.tomakehurst.wiremock.client.WireMock.anyUrl()).willReturn(com.github.tomakehurst.wiremock.client.WireMock
                    .aResponse().withStatus(401).withBody("{\"odata.error\": {\"code\": \"-1\", \"message\": {\"value\": \"Не удалось авторизоваться\"}}}")));
            pull.runOnce();
            for (int i = 0; i < 5; i++) {
                worker.runDue();
                Thread.sleep(10);
            }
            lines = logs.lines();
        }

        assertThat(lines).as("the run logged something").isNotEmpty();
        assertThat(lines).noneMatch(l -> l.contains(PortalWireMock.WEBHOOK_SECRET))
                .noneMatch(l -> l.contains(PortalForms.APP_TOKEN))
                .noneMatch(l -> l.contains(ACCESS_TOKEN))
                .noneMatch(l -> l.contains("test-admin-token"))
                .noneMatch(l -> l.contains("test-1c-token"))
                .noneMatch(l -> l.contains(ru.b24connector.testsupport.OneCWireMock.PASSWORD))
                .noneMatch(l -> l.contains(java.util.Base64.getEncoder().encodeToString((ru.b24connector.testsupport.OneCWireMock.USER
                        + ":" + ru.b24connector.testsupport.OneCWireMock.PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertThat(lines).as("the 1C refusals were logged").anyMatch(l -> l.contains("Rejected 1C COUNTERPARTY"))
                .anyMatch(l -> l.contains("1C refused"));
    }
}
