package ru.b24connector.escalation;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Runs the overdue scan every {@code ESCALATION_EVERY} ({@code off} stops it). */
@ApplicationScoped
class EscalationJob {

    @Inject
    OverdueTaskScan scan;

    // SKIP prevents overlap on one replica; across replicas the level guard in the scan keeps each level once
    @Scheduled(identity = "escalation", every = "${escalation.every:5m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void trigger() {
        scan.runOnce();
    }
}
