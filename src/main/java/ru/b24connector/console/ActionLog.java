package ru.b24connector.console;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** The console's actions: one log line and one {@code console_action} row each, listed on the pages. */
@ApplicationScoped
public class ActionLog {

    /** One action: when, who from where, what on which target, and the outcome. */
    public record Entry(Instant at, String who, String address, String action, String target, String outcome) {
    }

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    void record(ConsoleSession session, String action, String target, String outcome) {
        Instant now = clock.instant();
        Log.infof("Console action %s on %s by %s from %s: %s", action, target, session.who(), session.address(), outcome);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "INSERT INTO console_action (at, who, address, action, target, outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, Timestamp.from(now)).setParameter(2, cut(session.who(), 100))
                .setParameter(3, cut(session.address(), 64)).setParameter(4, action).setParameter(5, cut(target, 200))
                .setParameter(6, cut(outcome, 500)).executeUpdate());
    }

    /** Newest first; {@code target} null: all. */
    @SuppressWarnings("unchecked")
    List<Entry> recent(String target, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var query = em.createNativeQuery("SELECT at, who, address, action, target, outcome FROM console_action"
                    + (target == null ? "" : " WHERE target = ?1") + " ORDER BY id DESC");
            if (target != null) {
                query.setParameter(1, target);
            }
            return ((List<Object[]>) query.setMaxResults(limit).getResultList()).stream()
                    .map(r -> new Entry(instant(r[0]), (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                            (String) r[5])).toList();
        });
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

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
