package ru.b24connector.portal;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The time-budget pacing on a given clock: when the next call of a method may go, and what it reserves. */
class OperatingBudgetsTest {

    private static final long NOW = 1_767_250_800_000L;
    private static final String DEAL_ADD = "crm.deal.add";

    /** The tight budget of the benchmark: 3 s per method, 90 % used, half of it at once. */
    private final OperatingBudgets budgets = new OperatingBudgets(3, 0.9, 0.5);

    @Test
    void aMethodNeverSeenGetsOneCallAtATimeUntilItsFirstAnswer() {
        OperatingBudgets.Grant first = budgets.reserve(Map.of(DEAL_ADD, 12), NOW);
        OperatingBudgets.Grant second = budgets.reserve(Map.of(DEAL_ADD, 12), NOW);

        assertThat(first.reserved()).isTrue();
        assertThat(first.waitMillis()).isZero();
        assertThat(second.reserved()).as("a second call before the portal said where the method stands").isFalse();

        budgets.record(DEAL_ADD, 1.2, NOW / 1000 + 30, 0.1, NOW);
        budgets.settle(first);
        assertThat(budgets.reserve(Map.of(DEAL_ADD, 1), NOW).reserved()).isTrue();
    }

    @Test
    void belowTheBurstShareCallsGoAtOnce() {
        known(0.5, 30);

        OperatingBudgets.Grant a = budgets.reserve(Map.of(DEAL_ADD, 3), NOW);
        OperatingBudgets.Grant b = budgets.reserve(Map.of(DEAL_ADD, 3), NOW);

        assertThat(a.waitMillis()).isZero();
        assertThat(b.waitMillis()).as("0.5 + 0.3 + 0.3 s is below half of 3 s").isZero();
    }

    @Test
    void aboveTheBurstShareTheRestIsSpreadEvenlyUntilTheReset() {
        known(1.5, 30); // half spent, 1.2 s left up to 90 %, the reset in 30 s

        long[] waits = new long[12];
        for (int i = 0; i < waits.length; i++) {
            waits[i] = budgets.reserve(Map.of(DEAL_ADD, 1), NOW).waitMillis();
        }

        // 12 commands of 0.1 s fill the 1.2 s left: spread over the 30 s, one every 2.5 s
        assertThat(waits[0]).isZero();
        assertThat(waits[1]).isEqualTo(2_500);
        assertThat(waits[11]).isEqualTo(27_500);
    }

    @Test
    void aBatchReservesItsWholeCostAndPushesTheNextCallBack() {
        known(1.5, 30);

        OperatingBudgets.Grant group = budgets.reserve(Map.of(DEAL_ADD, 6), NOW);
        OperatingBudgets.Grant next = budgets.reserve(Map.of(DEAL_ADD, 1), NOW);

        assertThat(group.waitMillis()).isZero();
        assertThat(group.costs().get(DEAL_ADD)).isEqualTo(0.6, org.assertj.core.data.Offset.offset(1e-9));
        // the group took half of what was left, so the next call waits half of the time to the reset
        assertThat(next.waitMillis()).isEqualTo(15_000);
    }

    @Test
    void pastTheSafetyShareCallsWaitForTheReset() {
        known(2.7, 12);

        OperatingBudgets.Grant grant = budgets.reserve(Map.of(DEAL_ADD, 1), NOW);

        assertThat(grant.reserved()).isFalse();
        assertThat(grant.waitMillis()).isEqualTo(12_000);
    }

    @Test
    void afterTheResetOneCallFindsOutWhatIsLeft() {
        known(2.7, 12);
        long later = NOW + 12_000;

        OperatingBudgets.Grant probe = budgets.reserve(Map.of(DEAL_ADD, 1), later);
        OperatingBudgets.Grant other = budgets.reserve(Map.of(DEAL_ADD, 1), later);

        assertThat(probe.reserved()).isTrue();
        assertThat(probe.waitMillis()).isZero();
        assertThat(other.reserved()).isFalse();
        assertThat(other.waitMillis()).isEqualTo(OperatingBudgets.PROBE_WAIT_MILLIS);
    }

    @Test
    void callsInFlightCountAsSpentUntilTheyAreAnswered() {
        known(2.0, 30);
        OperatingBudgets.Grant out = budgets.reserve(Map.of(DEAL_ADD, 7), NOW); // 2.0 + 0.7 = the 90 % cap

        assertThat(budgets.reserve(Map.of(DEAL_ADD, 1), NOW).reserved()).as("would pass the cap").isFalse();

        budgets.settle(out);
        budgets.record(DEAL_ADD, 2.0, NOW / 1000 + 30, 0.1, NOW); // the portal billed less than reserved
        assertThat(budgets.reserve(Map.of(DEAL_ADD, 1), NOW).reserved()).isTrue();
    }

