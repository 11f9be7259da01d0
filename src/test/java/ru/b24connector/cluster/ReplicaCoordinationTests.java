package ru.b24connector.cluster;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several replicas share one database: a periodic scan runs once per period however many replicas try. Each
 * thread here holds its own connection and transaction, exactly as a second replica would; no state outside
 * the database decides.
 */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class ReplicaCoordinationTests {

    @Inject
    PeriodGate gate;

    @Test
    void aScanRunsOncePerPeriodAcrossReplicas() throws Exception {
        gate.reset("test-scan");
        ExecutorService replicas = Executors.newFixedThreadPool(4);
        List<Callable<Boolean>> attempts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            attempts.add(() -> gate.tryStart("test-scan", Duration.ofMinutes(5)));
        }

        long started = 0;
        for (Future<Boolean> f : replicas.invokeAll(attempts)) {
            started += f.get() ? 1 : 0;
        }
        replicas.shutdown();

        assertThat(started).isEqualTo(1);
        assertThat(gate.tryStart("test-scan", Duration.ofMinutes(5))).as("still within the period").isFalse();
    }

    @Test
    void theNextPeriodStartsAgain() throws InterruptedException {
        gate.reset("short-scan");
        assertThat(gate.tryStart("short-scan", Duration.ofMillis(200))).isTrue();
        assertThat(gate.tryStart("short-scan", Duration.ofMillis(200))).isFalse();
        Thread.sleep(250);
        assertThat(gate.tryStart("short-scan", Duration.ofMillis(200))).isTrue();
    }
}
