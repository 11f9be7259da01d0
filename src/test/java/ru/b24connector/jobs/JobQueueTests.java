package ru.b24connector.jobs;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class JobQueueTests {

    @Inject
    JobQueue queue;

    @Inject
    JobWorker worker;

    @Inject
    JobLeases leases;

    @BeforeEach
    void drain() {
        worker.runDue(); // leftovers of other tests
        TestJobHandlers.Flaky.failing.set(false);
        TestJobHandlers.Flaky.runs.set(0);
        TestJobHandlers.Flaky.deadReports.set(0);
        TestJobHandlers.Flaky.waitUntil.set(null);
        TestJobHandlers.Flaky.deadlocks.set(0);
    }

    @AfterEach
    void realTime() {
        QuarkusMock.installMockForType(Clock.systemUTC(), Clock.class);
    }

    @Test
    void enqueuingTheSameKeyTwiceQueuesOneJob() {
        assertThat(queue.enqueue("test.flaky", "same-fact", Map.of("n", 1))).isPresent();
        assertThat(queue.enqueue("test.flaky", "same-fact", Map.of("n", 2))).isEmpty();

        assertThat(worker.runDue()).isEqualTo(1);
        assertThat(TestJobHandlers.Flaky.runs.get()).isEqualTo(1);
    }

    @Test
    void aFailingJobIsDeadLetteredAfterItsAttemptsThenReplaySucceeds() throws InterruptedException {
        TestJobHandlers.Flaky.failing.set(true);
        long id = queue.enqueue("test.flaky", "dead-then-replayed", Map.of()).orElseThrow();

        for (int i = 0; i < 50 && queue.find(id).orElseThrow().status != Job.Status.DEAD; i++) {
            worker.runDue();
            Thread.sleep(10); // past the (test-sized) backoff
        }

        Job dead = queue.find(id).orElseThrow();
        assertThat(dead.status).isEqualTo(Job.Status.DEAD);
        assertThat(dead.attempts).isEqualTo(3);
        assertThat(dead.lastError).contains("the far side is down");
        assertThat(TestJobHandlers.Flaky.deadReports.get()).isEqualTo(1);
        assertThat(queue.list(Job.Status.DEAD, 100)).extracting(j -> j.id).contains(id);

        TestJobHandlers.Flaky.failing.set(false);
        assertThat(queue.replay(id)).isTrue();
        worker.runDue();

        assertThat(queue.find(id).orElseThrow().status).isEqualTo(Job.Status.DONE);
        assertThat(TestJobHandlers.Flaky.runs.get()).isEqualTo(4);
    }

    @Test
    void aJobThatMustWaitIsPutBackForThatTimeWithoutSpendingAnAttempt() {
        Instant reset = Instant.now().plus(Duration.ofHours(1));
        TestJobHandlers.Flaky.waitUntil.set(reset);
        long id = queue.enqueue("test.flaky", "waits-for-budget", Map.of()).orElseThrow();

        assertThat(worker.runDue()).isEqualTo(1);
        Job waiting = queue.find(id).orElseThrow();
        assertThat(waiting.status).isEqualTo(Job.Status.QUEUED);
        assertThat(waiting.attempts).as("waiting is not failing").isZero();
        assertThat(waiting.runAt).isCloseTo(reset, org.assertj.core.api.Assertions.within(1, java.time.temporal.ChronoUnit.SECONDS));
        assertThat(waiting.lastError).isEqualTo("the portal's time budget is spent");
        assertThat(worker.runDue()).as("not before its time").isZero();

        // what it waited for is over sooner: moved up, it runs at once
        TestJobHandlers.Flaky.waitUntil.set(null);
        queue.runBy("test.flaky", List.of("waits-for-budget"), Instant.now());
        assertThat(worker.runDue()).isEqualTo(1);
        Job done = queue.find(id).orElseThrow();
        assertThat(done.status).isEqualTo(Job.Status.DONE);
        assertThat(done.attempts).isEqualTo(1);
    }

    @Test
    void aDeadlockVictimRunsAgainSoonWithoutSpendingAnAttempt() throws InterruptedException {
        TestJobHandlers.Flaky.deadlocks.set(2);
        long id = queue.enqueue("test.flaky", "meets-deadlocks", Map.of()).orElseThrow();

        for (int i = 0; i < 40 && queue.find(id).orElseThrow().status != Job.Status.DONE; i++) {
            worker.runDue();
            Thread.sleep(50);
        }

        Job done = queue.find(id).orElseThrow();
        assertThat(done.status).isEqualTo(Job.Status.DONE);
        assertThat(done.attempts).as("two lost deadlocks are no failed attempts").isEqualTo(1);
        assertThat(TestJobHandlers.Flaky.runs.get()).isEqualTo(3);
    }

    @Test
    void aJobWhoseWorkerDiedRunsAgainAfterItsLease() {
        long id = queue.enqueue("test.flaky", "worker-dies", Map.of()).orElseThrow();
        List<Job> taken = queue.claim("a-worker-that-dies", 10);
        assertThat(taken).extracting(j -> j.id).contains(id);

        assertThat(worker.runDue()).as("leased to the dead worker: not due yet").isZero();

        // the lease is 30 s and nobody renews it: taken over well within a minute
        Instant afterLease = Instant.now().plus(Duration.ofSeconds(31));
        QuarkusMock.installMockForType(Clock.fixed(afterLease, ZoneOffset.UTC), Clock.class);
        assertThat(worker.runDue()).isEqualTo(1);

        Job done = queue.find(id).orElseThrow();
        assertThat(done.status).isEqualTo(Job.Status.DONE);
        assertThat(done.attempts).as("the crash was not the job's failure").isEqualTo(1);
    }

    @Test
    void aLongJobWhoseHeartbeatRenewsItsLeaseIsNotTakenOverByAnotherWorker() throws Exception {
        Instant start = Instant.now();
        TestJobHandlers.Slow.hold();
        long id = queue.enqueue("test.slow", "long-and-alive", Map.of()).orElseThrow();
        ExecutorService first = Executors.newSingleThreadExecutor();
        Future<Integer> running = first.submit(() -> worker.runDue());
        TestJobHandlers.Slow.awaitStarted();

        for (int beat = 1; beat <= 6; beat++) { // three minutes of a running job, a heartbeat every 10 s ... 30 s
            QuarkusMock.installMockForType(Clock.fixed(start.plusSeconds(30L * beat - 5), ZoneOffset.UTC), Clock.class);
            assertThat(worker.renewLeases()).isEqualTo(1);
            QuarkusMock.installMockForType(Clock.fixed(start.plusSeconds(30L * beat + 20), ZoneOffset.UTC), Clock.class);
            assertThat(queue.claim("another-replica:8080/1", 10)).as("beat %d: still leased to the live worker", beat)
                    .extracting(j -> j.id).doesNotContain(id);
        }
        TestJobHandlers.Slow.release();
        assertThat(running.get()).isEqualTo(1);
        first.shutdown();

        Job done = queue.find(id).orElseThrow();
        assertThat(done.status).isEqualTo(Job.Status.DONE);
        assertThat(TestJobHandlers.Slow.runs.get()).as("ran once").isEqualTo(1);
    }

    @Test
    void aRestartedReplicaTakesBackItsEarlierIncarnationsJobsAtOnce() {
        long mine = queue.enqueue("test.flaky", "restart-mine", Map.of()).orElseThrow();
        assertThat(queue.claim("replica-a:8080/old", 1)).extracting(j -> j.id).containsExactly(mine);
        long theirs = queue.enqueue("test.flaky", "restart-theirs", Map.of()).orElseThrow();
        assertThat(queue.claim("replica-b:8080/live", 1)).extracting(j -> j.id).containsExactly(theirs);

        assertThat(leases.takeBack("replica-a:8080", "replica-a:8080/new")).isEqualTo(1);

        Job back = queue.find(mine).orElseThrow();
        assertThat(back.status).isEqualTo(Job.Status.QUEUED);
        assertThat(back.attempts).isZero();
        assertThat(queue.find(theirs).orElseThrow().status).as("another replica's job is left alone")
                .isEqualTo(Job.Status.RUNNING);
        assertThat(worker.runDue()).as("due at once, not after the lease").isEqualTo(1);
        assertThat(queue.find(mine).orElseThrow().status).isEqualTo(Job.Status.DONE);
        QuarkusMock.installMockForType(Clock.fixed(Instant.now().plusSeconds(31), ZoneOffset.UTC), Clock.class);
        worker.runDue(); // the other replica's lease ran out meanwhile (it was never renewed): clean up
    }

    @Inject
    JobAttempts attempts;

    @Test
    void aJobWhoseWorkerStopsDuringItThreeTimesIsDeadLetteredWithTheReason() {
        long id = queue.enqueue("test.flaky", "kills-its-worker", Map.of()).orElseThrow();
        Instant t = Instant.now();
        assertThat(queue.claim("replica-a:8080/1", 10)).extracting(j -> j.id).contains(id);
        for (int takeover = 1; takeover <= 2; takeover++) { // each worker dies during the run: its lease runs out
            t = t.plusSeconds(31);
            QuarkusMock.installMockForType(Clock.fixed(t, ZoneOffset.UTC), Clock.class);
            assertThat(queue.claim("replica-b:8080/" + takeover, 10)).as("takeover %d", takeover)
                    .extracting(j -> j.id).contains(id);
            assertThat(queue.find(id).orElseThrow().crashes).isEqualTo(takeover);
        }

        QuarkusMock.installMockForType(Clock.fixed(t.plusSeconds(31), ZoneOffset.UTC), Clock.class);
        assertThat(queue.claim("replica-c:8080/1", 10)).as("the third takeover runs it no more")
                .extracting(j -> j.id).doesNotContain(id);

        Job dead = queue.find(id).orElseThrow();
        assertThat(dead.status).isEqualTo(Job.Status.DEAD);
        assertThat(dead.lastError).isEqualTo("the worker stopped during this job 3 times");
        assertThat(dead.attempts).as("a crash is not the job's failed attempt").isEqualTo(1);
        assertThat(TestJobHandlers.Flaky.runs.get()).as("never run by this test's worker").isZero();
        assertThat(attempts.of(id, 10)).extracting(JobAttempts.Attempt::outcome, JobAttempts.Attempt::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dead", "the worker stopped during this job 3 times"));
        assertThat(queue.list(Job.Status.DEAD, 100)).extracting(j -> j.id).contains(id);

        QuarkusMock.installMockForType(Clock.systemUTC(), Clock.class);
        assertThat(queue.replay(id)).isTrue();
        assertThat(queue.find(id).orElseThrow().crashes).as("a replay starts the count again").isZero();
        assertThat(worker.runDue()).isEqualTo(1);
    }

    @Test
    void aRestartAfterAKillCountsACrashButACleanStopDoesNotAndAFinishedRunStartsTheCountAgain() {
        long id = queue.enqueue("test.flaky", "restarts", Map.of()).orElseThrow();
        assertThat(queue.claim("replica-r:8080/killed", 1)).extracting(j -> j.id).containsExactly(id);
        assertThat(leases.takeBack("replica-r:8080", "replica-r:8080/second")).isEqualTo(1);
        assertThat(queue.find(id).orElseThrow().crashes).as("killed during the job").isEqualTo(1);

        assertThat(queue.claim("replica-r:8080/second", 1)).extracting(j -> j.id).containsExactly(id);
        assertThat(leases.release("replica-r:8080/second", List.of(id))).as("a clean stop's grace ran out").isEqualTo(1);
        Job released = queue.find(id).orElseThrow();
        assertThat(released.status).isEqualTo(Job.Status.QUEUED);
        assertThat(released.attempts).as("no attempt spent").isZero();
        assertThat(released.crashes).as("a clean stop is no crash").isEqualTo(1);
        assertThat(released.runAt).as("due at once for another replica").isBeforeOrEqualTo(Instant.now());
        assertThat(leases.takeBack("replica-r:8080", "replica-r:8080/third")).as("nothing left running").isZero();

        assertThat(queue.claim("replica-r:8080/third", 1)).extracting(j -> j.id).containsExactly(id);
        assertThat(leases.takeBack("replica-r:8080", "replica-r:8080/fourth")).isEqualTo(1);
        assertThat(queue.find(id).orElseThrow().crashes).isEqualTo(2);
        assertThat(worker.runDue()).isEqualTo(1);
        Job done = queue.find(id).orElseThrow();
        assertThat(done.status).isEqualTo(Job.Status.DONE);
        assertThat(done.crashes).as("the run ended: the count starts again").isZero();
    }

    @Test
    void theThirdRestartDuringTheSameJobDeadLettersIt() {
        long id = queue.enqueue("test.flaky", "restarts-thrice", Map.of()).orElseThrow();
        for (int restart = 1; restart <= 3; restart++) {
            assertThat(queue.claim("replica-t:8080/" + restart, 1)).extracting(j -> j.id).containsExactly(id);
            assertThat(leases.takeBack("replica-t:8080", "replica-t:8080/" + (restart + 1)))
                    .as("taken back for another run after restart %d", restart).isEqualTo(restart < 3 ? 1 : 0);
        }
        Job dead = queue.find(id).orElseThrow();
        assertThat(dead.status).isEqualTo(Job.Status.DEAD);
        assertThat(dead.lastError).isEqualTo("the worker stopped during this job 3 times");
        assertThat(worker.runDue()).isZero();
    }

    @Test
    void twoWorkersOnOneDatabaseNeverRunTheSameJob() throws Exception {
        TestJobHandlers.Counting.runsPerJob.clear();
        TestJobHandlers.Counting.runsPerThread.clear();
        int jobs = 200;
        for (int i = 0; i < jobs; i++) {
            queue.enqueue("test.count", "race-" + i, Map.of("i", i));
        }
        ExecutorService replicas = Executors.newFixedThreadPool(2, r -> new Thread(r, "replica-" + System.nanoTime()));
        // each "replica" keeps polling until every job has run, as the scheduled poll does
        Callable<Integer> replica = () -> {
            int ran = 0;
            long deadline = System.currentTimeMillis() + 60_000;
            while (TestJobHandlers.Counting.runsPerJob.size() < jobs && System.currentTimeMillis() < deadline) {
                ran += worker.runDue();
            }
            return ran;
        };
        List<Callable<Integer>> both = List.of(replica, replica);
        List<Integer> ran = new ArrayList<>();
        for (Future<Integer> f : replicas.invokeAll(both)) {
            ran.add(f.get());
        }
        replicas.shutdown();

        assertThat(ran.stream().mapToInt(Integer::intValue).sum()).isEqualTo(jobs);
        assertThat(TestJobHandlers.Counting.runsPerJob).hasSize(jobs);
        assertThat(TestJobHandlers.Counting.runsPerJob.values()).allMatch(n -> n.get() == 1);
        assertThat(TestJobHandlers.Counting.runsPerThread).as("both workers took part").hasSize(2);
    }
}
