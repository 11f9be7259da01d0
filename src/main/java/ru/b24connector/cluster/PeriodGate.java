package ru.b24connector.cluster;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.net.InetAddress;
import java.time.Duration;
import java.util.UUID;

/**
 * Lets a periodic scan run once per period across all replicas: the replica whose single conditional UPDATE
 * moves the row's last run forward runs the scan; the others skip. The database's clock decides, so replica
 * clocks need not agree. (A JDBC lock library would do the same; ShedLock's JDBC provider does not resolve
 * from the registry here, and this is one statement.)
 */
@ApplicationScoped
public class PeriodGate {

    private final String owner = host() + "/" + UUID.randomUUID().toString().substring(0, 8);

    @Inject
    EntityManager em;

    /**
     * @return true if this replica should run {@code name} now: nobody ran it within 90 % of {@code period}
     *         (the slack absorbs scheduler jitter between replicas)
     */
    public boolean tryStart(String name, Duration period) {
        long slackMicros = period.toNanos() / 1000 * 9 / 10;
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("INSERT IGNORE INTO scheduled_run "
                + "(name, last_run_at, owner) VALUES (?1, '1970-01-01 00:00:01', '')").setParameter(1, name).executeUpdate());
        try {
            return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                            "UPDATE scheduled_run SET last_run_at = NOW(6), owner = ?1 "
                                    + "WHERE name = ?2 AND last_run_at <= NOW(6) - INTERVAL ?3 MICROSECOND")
                    .setParameter(1, owner).setParameter(2, name).setParameter(3, slackMicros)
                    .executeUpdate() == 1);
        } catch (jakarta.persistence.PessimisticLockException | jakarta.persistence.LockTimeoutException e) {
            return false; // another replica is taking this period right now
        }
    }

    /** Forgets when {@code name} last ran (tests, and an administrator forcing a run). */
    public void reset(String name) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "DELETE FROM scheduled_run WHERE name = ?1").setParameter(1, name).executeUpdate());
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "replica";
        }
    }
}
