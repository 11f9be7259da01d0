package ru.b24connector.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.outage.Dependency;
import ru.b24connector.outage.DependencyState;
import ru.b24connector.outage.Outages;
import ru.b24connector.portal.PortalException;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a run of a job ended with, written to the queue, the attempt log and the metrics: done, deferred, waiting for a
 * neighbour that is down, skipped, failed (an attempt spent) or dead-lettered. Only the job's own failure spends an
 * attempt; a neighbour being down, the portal's limits and a deadlock are waits.
 */
@ApplicationScoped
class JobOutcomes {

    /**
     * Jobs whose run ended while the database was away, so their return to the queue could not be written. Their
     * worker keeps their lease and puts them back as soon as the database answers ({@link #putBackUnrecorded}): due at
     * once, no attempt spent, and no other replica takes them over as if the worker had died (a crash).
     */
    private final Map<Long, Job> unrecorded = new java.util.concurrent.ConcurrentHashMap<>();

    @Inject
    JobQueue queue;

    @Inject
    JobsConfig config;

    @Inject
    MeterRegistry metrics;

    @Inject
    DependencyState dependencies;

    @Inject
    Clock clock;

    @Inject
    JobAttempts attempts;

    void done(Job job, Instant started, String workerId) {
        queue.complete(job);
        count(job.type, "done");
        attempts.recordQuietly(job, started, "done", null, workerId);
    }

    /** The run threw {@code e}: a wait (no attempt spent), a skip, or the job's own failure. */
    void failed(Job job, JobHandler handler, Exception e, Instant started, String workerId) {
        if (ru.b24connector.cluster.Deadlocks.victim(e)) {
            // the database rolled that transaction back to break a lock cycle; handlers are idempotent: again soon
            defer(job, clock.instant().plusMillis(100 + ThreadLocalRandom.current().nextLong(400)), describe(e));
            return;
        }
        Optional<Dependency> down = Outages.of(e);
        if (down.isPresent()) {
            waitFor(job, down.get(), e, started, workerId);
        } else if (e instanceof PortalException.CommandLimited limited) {
            // a batch command's method budget is spent: nothing before its reset can succeed
            Instant retry = clock.instant().plus(config.backoff());
            defer(job, limited.freeAt().isAfter(retry) ? limited.freeAt() : retry, describe(e));
        } else if (e instanceof PortalException.Throttled || e instanceof PortalException.OperationLimit) {
            // the portal's limits are a wait too: its bucket drains in seconds, a budget resets in minutes
            defer(job, clock.instant().plus(config.backoff()), describe(e));
        } else {
            Optional<JobSkipped> gone = JobSkipped.of(e);
            if (gone.isPresent()) {
                skip(job, gone.get().getMessage(), started, workerId);
            } else {
                finish(job, handler, e, started, workerId);
            }
        }
    }

    void defer(Job job, Instant notBefore, String why) {
        queue.defer(job, notBefore, why);
        count(job.type, "deferred");
        Log.debugf("Job %d (%s) deferred to %s: %s", job.id, job.type, notBefore, why);
    }

    void skip(Job job, String why, Instant started, String workerId) {
        queue.skip(job, why);
        attempts.recordQuietly(job, started, "skipped", why, workerId);
        count(job.type, "skipped");
        Log.infof("Job %d (%s) skipped: %s", job.id, job.type, why);
    }

    /** A failed attempt: retried with backoff, or dead-lettered (and reported to its handler) after the last. */
    void finish(Job job, JobHandler handler, Exception e, Instant started, String workerId) {
        boolean permanent = e instanceof PermanentJobFailure || e instanceof PortalException.Rejected;
        boolean dead = queue.fail(job, describe(e), permanent);
        attempts.recordQuietly(job, started, dead ? "dead" : "failed", describe(e), workerId);
        count(job.type, dead ? "dead" : "retry");
        if (dead) {
            Log.errorf("Job %d (%s) dead-lettered after %d attempt(s): %s", job.id, job.type, job.attempts, describe(e));
            if (handler != null) {
                try {
                    handler.onDead(job, e);
                } catch (RuntimeException reportFailure) {
                    Log.errorf("Job %d: reporting the dead letter failed: %s", job.id, describe(reportFailure));
                }
            }
        } else {
            Log.warnf("Job %d (%s) attempt %d failed, will retry: %s", job.id, job.type, job.attempts, describe(e));
        }
    }

    /** Back to the queue without spending an attempt, marked with the dependency it waits for. */
    private void waitFor(Job job, Dependency dependency, Exception e, Instant started, String workerId) {
        dependencies.down(dependency, describe(e));
        count(job.type, "waiting");
        Log.debugf("Job %d (%s) waits for %s: %s", job.id, job.type, dependency.label(), describe(e));
        if (dependency == Dependency.DATABASE) {
            try {
                queue.defer(job, clock.instant().plusSeconds(5), "waiting for the database: " + describe(e));
            } catch (RuntimeException stillDown) {
                Log.debugf("Job %d: the database is still down: %s", job.id, describe(stillDown));
                unrecordedUntilTheDatabaseAnswers(job);
            }
            return;
        }
        queue.await(job, dependency.label(), clock.instant().plus(config.dependencyRecheck()),
                "waiting for " + dependency.label() + ": " + describe(e));
        attempts.recordQuietly(job, started, "waiting", dependency.label() + ": " + describe(e), workerId);
    }

    /** Keeps the job to put back when the database answers again (its outcome could not be written). */
    void unrecordedUntilTheDatabaseAnswers(Job job) {
        unrecorded.put(job.id, job);
    }

    /** True while the job's return to the queue waits for the database: its worker keeps its lease meanwhile. */
    boolean unrecorded(long jobId) {
        return unrecorded.containsKey(jobId);
    }

    /**
     * Puts back the jobs whose return to the queue the database missed; the caller found it answering. Returns
     * their ids, whose leases the worker no longer needs to renew.
     */
    List<Long> putBackUnrecorded() {
        List<Long> back = new ArrayList<>();
        for (Job job : List.copyOf(unrecorded.values())) {
            queue.defer(job, clock.instant(), "waiting for the database: it did not answer during the run");
            unrecorded.remove(job.id);
            back.add(job.id);
            Log.debugf("Job %d (%s) put back now that the database answers", job.id, job.type);
        }
        return back;
    }

    void count(String type, String outcome) {
        metrics.counter("connector.jobs.finished", "type", type, "outcome", outcome).increment();
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
