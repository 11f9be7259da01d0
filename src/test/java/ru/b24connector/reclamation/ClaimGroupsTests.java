package ru.b24connector.reclamation;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.JobDeferred;
import ru.b24connector.outage.DatabaseProbe;
import ru.b24connector.outage.Outages;
import ru.b24connector.testsupport.CleanSlate;
import ru.b24connector.testsupport.FreezeAtCommit;
import ru.b24connector.testsupport.MariaDbKiller;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A group lets go of its claims by its own token: a release made late (the database missed it when the group ended,
 * see DealerLeasesTests and DatabaseHangIT) must never free claims a newer group holds, or two workers would put
 * the same claim into the CRM at once.
 */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class ClaimGroupsTests {

    @Inject
    ClaimGroups groups;

    @Inject
    EntityManager em;

    @Inject
    DatabaseProbe probe;

    private Path frozen;

    @BeforeEach
    void fresh() {
        CleanSlate.reset();
    }

    @AfterEach
    void thaw() throws Exception {
        FreezeAtCommit.fired(); // disarmed whatever happened
        MariaDbKiller.thawAndAwait(frozen, probe::runOnce);
        frozen = null;
    }

    /**
     * The database froze with the take's COMMIT sent (FreezeAtCommit): it commits the take when it wakes, but the
     * worker never hears so. DatabaseHangIT once saw such claims sit out their 60 s hold after everything else was
     * done; the take's token lets them go as soon as the database answers again.
     */
    @Test
    @DisplayName("A take whose COMMIT got no answer is let go when the database answers, not after its minute")
    void aTakeWhoseAnswerWasLostIsLetGoWhenTheDatabaseAnswers() throws Exception {
        long id = submit(ReclamationIntakeTests.newInn());
        frozen = Path.of(MariaDbResource.dataDir());
        FreezeAtCommit.arm("SELECT COUNT(*) FROM reclamation WHERE id = ?1 AND claim_group IS NOT NULL", id, frozen);

        assertThatThrownBy(() -> groups.claim(id, 1, 1)).as("the take's answer is lost")
                .satisfies(e -> assertThat(Outages.databaseDown(e)).as("a wait: %s", e).isTrue());
        assertThat(FreezeAtCommit.fired()).as("frozen between the take's UPDATE and its COMMIT").isTrue();
        MariaDbKiller.thaw(frozen);
        frozen = null;
        long start = System.nanoTime();
        while (!probe.runOnce() && System.nanoTime() - start < 10_000_000_000L) {
            Thread.sleep(250);
        }
        assertThat(held(id)).as("the database did commit the take: the claim is held for a minute").isTrue();

        List<Reclamation> next = groups.claim(id, 1, 1);
        assertThat(next).extracting(r -> r.id).as("taken again at once, not deferred for the hold's minute")
                .containsExactly(id);
        groups.letGo(next, Map.of(), id);
    }

    /** Whether a group holds the claim, as the database has it committed. */
    private boolean held(long id) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT COUNT(*) FROM reclamation WHERE id = ?1 AND claim_group IS NOT NULL").setParameter(1, id)
                .getSingleResult()).longValue() > 0);
    }

    private static long submit(String inn) {
        return given().header("Authorization", "Bearer dealer-a-token").contentType(ContentType.JSON)
                .body(ReclamationIntakeTests.claim(inn, "CG-" + inn, "cg-" + inn + "@tehnosnab.ru", null))
                .post("/api/v1/reclamations").then().statusCode(202).extract().jsonPath().getLong("id");
    }

    @Test
    @DisplayName("An old group's late release leaves the claim with the group that holds it now")
    void aLateReleaseOfAnOldGroupDoesNotFreeANewerGroupsClaim() {
        long id = submit(ReclamationIntakeTests.newInn());

        List<Reclamation> first = groups.claim(id, 1, 1);
        assertThat(first).extracting(r -> r.id).containsExactly(id);
        assertThatThrownBy(() -> groups.claim(id, 1, 1)).as("held by the first group").isInstanceOf(JobDeferred.class);

        // the first group's hold ran out (its worker hung longer than a minute); a second group takes the claim
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE reclamation SET claimed_until = ?1 WHERE id = ?2")
                .setParameter(1, java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(1))).setParameter(2, id)
                .executeUpdate());
        List<Reclamation> second = groups.claim(id, 1, 1);
        assertThat(second).extracting(r -> r.id).containsExactly(id);

        groups.letGo(first, Map.of(), id); // the first group ends late
        assertThatThrownBy(() -> groups.claim(id, 1, 1)).as("still held by the second group")
                .isInstanceOf(JobDeferred.class);

        groups.letGo(second, Map.of(), id);
        List<Reclamation> third = groups.claim(id, 1, 1);
        assertThat(third).as("free once its holder lets it go").hasSize(1);
        groups.letGo(third, Map.of(), id);
    }
}
