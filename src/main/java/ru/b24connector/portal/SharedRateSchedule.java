package ru.b24connector.portal;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * The portal's leaky bucket as one GCRA schedule in the database, shared by every replica: a caller locks the
 * row, reserves the next slot and commits (one short transaction), then waits for its slot outside it. The
 * database's clock is the one clock all replicas read.
 */
@ApplicationScoped
class SharedRateSchedule {

    private static final String NAME = "portal";

    @Inject
    EntityManager em;

    /** Reserves a slot; returns how many microseconds to wait before using it. */
    long reserve(long intervalMicros, long toleranceMicros) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Object[] row = (Object[]) em.createNativeQuery("SELECT tat_micros, "
                            + "CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS SIGNED) FROM rate_schedule WHERE name = ?1 FOR UPDATE")
                    .setParameter(1, NAME).getSingleResult();
            long tat = ((Number) row[0]).longValue();
            long now = ((Number) row[1]).longValue();
            long start = Math.max(tat, now);
            long wait = Math.max(0, start - toleranceMicros - now);
            em.createNativeQuery("UPDATE rate_schedule SET tat_micros = ?1 WHERE name = ?2")
                    .setParameter(1, start + intervalMicros).setParameter(2, NAME).executeUpdate();
            return wait;
        });
    }

    /** The portal said QUERY_LIMIT_EXCEEDED: treat the bucket as full from now on. */
    void full(long toleranceMicros) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE rate_schedule SET tat_micros = "
                        + "GREATEST(tat_micros, CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS SIGNED) + ?1) WHERE name = ?2")
                .setParameter(1, toleranceMicros).setParameter(2, NAME).executeUpdate());
    }

    /** Microseconds the schedule runs ahead of now (0 when the bucket is empty); reads, locks nothing. */
    long aheadMicros() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("SELECT GREATEST(0, "
                        + "tat_micros - CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS SIGNED)) FROM rate_schedule WHERE name = ?1")
                .setParameter(1, NAME).getSingleResult()).longValue());
    }

    void reset() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE rate_schedule SET tat_micros = 0 WHERE name = ?1").setParameter(1, NAME).executeUpdate());
    }
}
