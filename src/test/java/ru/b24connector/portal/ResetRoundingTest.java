package ru.b24connector.portal;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The governor's slack around {@code operating_reset_at} (issue #28), against a portal on a simulated clock that
 * rounds the reset down or up. limits.md: the time of a method counts in a window; {@code operating_reset_at} is
 * when the oldest part drops out, a whole-second timestamp (api-reference/data-types.md: "usually an integer"); the
 * portal checks the sum before each call and refuses the call once the sum is past the limit, and in a batch each
 * command is checked on its own method. The docs do not say how the reset is rounded: both are tried.
 */
class ResetRoundingTest {

    private static final String DEAL_ADD = "crm.deal.add";
    /** The benchmark's tight budget: 3 s per 30 s window, 0.1 s a command, 90 % used, half at once. */
    private static final double BUDGET = 3;
    private static final double COST = 0.1;
    private static final long WINDOW_MILLIS = 30_000;
    /** Not on a whole second, so the true resets fall inside seconds. */
    private static final long START = 1_767_250_800_437L;
    /** Up to 12 claims a group, as the intake's default; a call answered in 20 ms (the bucket has room). */
    private static final int GROUP = 12;
    private static final long CALL_MILLIS = 20;

    @Test
    @DisplayName("a portal that rounds operating_reset_at down: at most 2 refusals per 100 claims with the 1 s slack")
    void aPortalThatRoundsTheResetDownRefusesAlmostNothing() {
        Run run = run(true, 1000, 100);

        assertThat(run.refused).as("OPERATION_TIME_LIMIT answers per 100 claims").isLessThanOrEqualTo(2);
        assertThat(run.claimsPerSecond()).as("≥ 85 % of the ceiling of 1 claim/s").isGreaterThanOrEqualTo(0.85);
    }

    @Test
    @DisplayName("without the slack the same portal refuses the calls made in the second before the true reset")
    void withoutTheSlackARoundedDownResetDrawsRefusals() {
        Run run = run(true, 0, 100);

        assertThat(run.refused).as("what issue #28 saw: calls in the second before the oldest part drops out")
                .isGreaterThan(2);
    }

    @Test
    @DisplayName("a portal that rounds operating_reset_at up: no refusal, and the slack costs little throughput")
    void aPortalThatRoundsTheResetUpLosesLittleToTheSlack() {
        Run withSlack = run(false, 1000, 100);
        Run without = run(false, 0, 100);

        assertThat(withSlack.refused).isLessThanOrEqualTo(2);
        assertThat(without.refused).isZero();
        assertThat(withSlack.claimsPerSecond()).as("≥ 85 % of the ceiling of 1 claim/s").isGreaterThanOrEqualTo(0.85);
    }

    /** Claims put into the CRM as the intake does: sized to the room, one item as the probe after a reset. */
    private static Run run(boolean roundDown, long slackMillis, int claims) {
        OperatingBudgets budgets = new OperatingBudgets(BUDGET, 0.9, 0.5, slackMillis, new BudgetStore.InMemory());
        SimulatedPortal portal = new SimulatedPortal(roundDown);
        long now = START;
        int done = 0;
        int refused = 0;
        int calls = 0;
        while (done < claims && calls < 10_000) {
            BudgetRoom room = budgets.room(List.of(DEAL_ADD), 1, now);
            if (room.items() == 0) {
                now = Math.max(now + 1, room.freeAtMillis());
                continue;
            }
            int n = Math.min(Math.min(room.items(), GROUP), claims - done);
            OperatingBudgets.Grant grant = budgets.reserve(Map.of(DEAL_ADD, n), now, 1);
            now += grant.waitMillis();
            if (!grant.reserved()) {
                now = Math.max(now, now + 1);
                continue;
            }
            calls++;
            int accepted = portal.batch(n, now);
            if (accepted > 0) {
                budgets.record(DEAL_ADD, portal.operating(now), portal.reportedResetSecond(), COST, now);
            }
            if (accepted < n) {
                budgets.blocked(DEAL_ADD, now);
            }
            budgets.settle(grant);
            done += accepted;
            refused += n - accepted;
            now += CALL_MILLIS;
        }
        return new Run(done, refused, now - START);
    }

    private record Run(int done, int refused, long millis) {
        double claimsPerSecond() {
            return done / (millis / 1000.0);
        }
    }

    /** One method's window: each command billed when it runs, dropped exactly {@link #WINDOW_MILLIS} later. */
    private static final class SimulatedPortal {
        private final boolean roundDown;
        private final Deque<Long> billed = new ArrayDeque<>();

        SimulatedPortal(boolean roundDown) {
            this.roundDown = roundDown;
        }

        /** Runs {@code commands} commands at {@code now}; returns how many ran (the rest were refused). */
        int batch(int commands, long now) {
            int accepted = 0;
            for (int i = 0; i < commands; i++) {
                if (operating(now) > BUDGET + 1e-9) {
                    continue;
                }
                billed.addLast(now);
                accepted++;
            }
            return accepted;
        }

        double operating(long now) {
            while (!billed.isEmpty() && billed.peekFirst() + WINDOW_MILLIS <= now) {
                billed.pollFirst();
            }
            return billed.size() * COST;
        }

        long reportedResetSecond() {
            double reset = (billed.peekFirst() + WINDOW_MILLIS) / 1000.0;
            return (long) (roundDown ? Math.floor(reset) : Math.ceil(reset));
        }
    }
}
