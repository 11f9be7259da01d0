package ru.b24connector.outage;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import ru.b24connector.cluster.PeriodGate;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * While jobs wait for a dependency (or it is known down), one cheap probe per dependency and round tests it, instead
 * of every waiting job trying on its own; one replica per round probes (a {@link PeriodGate} lease) and writes what it
 * found to {@code dependency_status}, the others adopt it. When a dependency answers, every job waiting for it is
 * due at once, in arrival order; the workers then pace them through the portal's rate limiter as usual. The probes
 * are the features' {@link DependencyProbe} beans, the waiting work the queue's {@link WaitingWork}.
 */
@ApplicationScoped
public class DependencyProbes {

    static final String LEASE = "dependency-probe";

    @Inject
    WaitingWork work;

    @Inject
    DependencyState state;

    @Inject
    Instance<DependencyProbe> probes;

    @Inject
    PeriodGate gate;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    /** The round's period (the job queue's setting {@code jobs.probe-every}, read here without importing jobs). */
    @ConfigProperty(name = "jobs.probe-every", defaultValue = "5s")
    String probeEvery;

    @Scheduled(identity = "dependency-probe", every = "${jobs.probe-every:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void trigger() {
        if (state.isDown(Dependency.DATABASE)) {
            return; // nothing can be released now; the database probe reports that outage
        }
        try {
            if (gate.tryStart(LEASE, DurationConverter.parseDuration(probeEvery))) {
                runOnce();
            } else {
                adoptShared();
            }
        } catch (RuntimeException e) {
            Outages.of(e).ifPresent(d -> state.down(d, e.getClass().getSimpleName() + ": " + e.getMessage()));
            Log.debugf("Dependency probe round skipped: %s", e.getMessage());
        }
    }

    /** One round: refreshes the waiting counts, probes what needs probing, releases what answers, shares the finding. */
    public Map<Dependency, Integer> runOnce() {
        Map<String, Long> waiting = work.waitingCounts();
        Map<Dependency, Integer> released = new EnumMap<>(Dependency.class);
        for (Dependency dependency : Dependency.values()) {
            Optional<DependencyProbe> probe = probes.stream().filter(p -> p.dependency() == dependency).findFirst();
            if (probe.isEmpty()) {
                continue; // the database: its own probe, through this replica's pool
            }
            long jobs = waiting.getOrDefault(dependency.label(), 0L);
            state.waiting(dependency, jobs);
            if (jobs == 0 && !state.isDown(dependency)) {
                continue;
            }
            Optional<String> failure = probe.get().probe();
            share(dependency, failure);
            if (failure.isPresent()) {
                state.down(dependency, failure.get());
                continue;
            }
            state.up(dependency);
            int n = work.release(dependency.label());
            state.waiting(dependency, 0);
            released.put(dependency, n);
            if (n > 0) {
                Log.infof("%s answers again: %d waiting job(s) are due now", dependency.label(), n);
            }
        }
        return released;
    }

    /** A replica that did not probe this round takes over what the probing one found. */
    @SuppressWarnings("unchecked")
    void adoptShared() {
        Map<String, Long> waiting = work.waitingCounts();
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT name, down_since, reason FROM dependency_status").getResultList());
        for (Object[] row : rows) {
            Optional<Dependency> dependency = java.util.Arrays.stream(Dependency.values())
                    .filter(d -> d.label().equals(row[0])).findFirst();
            if (dependency.isEmpty() || dependency.get() == Dependency.DATABASE) {
                continue;
            }
            Dependency d = dependency.get();
            state.waiting(d, waiting.getOrDefault(d.label(), 0L));
            if (row[1] == null) {
                state.up(d);
            } else {
                state.down(d, row[2] == null ? "found down by another replica" : (String) row[2]);
            }
        }
    }

    private void share(Dependency dependency, Optional<String> failure) {
        Timestamp now = Timestamp.from(clock.instant());
        String reason = failure.map(r -> r.length() > 500 ? r.substring(0, 500) : r).orElse(null);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        INSERT INTO dependency_status (name, down_since, reason, checked_at) VALUES (?1, ?2, ?3, ?4)
                        ON DUPLICATE KEY UPDATE down_since = IF(?2 IS NULL, NULL, COALESCE(down_since, ?2)),
                                                reason = ?3, checked_at = ?4""")
                .setParameter(1, dependency.label()).setParameter(2, failure.isPresent() ? now : null)
                .setParameter(3, reason).setParameter(4, now).executeUpdate());
    }
}
