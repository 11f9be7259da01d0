package ru.b24connector.outage;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.jobs.JobQueue;
import ru.b24connector.mail.SmtpProbe;
import ru.b24connector.onec.OneCODataClient;
import ru.b24connector.portal.PortalClient;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * While jobs wait for a dependency (or it is known down), one cheap probe per dependency and round tests it, instead
 * of every waiting job trying on its own. When it answers, every job waiting for it is due at once, in arrival order;
 * the workers then pace them through the portal's rate limiter as usual.
 */
@ApplicationScoped
public class DependencyProbes {

    @Inject
    JobQueue queue;

    @Inject
    DependencyState state;

    @Inject
    PortalClient portal;

    @Inject
    OneCODataClient onec;

    @Inject
    SmtpProbe smtp;

    @Scheduled(identity = "dependency-probe", every = "${jobs.probe-every:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void trigger() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            // the database is down: nothing can be released now; the job workers report that outage
            Log.debugf("Dependency probe round skipped: %s", e.getMessage());
        }
    }

    /** One round: refreshes the waiting counts, probes what needs probing, releases what answers. */
    public Map<Dependency, Integer> runOnce() {
        Map<String, Long> waiting = queue.waitingCounts();
        Map<Dependency, Integer> released = new EnumMap<>(Dependency.class);
        Map<Dependency, Supplier<Optional<String>>> probes = Map.of(
                Dependency.PORTAL, portal::probe, Dependency.ONEC, onec::probe, Dependency.SMTP, smtp::probe);
        for (Dependency dependency : new Dependency[]{Dependency.PORTAL, Dependency.ONEC, Dependency.SMTP}) {
            long jobs = waiting.getOrDefault(dependency.label(), 0L);
            state.waiting(dependency, jobs);
            if (jobs == 0 && !state.isDown(dependency)) {
                continue;
            }
            Optional<String> failure = probes.get(dependency).get();
            if (failure.isPresent()) {
                state.down(dependency, failure.get());
                continue;
            }
            state.up(dependency);
            int n = queue.release(dependency.label());
            state.waiting(dependency, 0);
            released.put(dependency, n);
            if (n > 0) {
                Log.infof("%s answers again: %d waiting job(s) are due now", dependency.label(), n);
            }
        }
        return released;
    }
}
