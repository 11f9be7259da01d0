package ru.b24connector.console;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobQueue;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.testsupport.CleanSlate;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** The operations console over HTTP: login, sessions, CSRF, replay, escaping, and the JSON API beside it. */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class ConsoleTests {

    private static final String FORM = "application/x-www-form-urlencoded";

    @Inject
    JobQueue jobs;

    @Inject
    JobWorker worker;

    @Inject
    LoginLimiter limiter;

    @BeforeEach
    void freshLimiter() {
        CleanSlate.reset();
        limiter.clear();
    }

    @Test
    void withoutASessionThePagesLeadToTheLoginForm() {
        given().redirects().follow(false).get("/admin").then().statusCode(303)
                .header("Location", containsString("/admin/login"));
        given().redirects().follow(false).get("/admin/console/jobs").then().statusCode(303);
        given().get("/admin").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("id=\"token\""))
                .header("Content-Security-Policy", containsString("default-src 'none'"));
        // a POST without a session is refused, not redirected
        given().redirects().follow(false).contentType(FORM).formParam("csrf", "x").post("/admin/console/jobs/1/replay")
                .then().statusCode(401);
    }

    @Test
    void aWrongTokenIsRefusedAndTheEleventhFailureInAMinuteIs429() {
        for (int i = 1; i <= 10; i++) {
            given().contentType(FORM).formParam("token", "wrong-" + i).post("/admin/login")
                    .then().statusCode(401).body(containsString("id=\"login-error\""))
                    .header("Set-Cookie", org.hamcrest.Matchers.nullValue());
        }
        given().contentType(FORM).formParam("token", "wrong-11").post("/admin/login")
                .then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue());
        // even the right token waits until the minute is over
        given().contentType(FORM).formParam("token", ConsoleLogin.TOKEN).post("/admin/login").then().statusCode(429);
    }

    @Inject
    jakarta.persistence.EntityManager em;

    @Inject
    ru.b24connector.jobs.JobLeases leases;

    @Test
    void aJobThatKeptKillingItsWorkerShowsWhyAmongTheDeadLetters() {
        long id = jobs.enqueue("test.flaky", "kills-its-worker-console", Map.of()).orElseThrow();
        for (int restart = 1; restart <= 3; restart++) { // its replica died during it three times
            assertThat(jobs.claim("replica-k:8080/" + restart, 1)).extracting(j -> j.id).containsExactly(id);
            leases.takeBack("replica-k:8080", "replica-k:8080/" + (restart + 1));
        }
        String session = ConsoleLogin.session();
        given().cookie(ConsoleSessions.COOKIE, session).get("/admin/console/jobs?status=DEAD").then().statusCode(200)
                .body(containsString("the worker stopped during this job 3 times"));
        given().cookie(ConsoleSessions.COOKIE, session).get("/admin/console/jobs/" + id).then().statusCode(200)
                .body(containsString("the worker stopped during this job 3 times"));
    }

    @Test
    void failuresSeenByAnotherReplicaCountHereToo() {
        // ten failures from this address reached the other replica behind the load balancer
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < 10; i++) {
                em.createNativeQuery("INSERT INTO console_login_failure (address, failed_at) VALUES ('127.0.0.1', ?1)")
                        .setParameter(1, java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(i))).executeUpdate();
            }
        });
        given().contentType(FORM).formParam("token", ConsoleLogin.TOKEN).post("/admin/login")
                .then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void theRightTokenOpensASessionCookieThatIsHttpOnlyAndStrict() {
        String setCookie = given().redirects().follow(false).contentType(FORM).formParam("token", ConsoleLogin.TOKEN)
                .post("/admin/login").then().statusCode(303).extract().header("Set-Cookie");
        assertThat(setCookie).contains(ConsoleSessions.COOKIE + "=", "Path=/admin", "HttpOnly", "SameSite=Strict");
        assertThat(setCookie).doesNotContain(ConsoleLogin.TOKEN);
        String session = ConsoleLogin.session();
        given().cookie(ConsoleSessions.COOKIE, session).get("/admin").then().statusCode(200)
                .body(containsString("id=\"overview\""), containsString("id=\"budgets\""), not(containsString(ConsoleLogin.TOKEN)));
        // a forged cookie is no session
        given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, session.substring(0, session.length() - 3) + "abc")
                .get("/admin").then().statusCode(303);
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefusedAndChangesNothing() {
        long id = deadJob(Map.of("x", 1));
        String session = ConsoleLogin.session();
        given().cookie(ConsoleSessions.COOKIE, session).contentType(FORM).post("/admin/console/jobs/" + id + "/replay")
                .then().statusCode(403);
        given().cookie(ConsoleSessions.COOKIE, session).contentType(FORM).formParam("csrf", "forged")
                .post("/admin/console/jobs/" + id + "/replay").then().statusCode(403);
        // a plain GET of the action's address only asks to confirm
        given().cookie(ConsoleSessions.COOKIE, session).get("/admin/console/jobs/" + id + "/replay")
                .then().statusCode(200).body(containsString("id=\"confirm-yes\""));
        assertThat(jobs.find(id).orElseThrow().status).isEqualTo(Job.Status.DEAD);
    }

    @Test
    void replayPutsADeadJobBackInTheQueueAndIsLogged() {
        long id = deadJob(Map.of("x", 2));
        String session = ConsoleLogin.session();
        String csrf = ConsoleLogin.csrf(session, "/admin/console/jobs/" + id + "/replay");
        given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, session).contentType(FORM)
                .formParam("csrf", csrf).post("/admin/console/jobs/" + id + "/replay")
                .then().statusCode(303).header("Location", containsString("/admin/console/jobs/" + id));
        assertThat(jobs.find(id).orElseThrow().status).isEqualTo(Job.Status.QUEUED);
        given().cookie(ConsoleSessions.COOKIE, session).get("/admin/console/actions").then().statusCode(200)
                .body(containsString("job:" + id), containsString("Анна"));
        // replaying it again is a conflict, not a silent success
        given().cookie(ConsoleSessions.COOKIE, session).contentType(FORM).formParam("csrf", csrf)
                .post("/admin/console/jobs/" + id + "/replay").then().statusCode(409);
        worker.runDue();

        // the job's page lists both runs, each with its outcome and reason
        String page = given().cookie(ConsoleSessions.COOKIE, session).get("/admin/console/jobs/" + id)
                .then().statusCode(200).extract().asString();
        assertThat(page.split("class=\"attempt\"", -1)).hasSize(3);
        assertThat(page).contains("Попытка 1", "в мёртвых", "no handler for job type");
    }

    @Test
    void replayingEveryDeadJobOfATypeNeedsAType() {
        String session = ConsoleLogin.session();
        String csrf = ConsoleLogin.csrf(session, "/admin");
        given().cookie(ConsoleSessions.COOKIE, session).contentType(FORM).formParam("csrf", csrf)
                .post("/admin/console/jobs/replay-dead").then().statusCode(400);
        given().cookie(ConsoleSessions.COOKIE, session).get("/admin/console/jobs?status=LOST").then().statusCode(400);
    }

    @Test
    void typedTextIsEscapedAndSecretsAreHidden() {
        long id = deadJob(Map.of("claimText", "<script>alert(1)</script>", "auth", Map.of("application_token", "s3cr3t-app"),
                "webhookUrl", "https://acme.bitrix24.ru/rest/1/hooksecret42/"));
        String session = ConsoleLogin.session();
        String detail = given().cookie(ConsoleSessions.COOKIE, session).get("/admin/console/jobs/" + id)
                .then().statusCode(200).extract().asString();
        assertThat(detail).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)")
                .doesNotContain("s3cr3t-app").doesNotContain("hooksecret42");
        String overview = given().cookie(ConsoleSessions.COOKIE, session).get("/admin").then().statusCode(200)
                .extract().asString();
        assertThat(overview).doesNotContain("<script>");
    }

    @Test
    void theJsonApiStillTakesTheBearerTokenAndNotTheConsoleCookie() {
        String session = ConsoleLogin.session();
        given().header("Authorization", "Bearer " + ConsoleLogin.TOKEN).get("/admin/jobs?status=DEAD")
                .then().statusCode(200).contentType(containsString("application/json"));
        given().cookie(ConsoleSessions.COOKIE, session).get("/admin/jobs").then().statusCode(401)
                .contentType("application/problem+json");
        given().get("/admin/1c/progress").then().statusCode(401);
    }

    @Test
    void logoutEndsTheSessionInTheBrowser() {
        String session = ConsoleLogin.session();
        String csrf = ConsoleLogin.csrf(session, "/admin");
        String setCookie = given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, session).contentType(FORM)
                .formParam("csrf", csrf).post("/admin/logout").then().statusCode(303).extract().header("Set-Cookie");
        assertThat(setCookie).contains(ConsoleSessions.COOKIE + "=;").containsIgnoringCase("Max-Age=0");
    }

    /** A job whose type has no handler: dead at once, its error saying so. */
    private long deadJob(Map<String, Object> payload) {
        long id = jobs.enqueue("no.such.handler <script>alert(2)</script>", "console-" + System.nanoTime(), payload).orElseThrow();
        worker.runDue();
        assertThat(jobs.find(id).orElseThrow().status).isEqualTo(Job.Status.DEAD);
        return id;
    }
}
