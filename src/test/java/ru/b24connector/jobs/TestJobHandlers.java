package ru.b24connector.jobs;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Job handlers that exist only in tests: one that fails on demand, one that counts runs per job. */
final class TestJobHandlers {

    private TestJobHandlers() {
    }

    @ApplicationScoped
    static class Flaky implements JobHandler {
        static final AtomicBoolean failing = new AtomicBoolean();
        static final AtomicInteger runs = new AtomicInteger();
        static final AtomicInteger deadReports = new AtomicInteger();
        /** Set: the job asks to wait until then. */
        static final AtomicReference<Instant> waitUntil = new AtomicReference<>();
        /** How many more runs lose a deadlock, as MariaDB reports it through Hibernate. */
        static final AtomicInteger deadlocks = new AtomicInteger();

        @Override
        public String type() {
            return "test.flaky";
        }

        @Override
        public void handle(Job job) {
            runs.incrementAndGet();
            if (waitUntil.get() != null) {
                throw new JobDeferred(waitUntil.get(), "the portal's time budget is spent");
            }
            if (deadlocks.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new jakarta.persistence.PessimisticLockException("could not execute statement",
                        new SQLException("Deadlock found when trying to get lock; try restarting transaction", "40001", 1213));
            }
            if (failing.get()) {
                throw new IllegalStateException("the far side is down");
            }
        }

        @Override
        public void onDead(Job job, Exception cause) {
            deadReports.incrementAndGet();
        }
    }

    @ApplicationScoped
    static class Counting implements JobHandler {
        static final Map<Long, AtomicInteger> runsPerJob = new ConcurrentHashMap<>();
        static final Map<String, AtomicInteger> runsPerThread = new ConcurrentHashMap<>();

        @Override
        public String type() {
            return "test.count";
        }

        @Override
        public void handle(Job job) throws InterruptedException {
            runsPerJob.computeIfAbsent(job.id, id -> new AtomicInteger()).incrementAndGet();
            runsPerThread.computeIfAbsent(Thread.currentThread().getName(), t -> new AtomicInteger()).incrementAndGet();
            Thread.sleep(2); // hold the job long enough for the other worker to try to take it
        }
    }

    /** Runs until released: a long job whose worker stays alive. */
    @ApplicationScoped
    static class Slow implements JobHandler {
        static final AtomicInteger runs = new AtomicInteger();
        private static volatile java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        private static volatile java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);

        static void hold() {
            runs.set(0);
            started = new java.util.concurrent.CountDownLatch(1);
            released = new java.util.concurrent.CountDownLatch(1);
        }

        static void awaitStarted() throws InterruptedException {
            if (!started.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("the slow job did not start");
            }
        }

        static void release() {
            released.countDown();
        }

        @Override
        public String type() {
            return "test.slow";
        }

        @Override
        public void handle(Job job) throws InterruptedException {
            runs.incrementAndGet();
            started.countDown();
            if (!released.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        }
    }
}
