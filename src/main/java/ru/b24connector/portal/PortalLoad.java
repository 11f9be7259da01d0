package ru.b24connector.portal;

import java.time.Instant;
import java.util.List;

/**
 * How loaded the portal's limits are now, as this service sees them: the request bucket's level and each method's
 * execution-time budget. Read only; for the operations console.
 *
 * @param bucketLevel requests the bucket holds now (0 = empty, {@code burst} = full: calls wait)
 * @param budgets     per method seen, the tightest first
 */
public record PortalLoad(double bucketLevel, int burst, double perSecond, List<Budget> budgets) {

    /**
     * One method's time budget.
     *
     * @param usedSeconds  seconds the portal reported spent in its window, plus calls in flight
     * @param capSeconds   what this service lets itself spend (the safety share of the limit)
     * @param resetAt      when the portal's window resets; null while unknown
     * @param blocked      the portal answered OPERATION_TIME_LIMIT: calls wait for the reset
     */
    public record Budget(String method, double usedSeconds, double capSeconds, double limitSeconds, Instant resetAt,
                         boolean blocked) {

        /** Share of the cap spent, 0..1 (capped at 1). */
        public double share() {
            return capSeconds <= 0 ? 0 : Math.min(1, usedSeconds / capSeconds);
        }
    }
}
