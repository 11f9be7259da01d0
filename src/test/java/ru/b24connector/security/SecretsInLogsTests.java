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
class SecretsInLogsTests {

    private static final String ACCESS_TOKEN = "a1b2c3d4e5f60708a1b2c3d4e5f60708";

    @InjectPortalMock
    WireMockServer portal;

    @Inject
    JobWorker worker;

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
                .noneMatch(l -> l.contains("test-admin-token"));
    }
}
