package ru.b24connector.escalation;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import ru.b24connector.portal.PortalClient;

/** Runs the overdue scan every {@code ESCALATION_EVERY} ({@code off} stops it). */
@ApplicationScoped
class EscalationJob {

    @Inject
    OverdueTaskScan scan;

    @Inject
    ru.b24connector.cluster.PeriodGate gate;

    @Inject
    EscalationConfig config;

    // SKIP prevents overlap on one replica; the gate makes one replica scan per period, and the level guard in
    // the scan keeps each level once even if two scans overlap
    @Scheduled(identity = "escalation", every = "${escalation.every:5m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = ru.b24connector.portal.PortalNotConfigured.class)
    void trigger() {
        if (gate.tryStart("escalation", io.quarkus.runtime.configuration.DurationConverter.parseDuration(config.every()))) {
            scan.runOnce();
        }
    }
}
