package ru.b24connector.jobs;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Job handlers that exist only in tests: one that fails on demand, one that counts runs per job. */
final class TestJobHandlers {

    private TestJobHandlers() {
    }

    @ApplicationScoped
    static class Flaky implements JobHandler {
        static final AtomicBoolean failing = new AtomicBoolean();
        static final AtomicInteger runs = new AtomicInteger();
        static final AtomicInteger deadReports = new AtomicInteger();

        @Override
        public String type() {
            return "test.flaky";
        }

        @Override
        public void handle(Job job) {
            runs.incrementAndGet();
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
}
