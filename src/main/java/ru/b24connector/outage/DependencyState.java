package ru.b24connector.outage;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What this replica knows about each dependency: up, or down since when and why, and how many jobs wait for it.
 * Read by readiness and the gauges {@code connector_dependency_up{dependency}} and
 * {@code connector_dependency_waiting_jobs{dependency}}; a scrape never queries anything.
 */
@ApplicationScoped
public class DependencyState {

    /** Down since {@code since} with {@code reason}; null fields while up. */
    public record Outage(Instant since, String reason) {
    }

    private final Map<Dependency, AtomicReference<Outage>> outages = new EnumMap<>(Dependency.class);
    private final Map<Dependency, AtomicLong> waiting = new EnumMap<>(Dependency.class);

    @Inject
    MeterRegistry registry;

    @Inject
    Clock clock;

    public DependencyState() {
        for (Dependency d : Dependency.values()) {
            outages.put(d, new AtomicReference<>());
            waiting.put(d, new AtomicLong());
        }
    }

    void register(@Observes StartupEvent event) {
        for (Dependency d : Dependency.values()) {
            Gauge.builder("connector.dependency.up", outages.get(d), o -> o.get() == null ? 1 : 0)
                    .tag("dependency", d.label()).description("1 while the dependency answers, 0 while it is down")
                    .register(registry);
            Gauge.builder("connector.dependency.waiting.jobs", waiting.get(d), AtomicLong::get)
                    .tag("dependency", d.label()).description("Queued jobs waiting for the dependency to come back")
                    .register(registry);
        }
    }

    /** Marks {@code dependency} down (logged once per outage, not per job). */
    public void down(Dependency dependency, String reason) {
        Outage previous = outages.get(dependency).getAndUpdate(o -> o != null ? new Outage(o.since(), reason)
                : new Outage(clock.instant(), reason));
        if (dependency == Dependency.DATABASE) {
            QuietOutageLogs.databaseDown = true;
        }
        if (previous == null) {
            Log.warnf("%s is unavailable (%s): work that needs it waits, no attempts are spent", dependency.label(),
                    reason);
        }
    }

    /** Marks {@code dependency} up; returns true when it was down. */
    public boolean up(Dependency dependency) {
        Outage previous = outages.get(dependency).getAndSet(null);
        if (dependency == Dependency.DATABASE) {
            QuietOutageLogs.databaseDown = false;
        }
        if (previous != null) {
            Log.infof("%s is available again after %s", dependency.label(), away(previous.since()));
        }
        return previous != null;
    }

    /** "4.2 s", "3 min 5 s": how long it was away, as an operator reads it. */
    private String away(Instant since) {
        java.time.Duration d = java.time.Duration.between(since, clock.instant());
        return d.toMinutes() == 0 ? String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0)
                : d.toMinutes() + " min " + d.toSecondsPart() + " s";
    }

    /** A task that fails on a known outage is that outage (one WARN here), not an error of its own. */
    void onFailedTask(@Observes io.quarkus.scheduler.FailedExecution failed) {
        Outages.of(failed.getException()).ifPresent(d -> down(d, failed.getException().getClass().getSimpleName()
                + ": " + failed.getException().getMessage()));
    }

    /** From the stop on, what fails because the stop closed the database is not logged as an error. */
    void onStop(@Observes @jakarta.annotation.Priority(jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE - 1)
                io.quarkus.runtime.ShutdownEvent event) {
        QuietOutageLogs.stopping = true;
    }

    public boolean isDown(Dependency dependency) {
        return outages.get(dependency).get() != null;
    }

    /** The outage of {@code dependency}, null while it is up. */
    public Outage outage(Dependency dependency) {
        return outages.get(dependency).get();
    }

    /** Dependencies down now, in declaration order. */
    public List<Dependency> down() {
        return java.util.Arrays.stream(Dependency.values()).filter(this::isDown).toList();
    }

    void waiting(Dependency dependency, long jobs) {
        waiting.get(dependency).set(jobs);
    }

    public long waiting(Dependency dependency) {
        return waiting.get(dependency).get();
    }
}
