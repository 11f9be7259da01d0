package ru.b24connector.jobs;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/** A unit of work in the durable queue. */
@Entity
@Table(name = "job")
public class Job {

    /**
     * QUEUED → RUNNING → DONE, or back to QUEUED with a backoff, or DEAD after the last attempt; SKIPPED when what
     * it works on is gone (a deal or task deleted in the portal): nothing left to do, nothing to page anyone about.
     */
    public enum Status { QUEUED, RUNNING, DONE, DEAD, SKIPPED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** Which {@link JobHandler} runs it. */
    public String type;

    /** Same business fact ⇒ same key: enqueuing it again is a no-op. Null: no deduplication. */
    @Column(name = "dedup_key")
    public String dedupKey;

    /** JSON the handler reads. */
    public String payload;

    @Enumerated(EnumType.STRING)
    public Status status;

    public int attempts;

    /**
     * Takeovers since the last run that ended: each is a worker that stopped (crashed, was killed) during this job.
     * A clean stop releases its jobs instead, which does not count.
     */
    public int crashes;

    @Column(name = "max_attempts")
    public int maxAttempts;

    /** Not before this time. */
    @Column(name = "run_at")
    public Instant runAt;

    /** Worker holding the lease while RUNNING. */
    @Column(name = "locked_by")
    public String lockedBy;

    /** Lease end; a RUNNING job past it is due again (its worker died). */
    @Column(name = "locked_until")
    public Instant lockedUntil;

    @Column(name = "last_error")
    public String lastError;

    /** While QUEUED: the dependency (portal, 1c, smtp) it waits for; released when that answers again. */
    @Column(name = "waiting_for")
    public String waitingFor;

    /** The inbox message this job processes, if any. */
    @Column(name = "inbox_id")
    public Long inboxId;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** When a worker first claimed it; null while it has never run. */
    @Column(name = "started_at")
    public Instant startedAt;

    @Version
    public long version;
}
