package ru.b24connector.console;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Failed console logins per client address in a sliding minute, in the shared database (table
 * {@code console_login_failure}), so the limit holds across all replicas behind a load balancer: after
 * {@value #MAX_FAILURES} failures an address is refused (429) until the oldest of them is a minute old.
 */
@ApplicationScoped
public class LoginLimiter {

    static final int MAX_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    /** Seconds until {@code address} may try again; 0 when it may now. */
    long blockedSeconds(String address) {
        Instant now = clock.instant();
        Object[] row = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                        "SELECT COUNT(*), MIN(failed_at) FROM console_login_failure WHERE address = ?1 AND failed_at > ?2")
                .setParameter(1, key(address)).setParameter(2, Timestamp.from(now.minus(WINDOW))).getSingleResult());
        if (((Number) row[0]).intValue() < MAX_FAILURES) {
            return 0;
        }
        Instant oldest = row[1] instanceof Timestamp t ? t.toInstant()
                : Timestamp.valueOf((java.time.LocalDateTime) row[1]).toInstant();
        return Math.max(1, (Duration.between(now, oldest.plus(WINDOW)).toMillis() + 999) / 1000);
    }

    void failed(String address) {
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("INSERT INTO console_login_failure (address, failed_at) VALUES (?1, ?2)")
                    .setParameter(1, key(address)).setParameter(2, Timestamp.from(now)).executeUpdate();
            // windows already over, of every address: the table stays as small as the last minute's failures
            em.createNativeQuery("DELETE FROM console_login_failure WHERE failed_at <= ?1")
                    .setParameter(1, Timestamp.from(now.minus(WINDOW))).executeUpdate();
        });
    }

    /** Forgets every failure (tests). */
    void clear() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("DELETE FROM console_login_failure")
                .executeUpdate());
    }

    private static String key(String address) {
        return address == null ? "unknown" : address.length() <= 64 ? address : address.substring(0, 64);
    }
}
