package ru.b24connector.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The durable job queue in MariaDB. Enqueue joins the caller's transaction, so a state change and the job that
 * follows it commit together. Claims use {@code SELECT ... FOR UPDATE SKIP LOCKED}: two workers, in one JVM or
 * in two replicas, never get the same job.
 */
@ApplicationScoped
public class JobQueue implements ru.b24connector.outage.WaitingWork {

    /** Fired after a transaction that enqueued work commits, so idle workers start at once. */
    public record Enqueued(String type) {
    }

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    JobsConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    Event<Enqueued> enqueued;

    /** A job dead-lettered because its worker stopped during it {@code crashes} times; fired in the claim's transaction. */
    public record Crashed(long id, String type, int attempts, int crashes) {
    }

    @Inject
    Event<Crashed> crashed;

    /** The dead letter's reason, as the console shows it. */
    static String crashReason(int crashes) {
        return "the worker stopped during this job " + crashes + " times";
    }

    /**
     * Adds a job unless one of the same type and key exists (then nothing happens).
     *
     * @return the new job's id, or empty when the key was already queued
     */
    @Transactional
    public Optional<Long> enqueue(String type, String dedupKey, Object payload, Instant runAt, Long inboxId) {
        Instant now = clock.instant();
        int inserted = em.createNativeQuery("""
                        INSERT IGNORE INTO job (type, dedup_key, payload, status, attempts, max_attempts, run_at,
                                                inbox_id, created_at, updated_at, version)
                        VALUES (?1, ?2, ?3, 'QUEUED', 0, ?4, ?5, ?6, ?7, ?7, 0)""")
                .setParameter(1, type).setParameter(2, dedupKey).setParameter(3, toJson(payload))
                .setParameter(4, config.maxAttempts()).setParameter(5, Timestamp.from(runAt == null ? now : runAt))
                .setParameter(6, inboxId).setParameter(7, Timestamp.from(now))
                .executeUpdate();
        if (inserted == 0) {
            return Optional.empty();
        }
        long id = ((Number) em.createNativeQuery("SELECT LAST_INSERT_ID()").getSingleResult()).longValue();
        enqueued.fire(new Enqueued(type));
        return Optional.of(id);
    }

    /** A job to insert with {@link #insertAll}: runs now, payload stored as given. */
    record NewJob(String type, String dedupKey, String payload, Long inboxId) {
    }

