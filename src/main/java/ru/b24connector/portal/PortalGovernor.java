package ru.b24connector.portal;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keeps calls within both of the portal's limits, so they are smoothed rather than rejected.
 * <ul>
 * <li>Request rate: the portal's leaky bucket (drain {@code rate}/s, threshold {@code burst}), mirrored as a GCRA
 * schedule: each call reserves the next free slot under a lock and then waits for it outside the lock, so callers
 * are served in order and a burst beyond the threshold is spread at the drain rate. The schedule lives in the
 * database by default ({@link SharedRateSchedule}), so replicas share the portal's rate instead of multiplying it;
 * in memory when {@code b24.rate.shared=false}.</li>
 * <li>Execution-time budget: per method, the {@code time.operating} and {@code operating_reset_at} the portal reported
 * last (for batch commands, in their {@code result_time}) and the learned cost of a command ({@link OperatingBudgets}):
 * a method spends freely up to the burst share of its budget, then the rest up to the safety share is spread evenly
 * until the reset; after {@code OPERATION_TIME_LIMIT} its calls wait for the reset.</li>
 * </ul>
 */
@ApplicationScoped
public class PortalGovernor {

    /** Each further {@code QUERY_LIMIT_EXCEEDED} in a row makes the pause after it this much longer. */
    static final double LIMIT_ANSWER_GROWTH = 1.03;

    private final Object bucketLock = new Object();
    /** {@code QUERY_LIMIT_EXCEEDED} answers in a row, on this replica. */
    private final java.util.concurrent.atomic.AtomicInteger limitStreak = new java.util.concurrent.atomic.AtomicInteger();
    private long theoreticalArrivalNanos = Long.MIN_VALUE;
    private OperatingBudgets budgets;

    @Inject
    PortalConfig config;

    @Inject
    MeterRegistry metrics;

    @Inject
    SharedRateSchedule shared;

    @Inject
    SharedBudgetStore sharedBudgets;

    @PostConstruct
    void init() {
        // one switch for both of the portal's limits: replicas share the bucket and the time budgets, or neither
        budgets = new OperatingBudgets(config.operating().limitSeconds(), config.operating().safetyShare(),
                config.operating().burstShare(), config.operating().resetSlack().toMillis(),
                config.rate().shared() ? sharedBudgets : new BudgetStore.InMemory());
    }

    /**
     * Waits until the time budgets of the billed methods (one entry per command) allow the call and the rate limiter
     * grants a slot. The returned grant must be {@linkplain #settle settled} once the call is answered or failed.
     */
    OperatingBudgets.Grant acquire(Billing billing) {
        long started = System.nanoTime();
        Map<String, Integer> commands = new LinkedHashMap<>();
        billing.commands().forEach(m -> commands.merge(m, 1, Integer::sum));
        OperatingBudgets.Grant grant;
        // the portal's reset times are wall-clock epoch seconds, so the wall clock (not the injectable Clock) paces
        do {
            long now = System.currentTimeMillis();
            grant = budgets.reserve(commands, now, billing.probeLimit());
            if (!grant.reserved() && !billing.waitForBudget()) {
                throw new PortalException.NoRoom(String.join(",", commands.keySet()),
                        Instant.ofEpochMilli(now + grant.waitMillis()));
            }
            if (grant.waitMillis() >= 1000) {
                Log.debugf("Calls of %s wait %d ms for their time budget%s", commands.keySet(), grant.waitMillis(),
                        grant.reserved() ? "" : " (then look again)");
            }
            if (grant.waitMillis() > 0) {
                try {
                    sleepMillis(grant.waitMillis());
                } catch (RuntimeException e) {
                    budgets.settle(grant);
                    throw e;
                }
            }
        } while (!grant.reserved());
        try {
            waitForSlot();
        } catch (RuntimeException e) {
            budgets.settle(grant);
            throw e;
        }
        long waited = System.nanoTime() - started;
        Timer.builder("connector.portal.limiter.wait").register(metrics).record(waited, TimeUnit.NANOSECONDS);
        return grant;
    }

    /** The call of {@code grant} is over (answered or failed); what it will cost is now in what the portal reports. */
    /** The room the tightest of the given methods leaves one call now (see {@link OperatingBudgets#room}). */
    BudgetRoom room(int commandsPerItem, List<String> methods) {
        return budgets.room(methods, commandsPerItem, System.currentTimeMillis());
    }

    void settle(OperatingBudgets.Grant grant) {
        budgets.settle(grant);
    }

