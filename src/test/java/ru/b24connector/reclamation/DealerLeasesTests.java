package ru.b24connector.reclamation;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ru.b24connector.outage.DatabaseProbe;
import ru.b24connector.testsupport.MariaDbKiller;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * A dealer's INN lease whose release the database missed (frozen with SIGSTOP, as in DatabaseHangIT) is released
 * as soon as it answers again: the dealer's next claim does not wait the lease's minute (the IT once saw two claims
 * of the freeze's first second done 34 s after everything else).
 */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class DealerLeasesTests {

    @Inject
    DealerLeases leases;

    @Inject
    DatabaseProbe probe;

    @Inject
    ru.b24connector.jobs.MissedReleases missed;

    private Path frozen;

    @AfterEach
    void thaw() throws Exception {
        MariaDbKiller.thawAndAwait(frozen, probe::runOnce);
        frozen = null;
    }

    @Test
    @DisplayName("A release the frozen database missed is made when it answers; another caller takes the INN at once")
    void aMissedReleaseIsMadeWhenTheDatabaseAnswers() throws Exception {
        String inn = "7701" + (System.nanoTime() % 1_000_000L + 1_000_000L);
        leases.began("call-a");
        assertThat(leases.take(inn, "call-a")).isTrue();
        assertThat(leases.take(inn, "call-b")).as("held by call-a").isFalse();

        frozen = Path.of(MariaDbResource.dataDir());
        MariaDbKiller.freeze(frozen);
        assertThatCode(() -> leases.release(List.of(inn), "call-a")).as("the caller's work is done: no failure")
                .doesNotThrowAnyException();
        leases.ended("call-a");
        assertThat(missed.retry()).as("the database is still frozen").isFalse();
        MariaDbKiller.thaw(frozen);
        frozen = null;

        // the heartbeat (every 10 s) or the next call releases it; the lease itself would run a minute
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(missed::retry);
        assertThat(leases.take(inn, "call-b")).as("free long before the lease's minute").isTrue();
        leases.release(List.of(inn), "call-b");
    }
}
