package ru.b24connector.onec;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import ru.b24connector.jobs.JobsConfig;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.concurrent.Semaphore;

/**
 * Keeps 1C work to {@code ONEC_PORTAL_SHARE} of the portal's budget while dealer claims and events compete for it.
 * Two levers, both on this replica: at most that share of the job workers apply 1C groups at a time (so claims
 * always find a worker, and their calls queue behind at most that many 1C calls in the rate limiter), and while
 * other jobs wait or run, a 1C group is sized to at most that share of the room the time budgets leave (so 1C never
 * spends a method's last room a claim needs). Alone, 1C uses the whole room.
 */
@ApplicationScoped
class OneCPortalShare {

    /** How long the answer to "is other work waiting" is reused: one query per second at most. */
    private static final long OTHERS_CHECK_MILLIS = 1000;

    @Inject
    OneCConfig config;

    @Inject
    JobsConfig jobs;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    private Semaphore workers;
    private volatile long checkedAt;
    private volatile boolean othersWaiting;

    @PostConstruct
    void init() {
        workers = new Semaphore(permits(jobs.workers(), config.portalShare()));
    }

    /** The workers 1C may hold: its share of them, at least one. */
    static int permits(int workers, double share) {
        return Math.max(1, (int) Math.floor(workers * share));
    }

    /** Takes a worker slot for 1C, or false when 1C holds its share already. */
    boolean tryEnter() {
        return workers.tryAcquire();
    }

    void leave() {
        workers.release();
    }

    /** The part of {@code roomItems} a 1C group may take now: all of it alone, its share while others wait. */
    int of(int roomItems) {
        if (roomItems == Integer.MAX_VALUE || !othersWaiting()) {
            return roomItems;
        }
        return Math.max(1, (int) Math.floor(roomItems * config.portalShare()));
    }

    /** True when a job other than 1C's runs or is due (dealer claims, events, robots, mail). */
    boolean othersWaiting() {
        long now = clock.millis();
        if (now - checkedAt > OTHERS_CHECK_MILLIS) {
            othersWaiting = QuarkusTransaction.requiringNew().call(() -> !em.createNativeQuery("""
                            SELECT id FROM job WHERE type NOT LIKE 'onec.%' AND (status = 'RUNNING'
                              OR (status = 'QUEUED' AND run_at <= ?1)) LIMIT 1""")
                    .setParameter(1, Timestamp.from(clock.instant())).getResultList().isEmpty());
            checkedAt = now;
        }
        return othersWaiting;
    }
}
