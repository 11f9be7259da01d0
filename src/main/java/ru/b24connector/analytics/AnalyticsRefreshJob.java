package ru.b24connector.analytics;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Fills the claims' dealer, items and decision for the board's analytics ({@code ANALYTICS_REFRESH_EVERY}). */
@ApplicationScoped
class AnalyticsRefreshJob {

    @Inject
    ClaimFacts facts;

    @Scheduled(identity = "analytics-refresh", every = "${analytics.refresh.every:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void trigger() {
        facts.refresh();
    }
}
