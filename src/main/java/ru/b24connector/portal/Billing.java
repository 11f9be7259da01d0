package ru.b24connector.portal;

import java.util.List;

/**
 * What one call bills to the portal's time budgets (one method name per command) and how it may wait for them:
 * {@code waitForBudget} false makes a call that does not fit now fail with {@link PortalException.NoRoom} instead of
 * sleeping, and a probe after a reset carry at most {@code probeLimit} commands of a method.
 */
record Billing(List<String> commands, boolean waitForBudget, int probeLimit) {

    /** A call that waits for its budgets as long as it has to. */
    static Billing waiting(List<String> commands) {
        return new Billing(commands, true, Integer.MAX_VALUE);
    }
}