    /**
     * Adds jobs to run now in one statement on {@code c}, which belongs to the caller's transaction; keys already
     * queued are skipped. Workers are woken once per type after the commit.
     */
    void insertAll(Connection c, List<NewJob> jobs, Timestamp now) throws SQLException {
        if (jobs.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("""
                INSERT IGNORE INTO job (type, dedup_key, payload, status, attempts, max_attempts, run_at,
                                        inbox_id, created_at, updated_at, version) VALUES """);
        for (int i = 0; i < jobs.size(); i++) {
            sql.append(i == 0 ? "" : ",").append("(?,?,?,'QUEUED',0,?,?,?,?,?,0)");
        }
        try (PreparedStatement insert = c.prepareStatement(sql.toString())) {
            int n = 1;
            for (NewJob job : jobs) {
                insert.setString(n++, job.type());
                insert.setString(n++, job.dedupKey());
                insert.setString(n++, job.payload());
                insert.setInt(n++, config.maxAttempts());
                insert.setTimestamp(n++, now);
                insert.setObject(n++, job.inboxId());
                insert.setTimestamp(n++, now);
                insert.setTimestamp(n++, now);
            }
            insert.executeUpdate();
        }
        jobs.stream().map(NewJob::type).distinct().forEach(type -> enqueued.fire(new Enqueued(type)));
    }

    /** Enqueues to run now. */
    @Transactional
    public Optional<Long> enqueue(String type, String dedupKey, Object payload) {
        return enqueue(type, dedupKey, payload, null, null);
    }

    /** Claims up to {@code limit} due jobs for {@code worker} and starts their lease; commits at once. */
    public List<Job> claim(String worker, int limit) {
        try {
            return claimOnce(worker, limit);
        } catch (jakarta.persistence.PessimisticLockException | jakarta.persistence.LockTimeoutException e) {
            return List.of(); // another worker is claiming the same rows right now; the next poll tries again
        }
    }

    private List<Job> claimOnce(String worker, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Timestamp now = Timestamp.from(clock.instant());
            // two index range scans, each in index order with a LIMIT, so a claim locks only the rows it returns
            // and a second worker skips exactly those (one OR-ed scan with a filesort would lock them all)
            List<Number> ids = new ArrayList<>(dueIds("""
                    SELECT id FROM job WHERE status = 'RUNNING' AND locked_until < ?1
                    ORDER BY locked_until LIMIT ?2 FOR UPDATE SKIP LOCKED""", now, limit));
            // a run cut short by its worker's death was not a failure of the job: taking it over spends no attempt
            java.util.Set<Long> takenOver = new java.util.HashSet<>();
            ids.forEach(id -> takenOver.add(id.longValue()));
            if (ids.size() < limit) {
                ids.addAll(dueIds("""
                        SELECT id FROM job WHERE status = 'QUEUED' AND run_at <= ?1
                        ORDER BY status, run_at, id LIMIT ?2 FOR UPDATE SKIP LOCKED""", now, limit - ids.size()));
            }
            List<Job> claimed = new ArrayList<>();
            Instant leaseEnd = clock.instant().plus(config.lease());
            for (Number id : ids) {
                Job job = em.find(Job.class, id.longValue());
                if (takenOver.contains(job.id) && ++job.crashes >= config.maxCrashes()) {
                    // its worker stopped during every one of these runs: running it again would stop the next one
                    job.status = Job.Status.DEAD;
                    job.lastError = crashReason(job.crashes);
                    job.lockedBy = null;
                    job.lockedUntil = null;
                    job.updatedAt = clock.instant();
                    crashed.fire(new Crashed(job.id, job.type, job.attempts, job.crashes));
                    continue;
                }
                job.status = Job.Status.RUNNING;
                if (!takenOver.contains(job.id)) {
                    job.attempts++;
                }
                job.waitingFor = null;
                job.lockedBy = worker;
                job.lockedUntil = leaseEnd;
                job.updatedAt = clock.instant();
                if (job.startedAt == null) {
                    job.startedAt = job.updatedAt;
                }
                claimed.add(job);
            }
            em.flush();
            claimed.forEach(em::detach);
            return claimed;
        });
    }

    /**
     * Reads a job's row with a write lock (SELECT ... FOR UPDATE), so no other replica can take it over between this
     * read and the commit: a plain read could carry a stale version into the update, which then fails after the
     * fact (an optimistic-lock error) instead of seeing that the job is no longer ours. Only {@link #fail} reads
     * first (it decides by the attempts); the other outcomes are one conditional UPDATE ({@link #ifStillOurs}).
     */
    private Job lockedRow(long id) {
        return em.find(Job.class, id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
    }

    @SuppressWarnings("unchecked")
    private List<Number> dueIds(String sql, Timestamp now, int limit) {
        return em.createNativeQuery(sql).setParameter(1, now).setParameter(2, limit).getResultList();
    }

    /** Marks the job done, unless its lease was lost to another worker meanwhile. */
    public void complete(Job job) {
        ifStillOurs(job, "status = 'DONE', crashes = 0, last_error = NULL", Map.of());
    }

    /**
     * Applies {@code set} to the job's row in one statement, only while this worker still holds it (RUNNING, locked by
     * it), and ends its lease. One conditional UPDATE, not a read and a write: a takeover by another replica in
     * between (after a database hang) then simply matches no row, instead of surfacing as an optimistic-lock error,
     * and the row is locked only for the statement.
     */
    private void ifStillOurs(Job job, String set, Map<String, Object> params) {
        QuarkusTransaction.requiringNew().run(() -> {
            jakarta.persistence.Query update = em.createNativeQuery("UPDATE job SET " + set
                            + ", locked_by = NULL, locked_until = NULL, updated_at = :now, version = version + 1"
                            + " WHERE id = :id AND status = 'RUNNING' AND locked_by = :worker")
                    .setParameter("now", Timestamp.from(clock.instant())).setParameter("id", job.id)
                    .setParameter("worker", job.lockedBy);
            params.forEach(update::setParameter);
            update.executeUpdate();
        });
    }

    /**
     * Records a failed attempt: back to QUEUED with an exponential backoff, or DEAD when it cannot succeed or this
     * was the last attempt.
     *
     * @return true when the job is now dead-lettered
     */
    public boolean fail(Job job, String error, boolean permanent) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Job row = lockedRow(job.id);
            if (row == null || row.status != Job.Status.RUNNING || !job.lockedBy.equals(row.lockedBy)) {
                return false;
            }
            row.lastError = truncate(error);
            row.crashes = 0;
            row.lockedBy = null;
            row.lockedUntil = null;
            row.updatedAt = clock.instant();
            if (permanent || row.attempts >= row.maxAttempts) {
                row.status = Job.Status.DEAD;
                return true;
            }
            row.status = Job.Status.QUEUED;
            row.runAt = clock.instant().plus(backoff(row.attempts));
            return false;
        });
    }

    /** Puts the job back for {@code notBefore} without counting this attempt: it waited, it did not fail. */
    public void defer(Job job, Instant notBefore, String reason) {
        putBack(job, notBefore, reason, null);
    }

    /**
     * Puts the job back without counting this attempt, waiting for {@code dependency}: it runs when the dependency's
     * probe answers again ({@link #release}), at the latest at {@code recheckAt}.
     */
    public void await(Job job, String dependency, Instant recheckAt, String reason) {
        putBack(job, recheckAt, reason, dependency);
    }

    private void putBack(Job job, Instant runAt, String reason, String waitingFor) {
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("runAt", Timestamp.from(runAt));
        params.put("reason", truncate(reason));
        params.put("waitingFor", waitingFor);
        ifStillOurs(job, "status = 'QUEUED', attempts = GREATEST(0, attempts - 1), crashes = 0, last_error = :reason,"
                + " waiting_for = :waitingFor, run_at = :runAt", params);
    }

    /**
     * Makes every job waiting for {@code dependency} due now. They then run in arrival order (the claim orders
     * equal due times by id); returns how many.
     */
    @Override
    public int release(String dependency) {
        Timestamp now = Timestamp.from(clock.instant());
        int released = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "UPDATE job SET waiting_for = NULL, run_at = ?1 WHERE waiting_for = ?2 AND status = 'QUEUED'")
                .setParameter(1, now).setParameter(2, dependency).executeUpdate());
        if (released > 0) {
            enqueued.fire(new Enqueued("released"));
        }
        return released;
    }

    /** Queued jobs per dependency they wait for. */
    @SuppressWarnings("unchecked")
    @Override
    public java.util.Map<String, Long> waitingCounts() {
        java.util.Map<String, Long> counts = new java.util.HashMap<>();
        QuarkusTransaction.requiringNew().call(() -> (List<Object[]>) em.createNativeQuery("""
                        SELECT waiting_for, COUNT(*) FROM job WHERE waiting_for IS NOT NULL AND status = 'QUEUED'
                        GROUP BY waiting_for""").getResultList())
                .forEach(r -> counts.put((String) r[0], ((Number) r[1]).longValue()));
        return counts;
    }

    /** Ends the job as SKIPPED: what it works on is gone; not a failure, nothing to retry. */
    public void skip(Job job, String reason) {
        ifStillOurs(job, "status = 'SKIPPED', crashes = 0, last_error = :reason", Map.of("reason", truncate(reason)));
    }

    /**
     * Moves queued jobs of {@code type} that would run later than {@code at} up to {@code at}: what they waited for
     * is over then (e.g. the group that held their claims let them go).
     */
    public void runBy(String type, Collection<String> dedupKeys, Instant at) {
        if (dedupKeys.isEmpty()) {
            return;
        }
        int moved = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "UPDATE job SET run_at = ?1 WHERE type = ?2 AND dedup_key IN (?3) AND status = 'QUEUED' AND run_at > ?1")
                .setParameter(1, Timestamp.from(at)).setParameter(2, type)
                .setParameter(3, new ArrayList<>(dedupKeys)).executeUpdate());
        if (moved > 0) {
            enqueued.fire(new Enqueued(type));
        }
    }

    /** Puts a dead-lettered job back in the queue with fresh attempts. */
    @Transactional
    public boolean replay(long id) {
        Job row = em.find(Job.class, id);
        if (row == null || row.status != Job.Status.DEAD) {
            return false;
        }
        row.status = Job.Status.QUEUED;
        row.attempts = 0;
        row.crashes = 0;
        row.runAt = clock.instant();
        row.updatedAt = clock.instant();
        enqueued.fire(new Enqueued(row.type));
        return true;
    }

    /** Puts every dead-lettered job of {@code type} back in the queue with fresh attempts; returns how many. */
    @Transactional
    public int replayDead(String type) {
        Instant now = clock.instant();
        int replayed = em.createQuery("update Job set status = :queued, attempts = 0, crashes = 0, runAt = :now, updatedAt = :now, "
                        + "version = version + 1 where status = :dead and type = :type")
                .setParameter("queued", Job.Status.QUEUED).setParameter("dead", Job.Status.DEAD)
                .setParameter("now", now).setParameter("type", type).executeUpdate();
        if (replayed > 0) {
            enqueued.fire(new Enqueued(type));
        }
        return replayed;
    }

    @Transactional
    public Optional<Job> find(long id) {
        return Optional.ofNullable(em.find(Job.class, id));
    }

    /** Newest first. */
    @Transactional
    public List<Job> list(Job.Status status, int limit) {
        return em.createQuery("from Job where status = :status order by id desc", Job.class)
                .setParameter("status", status).setMaxResults(limit).getResultList();
    }

    /** Jobs per status, for metrics and the admin API. */
    @Transactional
    public java.util.Map<Job.Status, Long> countByStatus() {
        java.util.Map<Job.Status, Long> counts = new java.util.EnumMap<>(Job.Status.class);
        for (Job.Status s : Job.Status.values()) {
            counts.put(s, 0L);
        }
        em.createQuery("select status, count(*) from Job group by status", Object[].class).getResultList()
                .forEach(r -> counts.put((Job.Status) r[0], (Long) r[1]));
        return counts;
    }

    Duration backoff(int attempts) {
        long base = config.backoff().toMillis() * (1L << Math.min(attempts - 1, 20));
        long capped = Math.min(base, config.maxBackoff().toMillis());
        return Duration.ofMillis(capped + ThreadLocalRandom.current().nextLong(capped / 4 + 1));
    }

    private String toJson(Object payload) {
        if (payload instanceof String s) {
            return s;
        }
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("job payload is not serializable", e);
        }
    }

    private static String truncate(String error) {
        return error == null ? null : error.length() <= 2000 ? error : error.substring(0, 1997) + "...";
    }
}
