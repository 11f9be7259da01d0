package ru.b24connector.jobs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

import java.time.Duration;

/** The durable job queue. */
@ConfigMapping(prefix = "jobs")
public interface JobsConfig {

    /** Worker threads per replica. */
    @WithDefault("4")
    @Min(value = 1, message = "must be at least 1")
    int workers();

    /**
     * Worker threads that run while deliveries are arriving at the inbox (one handed over within the last
     * {@link #receivingWindow()}): fewer lets the acknowledgements have the cores first and the backlog run after
     * the burst. Unset: all workers. Off by default because a busy portal sends events without pause, and every job
     * type (intake, 1C, mail) would then run on this many workers.
     */
    java.util.Optional<@Min(value = 1, message = "must be at least 1") Integer> workersWhileReceiving();

    /** How recent the last delivery must be for the inbox to count as receiving. */
    @WithDefault("100ms")
    Duration receivingWindow();

    /** Attempts before a job is dead-lettered. */
    @WithDefault("10")
    @Min(value = 1, message = "must be at least 1")
    int maxAttempts();

    /** First retry delay; doubles per attempt (with jitter) up to {@link #maxBackoff()}. */
    @WithDefault("10s")
    Duration backoff();

    /** Longest retry delay. */
    @WithDefault("1h")
    Duration maxBackoff();

    /**
     * How long a worker holds a job without renewing it; past it the job is given to another worker. Short, because
     * a live worker renews it every {@link #heartbeatEvery()}: a dead worker's job is taken over within a lease.
     */
    @WithDefault("30s")
    Duration lease();

    /** How often a replica renews the leases of the jobs it is running (well under {@link #lease()}). */
    @WithDefault("10s")
    String heartbeatEvery();

    /**
     * This replica's stable name: a restart with the same name takes its earlier incarnation's running jobs back at
     * once. Unset: host name and HTTP port (unique per live process on a host, stable across a restart).
     */
    java.util.Optional<String> replicaId();

    /** How often a dependency that jobs wait for is probed (one cheap call per dependency and replica). */
    @WithDefault("5s")
    String probeEvery();

    /** Latest time a job waiting for a dependency is tried again even if no probe released it (a safety net). */
    @WithDefault("10m")
    Duration dependencyRecheck();

    /** How often idle workers look for due jobs (new jobs also wake them at once). */
    @WithDefault("1s")
    String pollEvery();

    /** Whether this replica runs jobs in the background (off in tests, which run due jobs themselves). */
    @WithDefault("true")
    boolean runInBackground();

    /**
     * Takeovers of one job without its run ever ending (its worker crashed or was killed during it, e.g. it exhausts
     * the memory) before it is dead-lettered with the reason "the worker stopped during this job N times". A clean
     * stop during a job does not count.
     */
    @WithDefault("3")
    @Min(value = 1, message = "must be at least 1")
    int maxCrashes();

    /**
     * On stop (SIGTERM): how long the jobs running now may take to finish; what is still running then is released
     * for another replica to take at once, with no attempt spent. Keep the pod's terminationGracePeriodSeconds above
     * it (plus a few seconds for the HTTP requests in flight).
     */
    @WithDefault("20s")
    Duration shutdownGrace();
}
