package ru.b24connector.jobs;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import ru.b24connector.outage.Dependency;
import ru.b24connector.outage.DependencyState;
import ru.b24connector.outage.Outages;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Queue gauges for dashboards and alerts: jobs per status ({@code connector_jobs{status}}) and the age of the
 * oldest due job ({@code connector_jobs_oldest_queued_seconds}). Refreshed on a schedule so a scrape never
 * queries the database.
 */
@ApplicationScoped
public class JobMetrics {

    private final Map<Job.Status, AtomicLong> byStatus = new EnumMap<>(Job.Status.class);
    private final AtomicLong oldestQueuedSeconds = new AtomicLong();

    @Inject
    MeterRegistry registry;

    @Inject
    JobQueue queue;

    @Inject
    JobQueries queries;

    @Inject
    Clock clock;

    void register(@Observes StartupEvent event) {
        for (Job.Status status : Job.Status.values()) {
            AtomicLong value = new AtomicLong();
            byStatus.put(status, value);
            Gauge.builder("connector.jobs", value, AtomicLong::get).tag("status", status.name())
                    .description("Jobs in the queue by status").register(registry);
        }
        Gauge.builder("connector.jobs.oldest.queued", oldestQueuedSeconds, AtomicLong::get).baseUnit("seconds")
                .description("How long the oldest due job has been waiting").register(registry);
    }

    @Inject
    JobWorker worker;

    @Inject
    DependencyState dependencies;

    @Scheduled(identity = "job-metrics", every = "15s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void trigger() {
        // the scheduler may tick before the gauges are registered, and after a stop began (Hibernate closing)
        if (byStatus.isEmpty() || worker.stopping() || dependencies.isDown(Dependency.DATABASE)) {
            return;
        }
        try {
            refresh();
        } catch (RuntimeException e) {
            Optional<Dependency> down = Outages.of(e);
            if (down.isEmpty() && !worker.stopping()) {
                throw e;
            }
            // a known outage (one WARN from DependencyState) or the stop: the gauges keep their last values
            down.ifPresent(d -> dependencies.down(d, JobWorker.describe(e)));
        }
    }

    /** Reads the queue's numbers into the gauges. */
    @Transactional
    public void refresh() {
        queue.countByStatus().forEach((status, count) -> byStatus.get(status).set(count));
        oldestQueuedSeconds.set(queries.oldestDueSince()
                .map(oldest -> Math.max(0, Duration.between(oldest, clock.instant()).toSeconds())).orElse(0L));
    }
}
