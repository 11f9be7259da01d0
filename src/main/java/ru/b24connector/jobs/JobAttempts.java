package ru.b24connector.jobs;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Each run of a job and how it ended, for an administrator asking why a job is where it is. */
@ApplicationScoped
public class JobAttempts {

    /** One run: when, by which worker, the outcome (done, failed, dead, skipped, waiting) and why. */
    public record Attempt(int attempt, Instant startedAt, Instant finishedAt, String outcome, String detail,
                          String worker) {
    }

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    /** Records a finished run; history is a record, not work, so a failure to write it is only logged. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void record(Job job, Instant startedAt, String outcome, String detail, String worker) {
        em.createNativeQuery("INSERT INTO job_attempt (job_id, attempt, started_at, finished_at, outcome, detail, worker)"
                        + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .setParameter(1, job.id).setParameter(2, job.attempts).setParameter(3, Timestamp.from(startedAt))
                .setParameter(4, Timestamp.from(clock.instant())).setParameter(5, outcome)
                .setParameter(6, detail == null ? null : detail.length() > 1000 ? detail.substring(0, 1000) : detail)
                .setParameter(7, worker == null || worker.length() <= 200 ? worker : worker.substring(0, 200)).executeUpdate();
    }

    void recordQuietly(Job job, Instant startedAt, String outcome, String detail, String worker) {
        try {
            record(job, startedAt, outcome, detail, worker);
        } catch (RuntimeException e) {
            Log.debugf("Job %d: attempt not recorded: %s", job.id, e.getMessage());
        }
    }

    /** The job's runs, oldest first, at most {@code limit} of the newest. */
    @SuppressWarnings("unchecked")
    public List<Attempt> of(long jobId, int limit) {
        List<Object[]> rows = em.createNativeQuery("SELECT attempt, started_at, finished_at, outcome, detail, worker"
                        + " FROM job_attempt WHERE job_id = ?1 ORDER BY id DESC LIMIT ?2")
                .setParameter(1, jobId).setParameter(2, limit).getResultList();
        List<Object[]> oldestFirst = new java.util.ArrayList<>(rows);
        java.util.Collections.reverse(oldestFirst);
        return oldestFirst.stream().map(r -> new Attempt(((Number) r[0]).intValue(), instant(r[1]), instant(r[2]),
                (String) r[3], (String) r[4], (String) r[5])).toList();
    }

    private static Instant instant(Object value) {
        return value instanceof Timestamp t ? t.toInstant() : value instanceof java.time.LocalDateTime l
                ? Timestamp.valueOf(l).toInstant() : (Instant) value;
    }
}
