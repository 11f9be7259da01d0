package ru.b24connector.onec;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import ru.b24connector.cluster.PeriodGate;

/** Runs the pull every {@code ONEC_SYNC_EVERY} ({@code off} stops it), on one replica per period. */
@ApplicationScoped
class OneCPullJob {

    static final String GATE = "onec-pull";

    @Inject
    OneCPull pull;

    @Inject
    PeriodGate gate;

    @Inject
    OneCConfig config;

    // SKIP: a long pull is not overlapped by the next on this replica; the gate keeps other replicas out
    @Scheduled(identity = "onec-pull", every = "${onec.sync-every:15m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = OneCPullJob.NotConfigured.class)
    void trigger() {
        if (gate.tryStart(GATE, DurationConverter.parseDuration(config.syncEvery())) && !pull.running()) {
            try {
                pull.runOnce();
            } catch (OneCPull.AlreadyRunning e) {
                // an administrator's pull started meanwhile: it covers this period
            }
        }
    }

    /** The pull is off while ONEC_ODATA_URL is unset. */
    @Singleton
    static class NotConfigured implements Scheduled.SkipPredicate {
        @Inject
        OneCODataClient odata;

        @Override
        public boolean test(ScheduledExecution execution) {
            return !odata.configured();
        }
    }
}
