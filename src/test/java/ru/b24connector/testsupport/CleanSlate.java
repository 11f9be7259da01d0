package ru.b24connector.testsupport;

import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.persistence.EntityManager;
import ru.b24connector.outage.Dependency;
import ru.b24connector.outage.DependencyState;
import ru.b24connector.portal.PortalLimits;

/**
 * Starts a test as on a fresh service: no jobs left over from other test classes (whose portal stubs are gone),
 * closed circuit breakers and a full request bucket.
 */
public final class CleanSlate {

    private CleanSlate() {
    }

    public static void reset() {
        QuarkusTransaction.requiringNew().run(() -> {
            EntityManager em = Arc.container().instance(EntityManager.class).get();
            em.createNativeQuery("DELETE FROM job WHERE status IN ('QUEUED', 'RUNNING')").executeUpdate();
            // claims other tests left waiting would otherwise join the next intake's processing group
            em.createNativeQuery("UPDATE reclamation SET status = 'IN_CRM' WHERE status = 'ACCEPTED'").executeUpdate();
            // and 1C records left waiting would join the next test's 1C group
            em.createNativeQuery("UPDATE onec_object SET apply_waiting = FALSE, lease_owner = NULL, lease_until = NULL")
                    .executeUpdate();
        });
        Arc.container().instance(CircuitBreakerMaintenance.class).get().resetAll();
        PortalLimits.reset();
        DependencyState dependencies = Arc.container().instance(DependencyState.class).get();
        for (Dependency d : Dependency.values()) {
            dependencies.up(d);
        }
    }

    /** Closes circuit breakers a test opened on purpose (an outage it staged). */
    public static void resetBreakersOnly() {
        Arc.container().instance(CircuitBreakerMaintenance.class).get().resetAll();
    }
}
