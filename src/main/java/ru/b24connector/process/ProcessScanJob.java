package ru.b24connector.process;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import ru.b24connector.portal.PortalClient;

/**
 * Periodic trigger of {@link ProcessService#scan()}: deals whose events never arrived, and time-in-stage moves.
 * Overlap is prevented on one replica only; on several the work stays correct (moves and stage entries are
 * deduplicated jobs), just repeated.
 */
@ApplicationScoped
class ProcessScanJob {

    @Inject
    ProcessService process;

    @Inject
    ProcessConfig config;

    @Inject
    ru.b24connector.cluster.PeriodGate gate;

    @Scheduled(identity = "process-scan", every = "${process.scan-every:5m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = ru.b24connector.portal.PortalNotConfigured.class)
    void trigger() {
        if (gate.tryStart("process-scan", io.quarkus.runtime.configuration.DurationConverter.parseDuration(config.scanEvery()))) {
            process.scan();
        }
    }
}
