package ru.b24connector.onec;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the pull of each entity set stands, for the admin API ({@code GET /admin/1c/progress}) and as gauges
 * ({@code connector_onec_pull_*{set}}): rows read, records applied, rejected, remaining, and an estimated finish.
 * Applied counts what the apply jobs finished since the run began (by the exchange log's counters), remaining what
 * 1C still has to send ({@code $count}) plus what waits to be applied.
 */
@ApplicationScoped
public class OneCPullProgress {

    @Inject
    MeterRegistry metrics;

    @Inject
    OneCGroups groups;

    @Inject
    Clock clock;

    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    /** One run (or the last one) of one entity set. */
    final class Run {
        final String set;
        final OneCRecords.Kind kind;
        final Instant startedAt;
        final Long total;
        final long startRow;
        final double appliedBefore;
        final AtomicLong read = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        volatile Instant finishedAt;
        volatile String error;

        Run(String set, OneCRecords.Kind kind, long startRow, Long total) {
            this.set = set;
            this.kind = kind;
            this.startRow = startRow;
            this.total = total;
            this.startedAt = clock.instant();
            this.appliedBefore = appliedTotal(kind);
        }

        void page(int rows, int newVersions, int rejectedRows) {
            read.addAndGet(rows);
            received.addAndGet(newVersions);
            rejected.addAndGet(rejectedRows);
        }

        void finish(String error) {
            this.error = error;
            this.finishedAt = clock.instant();
        }

        long applied() {
            return Math.round(appliedTotal(kind) - appliedBefore);
        }

        /** Rows 1C still has to send (when it told the total) plus records waiting to be applied. */
        long remaining() {
            long unread = total == null || finishedAt != null ? 0 : Math.max(0, total - startRow - read.get());
            return unread + groups.waitingCount(kind);
        }

        /** Now plus remaining at the rate records were applied so far; null before the first is applied. */
        Instant estimatedFinish() {
            long applied = applied();
            long remaining = remaining();
            if (remaining == 0) {
                return finishedAt != null ? finishedAt : clock.instant();
            }
            if (applied <= 0) {
                return null;
            }
            Duration elapsed = Duration.between(startedAt, clock.instant());
            return clock.instant().plusMillis(elapsed.toMillis() * remaining / applied);
        }

        /** For the page's log line. */
        String summary() {
            return "read %d%s, applied %d, rejected %d, remaining %d".formatted(read.get(),
                    total == null ? "" : " of " + (total - startRow), applied(), rejected.get(), remaining());
        }

        Map<String, Object> view() {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("entitySet", set);
            v.put("startedAt", startedAt.toString());
            v.put("finishedAt", finishedAt == null ? null : finishedAt.toString());
            v.put("running", finishedAt == null);
            v.put("total", total);
            v.put("read", read.get());
            v.put("received", received.get());
            v.put("applied", applied());
            v.put("rejected", rejected.get());
            v.put("remaining", remaining());
            Instant eta = estimatedFinish();
            v.put("estimatedFinish", eta == null ? null : eta.toString());
            v.put("error", error);
            return v;
        }
    }

    @PostConstruct
    void gauges() {
        for (OneCRecords.Kind kind : OneCRecords.Kind.values()) {
            String k = kind.name().toLowerCase(java.util.Locale.ROOT);
            Gauge.builder("connector.onec.pull.read", this, p -> p.value(kind, r -> r.read.get()))
                    .tag("kind", k).description("Rows the current (or last) pull read").register(metrics);
            Gauge.builder("connector.onec.pull.applied", this, p -> p.value(kind, Run::applied))
                    .tag("kind", k).description("Records applied since the current (or last) pull began").register(metrics);
            Gauge.builder("connector.onec.pull.rejected", this, p -> p.value(kind, r -> r.rejected.get()))
                    .tag("kind", k).description("Rows the current (or last) pull rejected").register(metrics);
            Gauge.builder("connector.onec.pull.remaining", this, p -> p.value(kind, Run::remaining))
                    .tag("kind", k).description("Rows still to read plus records waiting to be applied").register(metrics);
            Gauge.builder("connector.onec.pull.eta.seconds", this, p -> p.value(kind, r -> {
                        Instant eta = r.estimatedFinish();
                        return eta == null ? -1 : Math.max(0, Duration.between(clock.instant(), eta).toSeconds());
                    })).tag("kind", k).description("Seconds until the pull is estimated to be applied; -1 unknown")
                    .register(metrics);
        }
    }

    private double value(OneCRecords.Kind kind, java.util.function.ToLongFunction<Run> f) {
        return runs.values().stream().filter(r -> r.kind == kind).findFirst().map(r -> (double) f.applyAsLong(r)).orElse(0.0);
    }

    Run start(String set, OneCRecords.Kind kind, long startRow, Long total) {
        Run run = new Run(set, kind, startRow, total);
        runs.put(set, run);
        return run;
    }

    /** Every entity set's current or last run. */
    public java.util.List<Map<String, Object>> views() {
        return runs.values().stream().map(Run::view).toList();
    }

    /** Records of this kind applied or ignored since start, pushed or pulled (the exchange log's counters). */
    private double appliedTotal(OneCRecords.Kind kind) {
        String k = kind.name().toLowerCase(java.util.Locale.ROOT);
        return metrics.find("connector.onec.records").tag("kind", k).counters().stream()
                .filter(c -> "applied".equals(c.getId().getTag("outcome")) || "ignored".equals(c.getId().getTag("outcome")))
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }
}
