package ru.b24connector.reclamation;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ru.b24connector.jobs.JobDeferred;
import ru.b24connector.testsupport.CleanSlate;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

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

    @BeforeEach
    void fresh() {
        CleanSlate.reset();
    }

    @Test
    @DisplayName("An old group's late release leaves the claim with the group that holds it now")
    void aLateReleaseOfAnOldGroupDoesNotFreeANewerGroupsClaim() {
        String inn = ReclamationIntakeTests.newInn();
        long id = given().header("Authorization", "Bearer dealer-a-token").contentType(ContentType.JSON)
                .body(ReclamationIntakeTests.claim(inn, "CG-" + inn, "cg-" + inn + "@tehnosnab.ru", null))
                .post("/api/v1/reclamations").then().statusCode(202).extract().jsonPath().getLong("id");

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
