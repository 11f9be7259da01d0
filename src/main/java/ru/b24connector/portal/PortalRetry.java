package ru.b24connector.portal;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;
import io.smallrye.faulttolerance.api.ExponentialBackoff;

import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/**
 * Bounded retries with jitter for portal calls that are safe to send again (reads, updates). Creates never come
 * here: a create that may have applied is looked up first ({@link PortalClient#create}).
 * Tunable as {@code quarkus.fault-tolerance."ru.b24connector.portal.PortalRetry/resendable".retry.max-retries}.
 */
@ApplicationScoped
class PortalRetry {

    // a manual block by Bitrix24 support (OVERLOAD_LIMIT) is not retried: calls stop until it is lifted
    @Retry(retryOn = PortalException.Unavailable.class, abortOn = PortalException.Blocked.class, maxRetries = 3, delay = 500, jitter = 250,
            maxDuration = 120, durationUnit = ChronoUnit.SECONDS)
    @ExponentialBackoff(factor = 2, maxDelay = 15_000)
    PortalAnswer resendable(Supplier<PortalAnswer> exchange) {
        return exchange.get();
    }
}
