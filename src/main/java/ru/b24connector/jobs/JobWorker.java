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
import jakarta.annotation.PostConstruct;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.MDC;
import ru.b24connector.outage.Dependency;
import ru.b24connector.outage.DependencyState;
import ru.b24connector.outage.Outages;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs due jobs with a fixed number of worker threads per replica. Workers poll on a schedule and are also woken
 * when a transaction that enqueued work commits, so a new job starts within milliseconds.
 */
@ApplicationScoped
public class JobWorker {

    private final Map<String, JobHandler> handlers = new HashMap<>();
    /** {@code <replica>/<incarnation>}: the replica part survives a restart, the incarnation does not. */
    private String replica;
    private String workerId;

    @Inject
    JobQueue queue;

    @Inject
    JobLeases leases;

    @Inject
    JobsConfig config;

    @Inject
    MeterRegistry metrics;

    @Inject
    Instance<JobHandler> allHandlers;

    @Inject
    InboxWriter inbox;

    @Inject
    DependencyState dependencies;

    @Inject
    Clock clock;

    @Inject
    jakarta.enterprise.event.Event<Heartbeat> heartbeats;

    @Inject
    JobAttempts attempts;

    @Inject
    JobOutcomes outcomes;


    private ExecutorService pool;
    /** Jobs claimed and not finished yet in this replica. */
    private final AtomicInteger busy = new AtomicInteger();
    /** Ids of the jobs running in this process now: the only leases the heartbeat renews. */
    private final java.util.Set<Long> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean started;
    private volatile boolean stopping;

    @PostConstruct
    void identify() {
        replica = config.replicaId().orElseGet(() -> host() + ":"
                + ConfigProvider.getConfig().getOptionalValue("quarkus.http.port", String.class).orElse("8080"));
        workerId = replica + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

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
        if (config.runInBackground()) {
            // the service is ready without waiting for this: taking jobs back is the workers' first task
            pool.execute(() -> {
                takeBackOwnJobs();
                started = true;
                dispatchQuietly();
            });
        } else {
            takeBackOwnJobs();
            started = true;
        }
    }

    private void takeBackOwnJobs() {
        try {
            int taken = leases.takeBack(replica, workerId);
            if (taken > 0) {
                Log.infof("Took back %d job(s) this replica (%s) was running before it restarted", taken, replica);
            }
        } catch (RuntimeException e) {
            Log.warnf("Jobs of this replica's earlier run not taken back now (their leases will run out): %s",
                    describe(e));
        }
    }

    /**
     * A clean stop (SIGTERM): no new claims; the jobs running now get {@link JobsConfig#shutdownGrace()} to finish;
     * whatever still runs then is released for another replica to take at once (no attempt spent, no crash
     * counted). Observed early, while the database and Hibernate are still open.
     */
    void stop(@Observes @jakarta.annotation.Priority(jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE)
              ShutdownEvent event) throws InterruptedException {
        stopping = true;
        if (pool == null) {
            return;
        }
        pool.shutdown();
        long start = System.nanoTime();
        boolean finished = pool.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            // past the grace: interrupt what still runs (a job interrupted during the stop is released, not failed,
            // see run) and give it a moment to end, so its next run on another replica does not overlap it
            pool.shutdownNow();
            pool.awaitTermination(2, TimeUnit.SECONDS);
        }
        java.util.Set<Long> left = java.util.Set.copyOf(running);
        if (!left.isEmpty()) {
            try {
                int released = leases.release(workerId, left);
                Log.infof("Stopping: released %d job(s) still running after %d s for another replica", released,
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
            } catch (RuntimeException e) {
                // the database is away too: their leases run out and another replica takes them then
                Log.infof("Stopping: %d running job(s) not released (%s); another replica takes them after their lease",
                        left.size(), describe(e));
            }
        } else if (finished) {
            Log.debugf("Stopping: no job left running");
        }
        pool.shutdownNow();
    }

    /** True from the start of a stop: no job is claimed any more. */
    public boolean stopping() {
        return stopping;
    }

    void onCrashed(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobQueue.Crashed crash) {
        metrics.counter("connector.jobs.finished", "type", crash.type(), "outcome", "dead").increment();
        Log.errorf("Job %d (%s) dead-lettered: %s", crash.id(), crash.type(), JobQueue.crashReason(crash.crashes()));
        Job job = new Job();
        job.id = crash.id();
        job.attempts = crash.attempts();
        attempts.recordQuietly(job, clock.instant(), "dead", JobQueue.crashReason(crash.crashes()), workerId);
    }

    @Scheduled(identity = "job-poll", every = "${jobs.poll-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        // the scheduler may tick before startup finished; while the database is known down its probe watches it,
        // a claim would only wait for the socket timeout
        if (config.runInBackground() && started && !stopping && !dependencies.isDown(Dependency.DATABASE)) {
            dispatchQuietly();
        }
    }

