package ru.b24connector.portal;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Two replicas' budget bookkeeping over one database: what one learns or has in flight, the other sees. */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class SharedBudgetTests {

    private static final String DEAL_ADD = "crm.deal.add";
    private static final long NOW = 1_767_250_800_000L;

    @Inject
    SharedBudgetStore store;

    private OperatingBudgets replicaA;
    private OperatingBudgets replicaB;

    @BeforeEach
    void twoReplicas() {
        store.clear();
        replicaA = new OperatingBudgets(3, 0.9, 0.5, store);
        replicaB = new OperatingBudgets(3, 0.9, 0.5, store);
    }

    @Test
    void twoReplicasSeeEachOthersCallsInFlightAndNeverTogetherOverdrawAMethod() {
        replicaA.record(DEAL_ADD, 1.5, NOW / 1000 + 30, 0.1, NOW);
        assertThat(replicaB.room(DEAL_ADD, 1, NOW).items()).as("what one replica learned, the other knows")
                .isEqualTo(12);

        OperatingBudgets.Grant out = replicaA.reserve(Map.of(DEAL_ADD, 10), NOW, 1);
        assertThat(out.reserved()).isTrue();
        assertThat(replicaB.room(DEAL_ADD, 1, NOW).items()).as("the other replica's call in flight counts")
                .isEqualTo(2);
        assertThat(replicaB.reserve(Map.of(DEAL_ADD, 12), NOW, 1).reserved())
                .as("1.5 s reported + 1.0 s in flight + 1.2 s would pass the 2.7 s cap").isFalse();

        replicaA.record(DEAL_ADD, 2.5, NOW / 1000 + 30, 0.1, NOW);
        replicaA.settle(out);
        assertThat(replicaB.room(DEAL_ADD, 1, NOW).items()).isEqualTo(2);
    }

    @Test
    void aCallOfAReplicaThatDiedStopsCountingAfterAWhile() {
        replicaA.record(DEAL_ADD, 1.5, NOW / 1000 + 3600, 0.1, NOW);
        replicaA.reserve(Map.of(DEAL_ADD, 10), NOW, 1); // never settled: replica A died with it

        assertThat(replicaB.room(DEAL_ADD, 1, NOW).items()).isEqualTo(2);
        assertThat(replicaB.room(DEAL_ADD, 1, NOW + OperatingBudgets.IN_FLIGHT_MILLIS + 1).items()).isEqualTo(12);
    }
}