    @Test
    void anOlderAnswerDoesNotSetTheBudgetBack() {
        budgets.record(DEAL_ADD, 2.5, NOW / 1000 + 30, 0.1, NOW);
        budgets.record(DEAL_ADD, 1.0, NOW / 1000 + 30, 0.1, NOW); // a call sent earlier, answered later

        assertThat(budgets.reserve(Map.of(DEAL_ADD, 3), NOW).reserved()).as("2.5 + 0.3 is past 2.7").isFalse();
    }

    @Test
    void operationTimeLimitBlocksTheMethodUntilItsReportedReset() {
        known(1.0, 20);

        long until = budgets.blocked(DEAL_ADD, NOW);
        OperatingBudgets.Grant grant = budgets.reserve(Map.of(DEAL_ADD, 1), NOW + 5_000);

        assertThat(until).isEqualTo(NOW + 20_000);
        assertThat(grant.reserved()).isFalse();
        assertThat(grant.waitMillis()).isEqualTo(15_000);
    }

    @Test
    void otherMethodsOfTheSameBatchAreNotHeldBackByAnUnknownOne() {
        known(0.1, 30);
        OperatingBudgets.Grant probe = budgets.reserve(Map.of("crm.timeline.comment.add", 1), NOW);

        OperatingBudgets.Grant plain = budgets.reserve(Map.of(DEAL_ADD, 1), NOW);

        assertThat(probe.reserved()).isTrue();
        assertThat(plain.reserved()).isTrue();
        assertThat(plain.waitMillis()).isZero();
    }

    @Test
    void theGenerousDefaultLetsABurstOfTwoHundredClaimsThroughAtOnce() {
        OperatingBudgets generous = new OperatingBudgets(480, 0.9, 0.5);
        generous.record(DEAL_ADD, 0.5, NOW / 1000 + 600, 0.5, NOW);

        long waited = 0;
        for (int group = 0; group < 17; group++) {
            waited += generous.reserve(Map.of(DEAL_ADD, 12), NOW).waitMillis();
        }

        assertThat(waited).as("200 deals of 0.5 s are 100 s of a 480 s budget").isZero();
    }

    @Test
    void aGroupIsSizedToWhatIsLeftUnderTheCap() {
        known(1.5, 30);

        // cap 2.7 s, 1.5 s spent, 0.1 s a command: 12 more fit
        assertThat(budgets.room(DEAL_ADD, 1, NOW).items()).isEqualTo(12);
        assertThat(budgets.room(DEAL_ADD, 3, NOW).items()).as("three commands per item").isEqualTo(4);
        OperatingBudgets.Grant out = budgets.reserve(Map.of(DEAL_ADD, 10), NOW);
        assertThat(budgets.room(DEAL_ADD, 1, NOW).items()).as("what is in flight counts as spent").isEqualTo(2);
        assertThat(budgets.room(DEAL_ADD, 3, NOW).items()).as("two commands left are no room for an item of three")
                .isZero();
        budgets.settle(out);
        budgets.record(DEAL_ADD, 2.7, NOW / 1000 + 30, 0.1, NOW);
        BudgetRoom full = budgets.room(DEAL_ADD, 1, NOW);
        assertThat(full.items()).as("a full budget leaves no room").isZero();
        assertThat(full.freeAtMillis()).as("look again at the reset").isEqualTo((NOW / 1000 + 30) * 1000);
    }

    @Test
    void afterTheResetOneProbeOfOneItemGoesAndTheOthersWaitForItsAnswer() {
        known(2.7, 12);

        BudgetRoom probe = budgets.room(DEAL_ADD, 3, NOW + 12_000);
        assertThat(probe.probe()).isTrue();
        assertThat(probe.items()).as("one item, whatever it costs").isEqualTo(1);
        budgets.reserve(Map.of(DEAL_ADD, 3), NOW + 12_000);
        BudgetRoom behind = budgets.room(DEAL_ADD, 3, NOW + 12_000);
        assertThat(behind.items()).as("no second probe while the first is out").isZero();
        assertThat(behind.freeAtMillis()).isEqualTo(NOW + 12_000 + OperatingBudgets.PROBE_WAIT_MILLIS);
        assertThat(budgets.room("crm.contact.add", 1, NOW)).as("nothing learned yet: no limit from here")
                .isEqualTo(BudgetRoom.UNLIMITED);
    }

    @Test
    void aGroupSizedOnOlderFiguresIsNotLetThroughAsTheProbe() {
        known(2.7, 12);

        OperatingBudgets.Grant group = budgets.reserve(Map.of(DEAL_ADD, 12), NOW + 12_000, 1);
        assertThat(group.reserved()).as("twelve claims could carry the method past its budget").isFalse();
        assertThat(budgets.reserve(Map.of(DEAL_ADD, 1), NOW + 12_000, 1).reserved()).as("one claim probes").isTrue();
    }

    private void known(double operating, int secondsToReset) {
        budgets.record(DEAL_ADD, operating, NOW / 1000 + secondsToReset, 0.1, NOW);
    }
}
