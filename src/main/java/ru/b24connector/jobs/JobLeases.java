package ru.b24connector.jobs;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The leases of running jobs, for the replicas that hold them: renewed by a live worker's heartbeat, taken back at
 * once by a restarted replica (a crash each: its earlier incarnation died during them), released by a clean stop
 * (no crash, no attempt). Split from {@link JobQueue}, which keeps enqueue, claim and the outcomes of a run.
 */
@ApplicationScoped
public class JobLeases {

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    JobsConfig config;

    @Inject
    Event<JobQueue.Enqueued> enqueued;

    @Inject
    Event<JobQueue.Crashed> crashed;

    /**
     * Extends the lease of the jobs {@code worker} is running now (its heartbeat); returns how many. Only those: a
     * job whose outcome could not be written (the database was down) must run out of its lease, not be renewed.
     */
    public int renewLeases(String worker, Collection<Long> running) {
        if (running.isEmpty()) {
            return 0;
        }
        Timestamp until = Timestamp.from(clock.instant().plus(config.lease()));
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "UPDATE job SET locked_until = ?1 WHERE id IN (?3) AND locked_by = ?2 AND status = 'RUNNING'")
                .setParameter(1, until).setParameter(2, worker).setParameter(3, new ArrayList<>(running))
                .executeUpdate());
    }

    /**
     * Puts back at once the jobs an earlier incarnation of this replica ({@code replica}, any worker id but
     * {@code current}) was running when it died, instead of waiting for their leases; no attempt is spent.
     */
    public int takeBack(String replica, String current) {
        Timestamp now = Timestamp.from(clock.instant());
        String pattern = replica.replace("%", "\\%").replace("_", "\\_") + "/%";
        // the earlier incarnation died during these jobs: a crash each (a clean stop released its jobs instead);
        // MariaDB assigns left to right, so status and last_error see the old count
        List<Object[]> dead = deadByCrash("locked_by LIKE ?2 AND locked_by <> ?3", pattern, current);
        int taken = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                        UPDATE job SET status = IF(crashes + 1 >= ?4, 'DEAD', 'QUEUED'),
                               last_error = IF(crashes + 1 >= ?4, CONCAT('the worker stopped during this job ',
                                                                        crashes + 1, ' times'), last_error),
                               crashes = crashes + 1, attempts = GREATEST(attempts - 1, 0), locked_by = NULL,
                               locked_until = NULL, run_at = ?1, updated_at = ?1
                        WHERE status = 'RUNNING' AND locked_by LIKE ?2 AND locked_by <> ?3""")
                .setParameter(1, now).setParameter(2, pattern).setParameter(3, current)
                .setParameter(4, config.maxCrashes()).executeUpdate());
        dead.forEach(r -> crashed.fire(new JobQueue.Crashed(((Number) r[0]).longValue(), (String) r[1],
                Math.max(0, ((Number) r[2]).intValue() - 1), ((Number) r[3]).intValue() + 1)));
        taken -= dead.size();
        if (taken > 0) {
            enqueued.fire(new JobQueue.Enqueued("taken-back"));
        }
        return taken;
    }

    /** Jobs that {@link #takeBack} is about to dead-letter: id, type, attempts, crashes so far. */
    @SuppressWarnings("unchecked")
    private List<Object[]> deadByCrash(String where, String pattern, String current) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "SELECT id, type, attempts, crashes FROM job WHERE status = 'RUNNING' AND crashes + 1 >= ?1 AND "
                                + where).setParameter(1, config.maxCrashes()).setParameter(2, pattern)
                .setParameter(3, current).getResultList());
    }

    /**
     * Gives up the jobs {@code worker} still holds (a clean stop whose grace ran out): due at once for any other
     * worker, no attempt spent and no crash counted, since the run did not fail and the worker did not die; returns
     * how many.
     */
    public int release(String worker, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        Timestamp now = Timestamp.from(clock.instant());
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                        UPDATE job SET status = 'QUEUED', attempts = GREATEST(attempts - 1, 0), locked_by = NULL,
                               locked_until = NULL, run_at = ?1, updated_at = ?1, version = version + 1,
                               last_error = 'released by a replica that stopped during the run'
                        WHERE id IN (?3) AND locked_by = ?2 AND status = 'RUNNING'""")
                .setParameter(1, now).setParameter(2, worker).setParameter(3, new ArrayList<>(ids)).executeUpdate());
    }

}
