package ru.b24connector.outage;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.bench.IntakeBurst;
import ru.b24connector.testsupport.FreezeAtCommit;
import ru.b24connector.testsupport.MariaDbKiller;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.nio.file.Path;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database hangs (its process stopped with SIGSTOP: connections open, no answers, as a frozen VM or a network
 * partition behaves). Every answer still comes within 10 s: the first request meets the socket timeout and gets
 * 503 with Retry-After, the next ones get it at once, readiness is DOWN, the console shows a page saying so; when
 * the database answers again the probe notices and intake stores again by itself.
 */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class DatabaseHangTests {

    private static final long ANSWER_BOUND_MILLIS = 10_000;

    @Inject
    DependencyState state;

    @Inject
    DatabaseProbe probe;

    @Inject
    jakarta.persistence.EntityManager em;

    private Path frozen;

    @AfterEach
    void thaw() throws Exception {
        MariaDbKiller.thawAndAwait(frozen, probe::runOnce);
        frozen = null;
    }

    @Test
    void whileTheDatabaseHangsEveryAnswerComesWithinTenSecondsAndIntakeResumesByItselfAfterwards() throws Exception {
        Map<String, String> console = given().contentType("application/x-www-form-urlencoded")
                .formParam("token", "test-admin-token").redirects().follow(false).post("/admin/login")
                .then().statusCode(303).extract().cookies();
        freeze();

        long start = System.nanoTime();
        Response first = intake("HANG-1");
        long firstMillis = millisSince(start);
        assertThat(first.statusCode()).as("the first request meets the timeouts").isEqualTo(503);
        assertThat(first.header("Retry-After")).isEqualTo("10");
        assertThat(firstMillis).as("first answer time").isLessThan(ANSWER_BOUND_MILLIS);
        assertThat(state.isDown(Dependency.DATABASE)).isTrue();

        start = System.nanoTime();
        Response next = intake("HANG-2");
        assertThat(next.statusCode()).isEqualTo(503);
        assertThat(next.contentType()).contains("application/problem+json");
        assertThat(millisSince(start)).as("known down: refused at once, no thread waits").isLessThan(1_000);

        start = System.nanoTime();
        given().get("/q/health/ready").then().statusCode(503);
        assertThat(millisSince(start)).as("readiness answer time").isLessThan(ANSWER_BOUND_MILLIS);

        start = System.nanoTime();
        Response page = given().cookies(console).get("/admin");
        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.contentType()).contains("text/html");
        assertThat(page.header("Retry-After")).isEqualTo("10");
        String body = page.asString();
        assertThat(body).contains("База данных недоступна", "The database is unavailable");
        assertThat(body.indexOf("База данных недоступна")).as("Russian first")
                .isLessThan(body.indexOf("The database is unavailable"));
        // refused at once, or (one request every 2 s) a trial bounded by the pool's wait
        assertThat(millisSince(start)).isLessThan(ANSWER_BOUND_MILLIS);

        MariaDbKiller.thaw(frozen);
        frozen = null;
        start = System.nanoTime();
        while (!probe.runOnce() && millisSince(start) < 20_000) {
            Thread.sleep(250);
        }
        assertThat(state.isDown(Dependency.DATABASE)).as("the probe found it answering again").isFalse();
        assertThat(intake("HANG-1").statusCode()).as("stored, the sender's retry succeeds").isEqualTo(202);
        given().get("/q/health/ready").then().statusCode(200);
    }

    /**
     * A COMMIT sent just before the database froze gets no answer; whether it took effect is unknown. The sender is
     * told to send again (503, as for any outage, never a 500), and the repeat finds the claim if the COMMIT did land.
     */
    @Test
    void aClaimWhoseCommitGetsNoAnswerIsAnsweredAsAnOutageAndItsRepeatIsStoredOnce() throws Exception {
        String claimId = claimId("COMMIT-1");
        FreezeAtCommit.armForClaim(claimId, Path.of(MariaDbResource.dataDir()));
        frozen = Path.of(MariaDbResource.dataDir());
        long start = System.nanoTime();
        Response lost = intake("COMMIT-1");
        assertThat(FreezeAtCommit.fired()).as("the database froze between the claim's INSERT and its COMMIT").isTrue();
        assertThat(lost.statusCode()).as("not a 500: the database did not answer, " + lost.asString()).isEqualTo(503);
        assertThat(lost.header("Retry-After")).isEqualTo("10");
        assertThat(lost.contentType()).contains("application/problem+json");
        assertThat(millisSince(start)).as("answer time").isLessThan(ANSWER_BOUND_MILLIS);

        MariaDbKiller.thawAndAwait(frozen, probe::runOnce);
        frozen = null;
        assertThat(intake("COMMIT-1").statusCode()).as("the repeat: stored now (202) or found (200)").isIn(200, 202);
        assertThat(intake("COMMIT-1").statusCode()).as("and a repeat of that").isEqualTo(200);
        Number rows = QuarkusTransaction.requiringNew().call(() -> (Number) em.createNativeQuery(
                "SELECT COUNT(*) FROM reclamation WHERE dealer_claim_id = ?1").setParameter(1, claimId).getSingleResult());
        assertThat(rows.longValue()).as("stored once").isEqualTo(1);
    }

    private void freeze() throws Exception {
        frozen = Path.of(MariaDbResource.dataDir());
        MariaDbKiller.freeze(frozen);
    }

    /** The claim id {@code name} gets in this run (unique per test JVM). */
    private static String claimId(String name) {
        return name + "-" + ProcessHandle.current().pid();
    }

    private static Response intake(String name) {
        String body = ("{\"dealer\":{\"companyName\":\"ООО Зависание\",\"inn\":\"%s\",\"contactName\":\"Иван Петров\","
                + "\"email\":\"hang@example.ru\",\"phone\":\"8 (912) 345-67-89\"},\"dealerClaimId\":\"%s\","
                + "\"claimText\":\"Течь масла\",\"items\":[{\"productName\":\"Редуктор GBX-24\",\"quantity\":1}]}")
                .formatted(IntakeBurst.inn(771_234_567L), claimId(name));
        return given().header("Authorization", "Bearer dealer-a-token").contentType("application/json").body(body)
                .post("/api/v1/reclamations");
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
