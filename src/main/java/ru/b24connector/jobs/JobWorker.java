package ru.b24connector.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.MDC;

import java.net.InetAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs due jobs with a fixed number of worker threads per replica. Workers poll on a schedule and are also woken
 * when a transaction that enqueued work commits, so a new job starts within milliseconds.
 */
@ApplicationScoped
public class JobWorker {

    private final String workerId = host() + "/" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, JobHandler> handlers = new HashMap<>();

    @Inject
    JobQueue queue;

    @Inject
    JobsConfig config;

    @Inject
    MeterRegistry metrics;

    @Inject
    Instance<JobHandler> allHandlers;

    @Inject
    InboxWriter inbox;


    private ExecutorService pool;
    /** Jobs claimed and not finished yet in this replica. */
    private final AtomicInteger busy = new AtomicInteger();
    private volatile boolean started;

    void start(@Observes io.quarkus.runtime.StartupEvent event) {
        allHandlers.forEach(h -> {
            if (handlers.putIfAbsent(h.type(), h) != null) {
                throw new IllegalStateException("two job handlers for type " + h.type());
            }
        });
        pool = Executors.newFixedThreadPool(config.workers(), r -> {
            Thread t = new Thread(r, "job-worker");
            t.setDaemon(true);
            return t;
        });
        started = true;
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS); // unfinished jobs run again after their lease
    }

    @Scheduled(identity = "job-poll", every = "${jobs.poll-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (config.runInBackground() && started) { // the scheduler may tick before startup finished
            dispatch();
        }
    }

    void onEnqueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobQueue.Enqueued event) {
        if (config.runInBackground() && pool != null && !pool.isShutdown()) {
            pool.execute(this::dispatchQuietly);
        }
    }

    /** Runs every due job in the calling thread until none is left; returns how many ran. For tests and tools. */
    public int runDue() {
        int ran = 0;
        List<Job> batch;
        while (!(batch = queue.claim(workerId, 10)).isEmpty()) {
            for (Job job : batch) {
                run(job);
                ran++;
            }
        }
        return ran;
    }

    /** Runs one claimed job: done, retried later, or dead-lettered. */
    void run(Job job) {
        MDC.put("jobId", job.id);
        MDC.put("jobType", job.type);
        try {
            JobHandler handler = handlers.get(job.type);
            if (handler == null) {
                finish(job, null, new PermanentJobFailure("no handler for job type " + job.type));
                return;
            }
            try {
                handler.handle(job);
                queue.complete(job);
                metrics.counter("connector.jobs.finished", "type", job.type, "outcome", "done").increment();
            } catch (JobDeferred later) {
                defer(job, later.notBefore(), later.getMessage());
            } catch (Exception e) {
                if (ru.b24connector.cluster.Deadlocks.victim(e)) {
                    // the database rolled that transaction back to break a lock cycle; handlers are idempotent: again soon,
                    // not counted as a failed attempt
                    defer(job, Instant.now().plusMillis(100 + ThreadLocalRandom.current().nextLong(400)), describe(e));
                    return;
                }
                finish(job, handler, e);
            }
        } finally {
            MDC.remove("jobId");
            MDC.remove("jobType");
        }
    }

    private void defer(Job job, Instant notBefore, String why) {
        queue.defer(job, notBefore, why);
        metrics.counter("connector.jobs.finished", "type", job.type, "outcome", "deferred").increment();
        Log.debugf("Job %d (%s) deferred to %s: %s", job.id, job.type, notBefore, why);
    }

    private void finish(Job job, JobHandler handler, Exception e) {
        boolean permanent = e instanceof PermanentJobFailure
                || e instanceof ru.b24connector.portal.PortalException.Rejected;
        boolean dead = queue.fail(job, describe(e), permanent);
        metrics.counter("connector.jobs.finished", "type", job.type, "outcome", dead ? "dead" : "retry").increment();
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

    private void dispatchQuietly() {
        try {
            dispatch();
        } catch (RuntimeException e) {
            Log.warnf("Job dispatch failed: %s", describe(e));
        }
    }

    /**
     * Claims as many due jobs as there are idle workers, in one transaction, and hands them to the pool. While
     * deliveries are arriving at the inbox only {@link JobsConfig#workersWhileReceiving()} workers run, so the
     * acknowledgements get the cores; a worker that finishes dispatches again, so the backlog runs at full width
     * as soon as the burst is over.
     */
    private void dispatch() {
        while (true) {
            int width = inbox.receiving(config.receivingWindow().toNanos())
                    ? Math.min(config.workersWhileReceiving().orElse(config.workers()), config.workers()) : config.workers();
            int idle = reserve(width);
            if (idle == 0) {
                return;
            }
            List<Job> claimed;
            try {
                claimed = queue.claim(workerId, idle);
            } catch (RuntimeException e) {
                busy.addAndGet(-idle);
                throw e;
            }
            busy.addAndGet(claimed.size() - idle);
            for (Job job : claimed) {
                pool.execute(() -> {
                    try {
                        run(job);
                    } finally {
                        busy.decrementAndGet();
                    }
                    if (!pool.isShutdown()) {
                        dispatchQuietly(); // the queue had work a moment ago: look for the next job at once
                    }
                });
            }
            if (claimed.size() < idle) {
                return;
            }
        }
    }

    /** Reserves the idle workers up to {@code width} running jobs; returns how many. */
    private int reserve(int width) {
        while (true) {
            int running = busy.get();
            int idle = width - running;
            if (idle <= 0) {
                return 0;
            }
            if (busy.compareAndSet(running, width)) {
                return idle;
            }
        }
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "worker";
        }
    }
}
