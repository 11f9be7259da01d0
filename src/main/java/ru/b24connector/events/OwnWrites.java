package ru.b24connector.events;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The service's own recent stage moves, so that the event a move triggers is recognised as its echo and not
 * processed as work. The portal sends {@code ONCRMDEALUPDATE} for every change, ours included (online events
 * always; offline ones unless {@code auth_connector} keeps them out, which needs the Professional plan). An event
 * is an echo when its {@code ts} falls between the sending of our write and a moment after its answer. A person's
 * change in those seconds is skipped with it; the process scan of modified deals still finds it.
 */
@ApplicationScoped
public class OwnWrites {

    /** Slack after the answer: the portal dispatches the event a moment after the write, in whole seconds. */
    static final Duration SLACK = Duration.ofSeconds(2);

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    /**
     * Records a deal update the writer has already taken into account itself (the process engine's own stage move,
     * which it observes at once). Writes whose effects the engine must still see (a robot filling a field that a
     * move's condition reads) are not recorded: their events are work.
     */
    public void recorded(long dealId, Instant sentAt) {
        try {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                            INSERT INTO portal_own_write (entity, entity_id, sent_at, answered_at) VALUES ('deal', ?1, ?2, ?3)
                            ON DUPLICATE KEY UPDATE sent_at = VALUES(sent_at), answered_at = VALUES(answered_at)""")
                    .setParameter(1, dealId).setParameter(2, Timestamp.from(sentAt))
                    .setParameter(3, Timestamp.from(clock.instant())).executeUpdate());
        } catch (RuntimeException e) {
            // only an optimisation: without the row the echo is processed (one read, no work) as before
            Log.debugf("Own write of deal %d not recorded: %s", dealId, e.toString());
        }
    }

    /**
     * Whether a deal event dispatched at {@code ts} (unix seconds, the portal's clock) is the echo of our own last
     * write of that deal.
     */
    public boolean isEcho(long dealId, long ts) {
        if (ts <= 0) {
            return false;
        }
        java.util.List<?> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "SELECT sent_at, answered_at FROM portal_own_write WHERE entity = 'deal' AND entity_id = ?1")
                .setParameter(1, dealId).getResultList());
        Object[] row = rows.isEmpty() ? null : (Object[]) rows.get(0);
        if (row == null) {
            return false;
        }
        long from = instant(row[0]).getEpochSecond();
        long to = instant(row[1]).plus(SLACK).getEpochSecond();
        return ts >= from && ts <= to;
    }

    private static Instant instant(Object value) {
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.LocalDateTime l) {
            return Timestamp.valueOf(l).toInstant();
        }
        return (Instant) value;
    }
}
