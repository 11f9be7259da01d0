package ru.b24connector.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import ru.b24connector.outage.Outages;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit for the inbox: concurrent deliveries are queued and one writer thread stores everything waiting in
 * one transaction (one multi-row insert for the inbox rows, one for their jobs, one commit), then completes each
 * delivery's future. A delivery is acknowledged only after the commit that holds its row, exactly as with one
 * transaction per delivery, but a hundred deliveries share one durable commit instead of queueing for a hundred.
 * <p>
 * A batch that fails is retried one delivery at a time, so one bad delivery fails alone and the others are still
 * stored (a retry of a row that did commit finds it and reports a duplicate, never a second row).
 */
@ApplicationScoped
public class InboxWriter {

    /** Rows per transaction; keeps the statement far below MariaDB's placeholder and packet limits. */
    static final int MAX_ROWS = 500;
    /** Body bytes per transaction (max_allowed_packet is 16 MiB by default). */
    static final long MAX_BYTES = 4L << 20;

    /** A job to queue with a new inbox row, in the row's transaction. */
    public record PlannedJob(String type, String dedupKey, String payload) {
    }

    /** The jobs a new inbox row needs, given its id (called once per new row, never for a duplicate). */
    @FunctionalInterface
    public interface JobPlan {
        List<PlannedJob> jobsFor(long inboxId);
    }

    /** What a delivery whose key was stored before means. */
    public enum Repeat {
        /** The same thing again (a robot run, an intake, a push): it stores nothing and starts nothing. */
        DUPLICATE,
        /**
         * Possibly a new change under the same key (portal events carry no id; two changes of one deal in one
         * second share member, event, entity and second). It folds into the earlier delivery only while that
         * one's jobs have never started, because they will then read the entity after both changes. Once they
         * have started, the repeat gets a row and jobs of its own: listeners are idempotent, a lost change is not.
         */
        FOLD_WHILE_UNSTARTED
    }

    private record Pending(String source, String dedupKey, String kind, String body, JobPlan plan, Repeat repeat,
                           CompletableFuture<Inbox.Accepted> done) {
        long bytes() {
            return body.length() * 3L + dedupKey.length() + 64; // worst-case UTF-8
        }
    }

    private final LinkedBlockingQueue<Pending> waiting = new LinkedBlockingQueue<>();
    private volatile boolean running = true;
    /** {@link System#nanoTime()} of the last delivery handed over. */
    private volatile long lastDelivery = System.nanoTime() - TimeUnit.HOURS.toNanos(1);
    private Thread writer;

    @Inject
    DataSource dataSource;

    @Inject
    ru.b24connector.outage.DependencyState dependencies;

    @Inject
    JobQueue jobs;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry metrics;