    /**
     * Learns the budgets a successful answer reports: {@code time.operating}, {@code operating_reset_at} and
     * {@code duration} of the call, and for a {@code batch} the same per command in {@code result_time}, billed to
     * each command's own method (the outer call is not billed).
     */
    void learn(String method, JsonNode request, JsonNode envelope) {
        long now = System.currentTimeMillis();
        List<OperatingBudgets.Report> reports = new ArrayList<>();
        if (!"batch".equals(method)) {
            report(method, envelope.path("time"), now, reports);
        } else {
            JsonNode times = envelope.path("result").path("result_time");
            for (Iterator<Map.Entry<String, JsonNode>> it = request.path("cmd").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> command = it.next();
                String query = command.getValue().asText();
                int q = query.indexOf('?');
                report(q < 0 ? query : query.substring(0, q), times.path(command.getKey()), now, reports);
            }
        }
        budgets.record(reports, now);
    }

    private static void report(String method, JsonNode time, long now, List<OperatingBudgets.Report> reports) {
        double duration = time.path("duration").asDouble(Double.NaN);
        if (time.has("operating")) {
            // without a reset time, assume the portal's whole window
            long reset = time.path("operating_reset_at").asLong(now / 1000 + 600);
            reports.add(new OperatingBudgets.Report(method, time.path("operating").asDouble(), reset, duration));
        } else if (!Double.isNaN(duration)) {
            // batch.md's result_time carries no operating: the command's own duration is what it spent
            reports.add(new OperatingBudgets.Report(method, Double.NaN, 0, duration));
        }
    }

    /**
     * {@code OPERATION_TIME_LIMIT} (a whole call's, or a batch command's in {@code result_error}): no call of
     * {@code method} before its budget resets (plus the slack).
     *
     * @return when the method is open again
     */
    Instant blockUntilReset(String method) {
        Instant until = Instant.ofEpochMilli(budgets.blocked(method, System.currentTimeMillis()));
        Log.warnf("Portal time budget of %s is spent; its calls wait until %s", method, until);
        return until;
    }

    /**
     * {@code QUERY_LIMIT_EXCEEDED}: someone else shares the bucket. Assume it is full, and hold the next slot of
     * every caller (every worker; every replica through the shared schedule) for a pause: one request's drain time
     * at first, 3 % longer for each further limit answer in a row, up to {@code b24.rate.limit-answer-max-pause}.
     *
     * @return the pause
     */
    java.time.Duration throttled() {
        int streak = limitStreak.incrementAndGet();
        long pauseNanos = limitAnswerPauseNanos(streak, intervalNanos(), config.rate().limitAnswerMaxPause().toNanos());
        if (config.rate().shared()) {
            shared.full((toleranceNanos() + pauseNanos) / 1000);
        } else {
            synchronized (bucketLock) {
                long now = System.nanoTime();
                theoreticalArrivalNanos = Math.max(theoreticalArrivalNanos, now + toleranceNanos() + pauseNanos);
            }
        }
        return java.time.Duration.ofNanos(pauseNanos);
    }

    /** The pause after the {@code streak}-th limit answer in a row (see {@link #throttled()}). */
    static long limitAnswerPauseNanos(int streak, long intervalNanos, long maxNanos) {
        double pause = intervalNanos * Math.pow(LIMIT_ANSWER_GROWTH, Math.max(0, streak - 1));
        return (long) Math.min(pause, maxNanos);
    }

    /** An answer came through the bucket: the next limit answer starts a new streak. */
    void admitted() {
        limitStreak.set(0);
    }

    /**
     * The request bucket's level and the methods' time budgets as they stand now (reads only). The level is how far
     * the schedule runs ahead of the drain, in requests: at {@code burst} calls wait for a slot.
     */
    public PortalLoad load() {
        long aheadNanos;
        if (config.rate().shared()) {
            aheadNanos = shared.aheadMicros() * 1000;
        } else {
            synchronized (bucketLock) {
                aheadNanos = theoreticalArrivalNanos == Long.MIN_VALUE ? 0
                        : Math.max(0, theoreticalArrivalNanos - System.nanoTime());
            }
        }
        double level = Math.min(config.rate().burst(), (double) aheadNanos / intervalNanos());
        return new PortalLoad(level, config.rate().burst(), config.rate().perSecond(),
                budgets.views(System.currentTimeMillis()));
    }

    /** Forgets all state, as after a restart; for tests that must not inherit an earlier test's bucket. */
    void reset() {
        limitStreak.set(0);
        shared.reset();
        synchronized (bucketLock) {
            theoreticalArrivalNanos = Long.MIN_VALUE;
        }
        budgets.clear();
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
