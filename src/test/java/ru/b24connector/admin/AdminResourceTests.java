package ru.b24connector.admin;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobQueue;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class AdminResourceTests {

    private static final String ADMIN = "Bearer test-admin-token";

    @Inject
    JobQueue jobs;

    @Inject
    JobWorker worker;

    @Test
    void refusesCallsWithoutOrWithAWrongToken() {
        given().get("/admin/jobs").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer nope").get("/admin/jobs").then().statusCode(401);
        given().header("Authorization", "test-admin-token").get("/admin/jobs").then().statusCode(401);
    }

    @Test
    void listsDeadLettersShowsOneAndReplaysIt() {
        long id = jobs.enqueue("no.such.handler", "admin-test", Map.of("x", 1)).orElseThrow();
        worker.runDue(); // no handler: dead at once

        given().header("Authorization", ADMIN).get("/admin/jobs?status=dead")
                .then().statusCode(200)
                .body("jobs.id", hasItem((int) id))
                .body("jobs.find { it.id == " + id + " }.payload", nullValue());
        given().header("Authorization", ADMIN).get("/admin/jobs/" + id)
                .then().statusCode(200).body("status", equalTo("DEAD"))
                .body("lastError", equalTo("PermanentJobFailure: no handler for job type no.such.handler"))
                .body("payload", equalTo("{\"x\":1}"));
        given().header("Authorization", ADMIN).post("/admin/jobs/" + id + "/replay")
                .then().statusCode(202).body("status", equalTo("QUEUED"));

        assertThat(jobs.find(id).orElseThrow().status).isEqualTo(Job.Status.QUEUED);
        given().header("Authorization", ADMIN).post("/admin/jobs/" + id + "/replay").then().statusCode(409);
        worker.runDue();
    }

    @Test
    void theAdminApiIsDocumentedInOpenApiWithItsBearerScheme() {
        given().accept("application/json").get("/q/openapi")
                .then().statusCode(200)
                .body("components.securitySchemes.adminToken.scheme", equalTo("bearer"))
                .body("paths.'/admin/jobs'.get.security[0].adminToken", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/admin/jobs/{id}/replay'.post.summary", org.hamcrest.Matchers.containsString("dead-lettered"));
    }

    @Test
    void aWrongStatusNamesTheFieldAndTheRule() {
        given().header("Authorization", ADMIN).get("/admin/jobs?status=LOST")
                .then().statusCode(400).body("errors[0].field", equalTo("status"))
                .body("errors[0].rule", equalTo("one-of"))
                .body("errors[0].message", equalTo("must be one of QUEUED, RUNNING, DONE, DEAD, SKIPPED"));
        given().header("Authorization", ADMIN).get("/admin/jobs?status=skipped").then().statusCode(200);
    }

    @Test
    void registrationInWebhookModeExplainsTheManualSetup() {
        given().header("Authorization", ADMIN).post("/admin/registration")
                .then().statusCode(200).body("mode", equalTo("none"))
                .body("note", equalTo("APP_PUBLIC_URL is not set: handlers cannot be registered"));
    }
}