    /** Renews the leases of the jobs this replica runs, so only a dead worker's jobs are ever taken over. */
    @Scheduled(identity = "job-heartbeat", every = "${jobs.heartbeat-every:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        try {
            renewLeases();
        } catch (RuntimeException e) {
            Log.debugf("Job leases not renewed: %s", describe(e)); // the database is down: nobody can take them either
        }
    }

    /**
     * Fired at every heartbeat: holders of other short leases (a claim group, a dealer being created) renew theirs,
     * so they too outlive a long call but not a dead replica.
     */
    public record Heartbeat() {
    }

    /** Extends the lease of every job this replica is running, and fires {@link Heartbeat}; returns how many jobs. */
    public int renewLeases() {
        int renewed = leases.renewLeases(workerId, running);
        heartbeats.fire(new Heartbeat());
        return renewed;
    }

    /** This replica's worker id, as it appears in {@code job.locked_by}. */
    public String workerId() {
        return workerId;
    }

    void onEnqueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobQueue.Enqueued event) {
        if (config.runInBackground() && pool != null && !pool.isShutdown() && !stopping) {
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
        running.add(job.id);
        Instant started = clock.instant();
        try {
            JobHandler handler = handlers.get(job.type);
            if (handler == null) {
                outcomes.finish(job, null, new PermanentJobFailure("no handler for job type " + job.type), started,
                        workerId);
                return;
            }
            try {
                handler.handle(job);
                outcomes.done(job, started, workerId);
            } catch (JobDeferred later) {
                outcomes.defer(job, later.notBefore(), later.getMessage());
            } catch (JobSkipped gone) {
                outcomes.skip(job, gone.getMessage(), started, workerId);
            } catch (Exception e) {
                if (stopping) {
                    // the stop interrupted it or closed what it used: not the job's failure; released below (the
                    // stop releases what is still in running) with no attempt spent
                    Log.debugf("Job %d (%s) cut short by the stop: %s", job.id, job.type, describe(e));
                    releaseOnStop(job);
                    return;
                }
                outcomes.failed(job, handler, e, started, workerId);
            }
        } finally {
            if (!outcomes.unrecorded(job.id)) {
                running.remove(job.id);
            }
            MDC.remove("jobId");
            MDC.remove("jobType");
        }
    }

    private void releaseOnStop(Job job) {
        try {
            leases.release(workerId, List.of(job.id));
        } catch (RuntimeException e) {
            Log.debugf("Job %d not released (%s): another replica takes it after its lease", job.id, describe(e));
        }
    }

    private void dispatchQuietly() {
        try {
            dispatch();
        } catch (RuntimeException e) {
            if (Outages.databaseDown(e)) {
                dependencies.down(Dependency.DATABASE, describe(e)); // logged once per outage, not once a second
            } else if (stopping) {
                Log.debugf("Job dispatch during the stop: %s", describe(e)); // what it claimed is released
            } else {
                Log.warnf("Job dispatch failed: %s", describe(e));
            }
        }
    }

    /**
     * Claims as many due jobs as there are idle workers, in one transaction, and hands them to the pool. While
     * deliveries are arriving at the inbox only {@link JobsConfig#workersWhileReceiving()} workers run, so the
     * acknowledgements get the cores; a worker that finishes dispatches again, so the backlog runs at full width
     * as soon as the burst is over.
     */
    private void dispatch() {
        outcomes.putBackUnrecorded().forEach(running::remove);
        while (!stopping) {
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
            dependencies.up(Dependency.DATABASE); // the claim's transaction went through: the polls are its probe
            busy.addAndGet(claimed.size() - idle);
            claimed.forEach(job -> running.add(job.id)); // leased from the claim on, until its run ends
            for (Job job : claimed) {
                pool.execute(() -> {
                    try {
                        if (!stopping) { // claimed but not started when the stop began: released with the rest
                            run(job);
                        }
                    } catch (RuntimeException e) {
                        // the outcome could not be written (the database went away, or the stop closed it): the
                        // job stays leased and runs again, spending no attempt
                        if (stopping) {
                            Log.debugf("Job %d: outcome not written during the stop: %s", job.id, describe(e));
                        } else if (Outages.databaseDown(e)) {
                            dependencies.down(Dependency.DATABASE, describe(e));
                            running.add(job.id); // keeps its lease until it is put back (putBackUnrecorded)
                            outcomes.unrecordedUntilTheDatabaseAnswers(job);
                        } else {
                            Log.warnf("Job %d (%s): outcome not written: %s", job.id, job.type, describe(e));
                        }
                    } finally {
                        busy.decrementAndGet();
                    }
                    if (!pool.isShutdown() && !stopping) {
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
        return JobOutcomes.describe(e);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "worker";
        }
    }
}
