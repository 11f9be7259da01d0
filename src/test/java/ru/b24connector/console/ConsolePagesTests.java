package ru.b24connector.console;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.testsupport.CleanSlate;
import ru.b24connector.testsupport.InjectPortalMock;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.nio.file.Files;
import java.nio.file.Path;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/** The console's pages beyond jobs: finding a deal and its card, escalations, 1C, the process and its dry run. */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class ConsolePagesTests {

    private static final String FORM = "application/x-www-form-urlencoded; charset=UTF-8";

    @InjectPortalMock
    WireMockServer portal;

    String session;

    @BeforeEach
    void login() {
        CleanSlate.reset();
        session = ConsoleLogin.session();
    }

    @Test
    void findsADealByClaimIdInnAndDealIdAndOpensItsCardWithTheDealersTextEscaped() {
        long dealId = ConsoleFixtures.newDealId();
        ConsoleFixtures.claim(dealId, "CON-" + dealId, "7707083893");
        ConsoleFixtures.deal(portal, dealId);

        for (String q : new String[]{"CON-" + dealId, "7707083893", String.valueOf(dealId)}) {
            given().cookie(ConsoleSessions.COOKIE, session).queryParam("q", q).get("/admin/console/find")
                    .then().statusCode(200).body(containsString("href=\"/admin/console/deals/" + dealId + "\""));
        }
        given().cookie(ConsoleSessions.COOKIE, session).queryParam("q", "NO-SUCH-CLAIM").get("/admin/console/find")
                .then().statusCode(200).body(containsString("id=\"no-match\""));

        String card = given().cookie(ConsoleSessions.COOKIE, session).get("/admin/console/deals/" + dealId)
                .then().statusCode(200).extract().asString();
        assertThat(card).contains("Редуктор GBX-24", "CON-" + dealId, "&lt;script&gt;").doesNotContain(ConsoleFixtures.XSS);
    }

    @Test
    void resendNeedsTheCsrfTokenAndIsLogged() {
        long dealId = ConsoleFixtures.newDealId();
        given().cookie(ConsoleSessions.COOKIE, session).contentType(FORM).post("/admin/console/deals/" + dealId + "/resend")
                .then().statusCode(403);
        String csrf = ConsoleLogin.csrf(session, "/admin");
        given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, session).contentType(FORM).formParam("csrf", csrf)
                .post("/admin/console/deals/" + dealId + "/resend").then().statusCode(303)
                .header("Location", containsString("notice=none"));
        given().cookie(ConsoleSessions.COOKIE, session).get("/admin/console/actions").then().statusCode(200)
                .body(containsString("deal:" + dealId), containsString("nothing to resend"));
    }

    @Test
    void theDryRunShowsThePlanAndChangesNothing() throws Exception {
        long dealId = ConsoleFixtures.newDealId();
        ConsoleFixtures.deal(portal, dealId);
        String yaml = Files.readString(Path.of("src/main/resources/processes/examples/follow-ups.yaml"));
        String csrf = ConsoleLogin.csrf(session, "/admin/console/process");
        String page = given().cookie(ConsoleSessions.COOKIE, session).contentType(FORM).formParam("csrf", csrf)
                .formParam("deal", String.valueOf(dealId)).formParam("yaml", yaml)
                .post("/admin/console/process/dry-run").then().statusCode(200).extract().asString();
        assertThat(page).contains("id=\"dry-run-summary\"", "deal " + dealId + " in stage INVOICE", "id=\"plan-tasks\"",
                "href=\"/admin/console/process?lang=en\""); // a POST's answer links to its page, not to itself
        portal.verify(0, postRequestedFor(urlPathEqualTo(PortalWireMock.WEBHOOK_PATH + "tasks.task.add")));

        given().cookie(ConsoleSessions.COOKIE, session).contentType(FORM).formParam("csrf", csrf).formParam("deal", "abc")
                .post("/admin/console/process/dry-run").then().statusCode(400);
        given().cookie(ConsoleSessions.COOKIE, session).contentType(FORM).formParam("csrf", csrf)
                .formParam("yaml", "pipelines: [").post("/admin/console/process/validate")
                .then().statusCode(200).body(containsString("class=\"error\" id=\"validation\""));
    }

    @Test
    void escalationsListTheOverdueTaskWithItsLevelAndLateness() {
        long dealId = ConsoleFixtures.newDealId();
        ConsoleFixtures.overdueTask(dealId, "Проверить <b>комплектность</b>");
        try {
            String page = given().cookie(ConsoleSessions.COOKIE, session).get("/admin/console/escalations")
                    .then().statusCode(200).extract().asString();
            assertThat(page).contains("href=\"/admin/console/deals/" + dealId + "\"", "Проверить &lt;b&gt;комплектность&lt;/b&gt;",
                    "1 / 2");
        } finally { // an open overdue task would be escalated by other tests' scans
            ConsoleFixtures.sql("DELETE FROM tracked_task WHERE dedup_key = ?1", "console-test:" + dealId);
        }
    }

    @Test
    void theOneCPageShowsTheLogAndTheWatermarks() {
        long dealId = ConsoleFixtures.newDealId();
        String ref = java.util.UUID.randomUUID().toString();
        java.sql.Timestamp now = java.sql.Timestamp.from(java.time.Instant.now());
        ConsoleFixtures.sql("INSERT INTO onec_exchange (direction, kind, ref, number, status, deal_id, error, created_at, "
                + "updated_at) VALUES ('PULL', 'RECLAMATION', ?1, 'РК-<i>7</i>', 'REJECTED', ?2, 'inn [checksum]: bad', ?3, ?3)",
                ref, dealId, now);
        ConsoleFixtures.sql("INSERT INTO onec_watermark (entity_set, since, next_skip, last_error, updated_at) "
                + "VALUES ('Console_Test_Set', ?1, 40, 'OData 503 from https://user:pw@1c.example.ru/odata', ?1)", now);
        try {
            String page = given().cookie(ConsoleSessions.COOKIE, session).queryParam("ref", ref.toUpperCase())
                    .queryParam("status", "rejected").get("/admin/console/1c").then().statusCode(200).extract().asString();
            assertThat(page).contains(ref, "РК-&lt;i&gt;7&lt;/i&gt;", "inn [checksum]: bad", "Console_Test_Set", ">40 (")
                    .doesNotContain("user:pw");
            given().cookie(ConsoleSessions.COOKIE, session).get("/admin").then().statusCode(200)
                    .body(containsString("Console_Test_Set"));
        } finally {
            ConsoleFixtures.sql("DELETE FROM onec_watermark WHERE entity_set = 'Console_Test_Set'");
        }
    }

    @Test
    void aValidCandidateFileIsSummarized() throws Exception {
        String yaml = Files.readString(Path.of("src/main/resources/processes/examples/contract-approval.yaml"));
        String csrf = ConsoleLogin.csrf(session, "/admin/console/process");
        given().cookie(ConsoleSessions.COOKIE, session).contentType(FORM).formParam("csrf", csrf).formParam("yaml", yaml)
                .post("/admin/console/process/validate").then().statusCode(200)
                .body(containsString("class=\"good\" id=\"validation\""));
    }

    @Test
    void replayingATypeAsksFirst() {
        given().cookie(ConsoleSessions.COOKIE, session).queryParam("type", "mail.decision")
                .get("/admin/console/jobs/replay-dead").then().statusCode(200)
                .body(containsString("name=\"type\" value=\"mail.decision\""), containsString("id=\"confirm-yes\""));
    }

    @Test
    void theOtherPagesRender() {
        given().cookie(ConsoleSessions.COOKIE, session).get("/admin/console/process").then().statusCode(200)
                .body(containsString("id=\"process-current\""));
        given().cookie(ConsoleSessions.COOKIE, session).get("/admin/console/escalations").then().statusCode(200);
        given().cookie(ConsoleSessions.COOKIE, session).get("/admin/console/1c?status=REJECTED").then().statusCode(200)
                .body(containsString("id=\"onec-filter\""));
        given().cookie(ConsoleSessions.COOKIE, session).get("/admin/console/1c?direction=SIDEWAYS").then().statusCode(400);
        given().cookie(ConsoleSessions.COOKIE, session).get("/admin/console/jobs?status=DEAD").then().statusCode(200);
        given().cookie(ConsoleSessions.COOKIE, session).get("/admin?lang=en").then().statusCode(200)
                .body(containsString("Dead letters"), containsString("webhook"))
                .header("Set-Cookie", containsString(ConsoleGate.LANG_COOKIE + "=en"));
    }
}
