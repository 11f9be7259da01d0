package ru.b24connector.process;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Periodic trigger of {@link ProcessService#scan()}: deals whose events never arrived, and time-in-stage moves.
 * Overlap is prevented on one replica only; on several the work stays correct (moves and stage entries are
 * deduplicated jobs), just repeated.
 */
@ApplicationScoped
class ProcessScanJob {

    @Inject
    ProcessService process;

    @Scheduled(identity = "process-scan", every = "${process.scan-every:5m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void trigger() {
        process.scan();
    }
}
