package ru.b24connector.portal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Keeps calls within both of the portal's limits, so they are smoothed rather than rejected.
 * <ul>
 * <li>Request rate: the portal's leaky bucket (drain {@code rate}/s, threshold {@code burst}), mirrored as a GCRA
 * schedule: each call reserves the next free slot under a lock and then waits for it outside the lock, so callers
 * are served in order and a burst beyond the threshold is spread at the drain rate. The schedule lives in the
 * database by default ({@link SharedRateSchedule}), so replicas share the portal's rate instead of multiplying it;
 * in memory when {@code b24.rate.shared=false}.</li>
 * <li>Execution-time budget: per method, the {@code time.operating} the portal reported last; past the safety share
 * of the budget (or after {@code OPERATION_TIME_LIMIT}) calls of that method wait for {@code operating_reset_at}.</li>
 * </ul>
 */
@ApplicationScoped
public class PortalGovernor {

    private final Object bucketLock = new Object();
    private final Map<String, Budget> budgets = new ConcurrentHashMap<>();
    private long theoreticalArrivalNanos = Long.MIN_VALUE;

    @Inject
    PortalConfig config;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry metrics;

    @Inject
    SharedRateSchedule shared;

    private record Budget(double operating, long resetAtEpochSecond, boolean blocked) {
    }

    /** Waits until every method in the call has budget left and the rate limiter grants a slot. */
    void acquire(Iterable<String> billedMethods) {
        long started = System.nanoTime();
        for (String method : billedMethods) {
            waitForBudget(method);
        }
        waitForSlot();
        long waited = System.nanoTime() - started;
        Timer.builder("connector.portal.limiter.wait").register(metrics).record(waited, TimeUnit.NANOSECONDS);
    }

    /** Records the budget the portal reported with a successful answer of {@code method}. */
    void record(String method, double operating, long resetAtEpochSecond) {
        budgets.put(method, new Budget(operating, resetAtEpochSecond, false));
    }

    /** {@code OPERATION_TIME_LIMIT}: no call of {@code method} before its budget resets. */
    void blockUntilReset(String method) {
        long now = clock.instant().getEpochSecond();
        Budget last = budgets.get(method);
        // the reset time comes from the last good answer; without one, a minute is the window's granularity
        long resetAt = last != null && last.resetAtEpochSecond() > now ? last.resetAtEpochSecond() : now + 60;
        budgets.put(method, new Budget(config.operating().limitSeconds(), resetAt, true));
        Log.warnf("Portal time budget of %s is spent; its calls wait until %s", method, Instant.ofEpochSecond(resetAt));
    }

    /** {@code QUERY_LIMIT_EXCEEDED}: someone else shares the bucket; assume it is full and drain from there. */
    void throttled() {
        if (config.rate().shared()) {
            shared.full(toleranceNanos() / 1000);
            return;
        }
        synchronized (bucketLock) {
            long now = System.nanoTime();
            theoreticalArrivalNanos = Math.max(theoreticalArrivalNanos, now + toleranceNanos());
        }
    }

    /** Forgets all state, as after a restart; for tests that must not inherit an earlier test's bucket. */
    void reset() {
        shared.reset();
        synchronized (bucketLock) {
            theoreticalArrivalNanos = Long.MIN_VALUE;
        }
        budgets.clear();
    }

    private void waitForBudget(String method) {
        Budget budget = budgets.get(method);
        if (budget == null) {
            return;
        }
        long now = clock.instant().getEpochSecond();
        boolean overShare = budget.operating() >= config.operating().limitSeconds() * config.operating().safetyShare();
        if ((budget.blocked() || overShare) && budget.resetAtEpochSecond() > now) {
            sleepMillis((budget.resetAtEpochSecond() - now) * 1000);
        }
        if (budget.resetAtEpochSecond() <= clock.instant().getEpochSecond()) {
            budgets.remove(method, budget);
        }
    }

    private void waitForSlot() {
        if (config.rate().shared()) {
            long waitMicros = shared.reserve(intervalNanos() / 1000, toleranceNanos() / 1000);
            if (waitMicros > 0) {
                sleepMillis(waitMicros / 1000 + 1);
            }
            return;
        }
        long waitNanos;
        synchronized (bucketLock) {
            long now = System.nanoTime();
            long interval = intervalNanos();
            long tat = theoreticalArrivalNanos == Long.MIN_VALUE ? now : Math.max(theoreticalArrivalNanos, now);
            long allowedAt = tat - toleranceNanos();
            waitNanos = Math.max(0, allowedAt - now);
            theoreticalArrivalNanos = tat + interval;
        }
        if (waitNanos > 0) {
            sleepMillis(TimeUnit.NANOSECONDS.toMillis(waitNanos) + 1);
        }
    }

    private long intervalNanos() {
        return (long) (1_000_000_000L / config.rate().perSecond());
    }

    /**
     * How far ahead of the drain the schedule may run: the burst, less the slot being taken, less a tenth of the
     * burst kept free because a request reserved for time t reaches the portal a little later, and requests
     * bunch up on the way (scheduling, network).
     */
    private long toleranceNanos() {
        int burst = config.rate().burst();
        int margin = burst > 2 ? Math.max(1, Math.round(burst * 0.1f)) : 0;
        return intervalNanos() * Math.max(0, burst - margin - 1L);
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the portal's rate limit", e);
        }
    }
}
