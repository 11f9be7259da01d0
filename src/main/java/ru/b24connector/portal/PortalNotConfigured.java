package ru.b24connector.portal;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** Skips a scheduled scan quietly until a webhook URL or an installed application gives access to the portal. */
@Singleton
public class PortalNotConfigured implements Scheduled.SkipPredicate {

    @Inject
    PortalClient portal;

    @Override
    public boolean test(ScheduledExecution execution) {
        return !portal.configured();
    }
}