    @PostConstruct
    void start() {
        writer = new Thread(this::loop, "inbox-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        writer.join(TimeUnit.SECONDS.toMillis(10)); // the loop stores what is already queued before it ends
        Pending left;
        while ((left = waiting.poll()) != null) {
            left.done().completeExceptionally(new IllegalStateException("the service is shutting down"));
        }
    }

    /**
     * Stores a delivery and the job that will process it, like {@link Inbox#accept}, together with whatever else
     * is waiting. The stage completes after the commit (or fails, and then nothing of this delivery is stored).
     */
    public CompletionStage<Inbox.Accepted> accept(String source, String dedupKey, String kind, String body,
                                                  String jobType) {
        return accept(source, dedupKey, kind, body,
                id -> List.of(new PlannedJob(jobType, Inbox.jobKey(source, id), body)));
    }

    /**
     * Stores a delivery and the jobs {@code plan} names for its new row (none for a duplicate), in the same
     * transaction. The stage completes after the commit.
     */
    public CompletionStage<Inbox.Accepted> accept(String source, String dedupKey, String kind, String body,
                                                  JobPlan plan) {
        return accept(source, dedupKey, kind, body, plan, Repeat.DUPLICATE);
    }

    /**
     * Stores a delivery and the jobs {@code plan} names for its new row, treating a repeat of its key as
     * {@code repeat} says. The stage completes after the commit.
     */
    public CompletionStage<Inbox.Accepted> accept(String source, String dedupKey, String kind, String body,
                                                  JobPlan plan, Repeat repeat) {
        CompletableFuture<Inbox.Accepted> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IllegalStateException("the service is shutting down"));
            return done;
        }
        lastDelivery = System.nanoTime();
        waiting.add(new Pending(source, dedupKey, kind, body, plan, repeat, done));
        return done;
    }

    /**
     * Whether deliveries are arriving: one is waiting, or one was handed over within {@code window}. Job workers
     * use it to leave the cores to the acknowledgements during a burst.
     */
    public boolean receiving(long windowNanos) {
        return !waiting.isEmpty() || System.nanoTime() - lastDelivery < windowNanos;
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>();
        while (running || !waiting.isEmpty()) {
            try {
                Pending first = waiting.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                // no waiting for stragglers: whatever queued during the previous commit forms the next batch
                batch.add(first);
                long bytes = first.bytes();
                Pending next;
                while (batch.size() < MAX_ROWS && bytes < MAX_BYTES && (next = waiting.poll()) != null) {
                    batch.add(next);
                    bytes += next.bytes();
                }
                store(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                batch.forEach(p -> p.done().completeExceptionally(e)); // never leave a delivery unanswered
                Log.errorf("Inbox writer: %s", e.toString());
            } finally {
                batch.clear();
            }
        }
    }

    /** What one transaction stored: each delivery's row, and which deliveries folded into an earlier one. */
    private record Stored(Map<Pending, Inbox.Accepted> outcome, Set<Pending> folded) {
    }

    private void store(List<Pending> batch) {
        Stored stored;
        try {
            stored = QuarkusTransaction.requiringNew().call(() -> insert(batch));
        } catch (RuntimeException e) {
            if (Outages.databaseDown(e)) { // the database is down: one by one would fail too, slower
                dependencies.down(ru.b24connector.outage.Dependency.DATABASE, e.toString()); // one WARN per outage
                Log.debugf("Inbox: storing %d %s delivery(ies) failed: %s", batch.size(), batch.get(0).source(), e);
                batch.forEach(p -> p.done().completeExceptionally(e));
                return;
            }
            if (batch.size() == 1) {
                Log.warnf("Inbox: storing %d %s delivery(ies) failed: %s", batch.size(), batch.get(0).source(), e.toString());
                batch.forEach(p -> p.done().completeExceptionally(e));
                return;
            }
            Log.warnf("Inbox: a batch of %d failed (%s); storing them one by one", batch.size(), e.toString());
            for (Pending p : batch) {
                store(List.of(p));
            }
            return;
        }
        for (Pending p : batch) {
            p.done().complete(stored.outcome().get(p));
        }
        count(batch, stored);
    }

    /** One transaction: the inbox rows, then the jobs of those that are new. */
    private Stored insert(List<Pending> batch) throws SQLException {
        Timestamp now = Timestamp.from(clock.instant());
        Map<Pending, Inbox.Accepted> outcome = new IdentityHashMap<>();
        Set<Pending> folded = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<JobQueue.NewJob> newJobs = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            Map<String, Long> inserted = insertRows(c, batch, now);
            Set<String> claimed = new HashSet<>();
            for (Pending p : batch) {
                String key = p.source() + '\n' + p.dedupKey();
                Long id = inserted.get(key);
                // the first delivery with a key owns the row; a second one in the same batch is a repeat
                if (id != null && claimed.add(key)) {
                    outcome.put(p, new Inbox.Accepted(id, false));
                    plan(p, id, newJobs);
                } else if (p.repeat() == Repeat.FOLD_WHILE_UNSTARTED) {
                    Inbox.Accepted accepted = foldOrAdd(c, p, now);
                    outcome.put(p, accepted);
                    if (accepted.duplicate()) {
                        folded.add(p);
                    } else {
                        plan(p, accepted.inboxId(), newJobs);
                    }
                } else {
                    outcome.put(p, new Inbox.Accepted(existingId(c, p), true));
                }
            }
            jobs.insertAll(c, newJobs, now);
        }
        return new Stored(outcome, folded);
    }

    private static void plan(Pending p, long inboxId, List<JobQueue.NewJob> newJobs) {
        for (PlannedJob job : p.plan().jobsFor(inboxId)) {
            newJobs.add(new JobQueue.NewJob(job.type(), job.dedupKey(), job.payload(), inboxId));
        }
    }

    /**
     * A repeat of a stored key: folds into the latest delivery of that key while none of its jobs has started
     * (their rows stay locked until the commit, so no worker can start one in between), otherwise stores it as
     * the key's next generation, {@code key#2}, {@code key#3}, ...
     */
    private static Inbox.Accepted foldOrAdd(Connection c, Pending p, Timestamp now) throws SQLException {
        while (true) {
            long latestId;
            int generation;
            try (PreparedStatement find = c.prepareStatement("""
                    SELECT id, dedup_key FROM inbox_message WHERE source = ? AND (dedup_key = ? OR dedup_key LIKE ?)
                    ORDER BY id DESC LIMIT 1""")) {
                find.setString(1, p.source());
                find.setString(2, p.dedupKey());
                find.setString(3, likeEscaped(p.dedupKey()) + "#%");
                try (ResultSet row = find.executeQuery()) {
                    if (!row.next()) {
                        throw new SQLException("inbox row of a repeated delivery not found");
                    }
                    latestId = row.getLong(1);
                    String key = row.getString(2);
                    generation = key.equals(p.dedupKey()) ? 1
                            : Integer.parseInt(key.substring(p.dedupKey().length() + 1));
                }
            }
            if (!anyJobStarted(c, latestId)) {
                return new Inbox.Accepted(latestId, true);
            }
            Long id = insertRows(c, List.of(p), now, p.dedupKey() + "#" + (generation + 1)).values().stream()
                    .findFirst().orElse(null);
            if (id != null) {
                return new Inbox.Accepted(id, false);
            }
            // another replica stored that generation meanwhile: fold into it, or follow it
        }
    }

    /** Whether a job of the inbox row has ever been claimed; locks its job rows until the commit. */
    private static boolean anyJobStarted(Connection c, long inboxId) throws SQLException {
        try (PreparedStatement jobsOf = c.prepareStatement(
                "SELECT status, started_at FROM job WHERE inbox_id = ? FOR UPDATE")) {
            jobsOf.setLong(1, inboxId);
            try (ResultSet rows = jobsOf.executeQuery()) {
                while (rows.next()) {
                    if (!"QUEUED".equals(rows.getString(1)) || rows.getTimestamp(2) != null) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static String likeEscaped(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /**
     * {@code INSERT IGNORE ... RETURNING} answers exactly the rows this statement inserted: a key stored before
     * (or by another replica meanwhile) is skipped by the unique key and not returned.
     */
    private static Map<String, Long> insertRows(Connection c, List<Pending> batch, Timestamp now) throws SQLException {
        return insertRows(c, batch, now, null);
    }

    /** As above; {@code keyOverride}, when set, replaces the key of a single delivery (its next generation). */
    private static Map<String, Long> insertRows(Connection c, List<Pending> batch, Timestamp now, String keyOverride)
            throws SQLException {
        StringBuilder sql = new StringBuilder(
                "INSERT IGNORE INTO inbox_message (source, dedup_key, kind, body, received_at) VALUES ");
        for (int i = 0; i < batch.size(); i++) {
            sql.append(i == 0 ? "(?,?,?,?,?)" : ",(?,?,?,?,?)");
        }
        sql.append(" RETURNING id, source, dedup_key");
        Map<String, Long> ids = new HashMap<>();
        try (PreparedStatement insert = c.prepareStatement(sql.toString())) {
            int n = 1;
            for (Pending p : batch) {
                insert.setString(n++, p.source());
                insert.setString(n++, keyOverride != null ? keyOverride : p.dedupKey());
                insert.setString(n++, p.kind());
                insert.setString(n++, p.body());
                insert.setTimestamp(n++, now);
            }
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    ids.put(rows.getString(2) + '\n' + rows.getString(3), rows.getLong(1));
                }
            }
        }
        return ids;
    }

    private static long existingId(Connection c, Pending p) throws SQLException {
        try (PreparedStatement find = c.prepareStatement(
                "SELECT id FROM inbox_message WHERE source = ? AND dedup_key = ?")) {
            find.setString(1, p.source());
            find.setString(2, p.dedupKey());
            try (ResultSet row = find.executeQuery()) {
                if (!row.next()) {
                    throw new SQLException("inbox row of a duplicate delivery not found");
                }
                return row.getLong(1);
            }
        }
    }

    private void count(List<Pending> batch, Stored stored) {
        Map<List<String>, Integer> accepted = new HashMap<>();
        Map<String, Integer> duplicates = new HashMap<>();
        Map<String, Integer> folded = new HashMap<>();
        for (Pending p : batch) {
            if (stored.folded().contains(p)) {
                folded.merge(p.source(), 1, Integer::sum);
            } else if (stored.outcome().get(p).duplicate()) {
                duplicates.merge(p.source(), 1, Integer::sum);
            } else {
                accepted.merge(List.of(p.source(), p.kind()), 1, Integer::sum);
            }
        }
        metrics.summary("connector.inbox.batch.size").record(batch.size());
        accepted.forEach((k, n) -> metrics.counter("connector.inbox.accepted", "source", k.get(0), "kind", k.get(1))
                .increment(n));
        duplicates.forEach((s, n) -> metrics.counter("connector.inbox.duplicates", "source", s).increment(n));
        folded.forEach((s, n) -> metrics.counter("connector.inbox.folded", "source", s).increment(n));
    }
}
