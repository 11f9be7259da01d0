package ru.b24connector.jobs;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ru.b24connector.testsupport.MariaDbResource;
import ru.b24connector.testsupport.PortalWireMock;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Group commit of the inbox: deliveries waiting at the same moment are stored in one transaction. To make them wait
 * together, the test holds a lock on the inbox table while it hands them over, as a long commit would.
 */
@QuarkusTest
@WithTestResource(value = MariaDbResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PortalWireMock.class, scope = TestResourceScope.GLOBAL)
class InboxWriterTests {

    private static final String SOURCE = "test-group";
    private static final String JOB = "test.flaky";

    @Inject
    InboxWriter writer;

    @Inject
    DataSource dataSource;

    @Inject
    JobWorker worker;

    private String run;

    @BeforeEach
    void freshKeys() {
        run = UUID.randomUUID().toString().substring(0, 8);
        worker.runDue(); // leftovers of other tests
    }

    @Test
    void concurrentDeliveriesAreStoredOnceEachWithTheirJobsInOneCommit() throws Exception {
        List<CompletableFuture<Inbox.Accepted>> accepted = whileTheInboxIsLocked(() -> {
            List<CompletableFuture<Inbox.Accepted>> all = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                all.add(accept("event-" + i, "ONTASKUPDATE"));
            }
            return all;
        });

        List<Inbox.Accepted> outcomes = accepted.stream().map(CompletableFuture::join).toList();
        assertThat(outcomes).noneMatch(Inbox.Accepted::duplicate);
        assertThat(outcomes.stream().map(Inbox.Accepted::inboxId).collect(Collectors.toSet())).hasSize(40);
        assertThat(rows()).hasSize(40);
        assertThat(jobsFor(outcomes)).isEqualTo(40);
    }

    @Test
    void theSameDeliveryTwiceInOneBatchIsStoredOnceAndTheRepeatIsADuplicate() throws Exception {
        List<CompletableFuture<Inbox.Accepted>> accepted = whileTheInboxIsLocked(() -> List.of(
                accept("same", "ONTASKUPDATE"), accept("other", "ONTASKUPDATE"), accept("same", "ONTASKUPDATE")));

        Inbox.Accepted first = accepted.get(0).join();
        Inbox.Accepted repeat = accepted.get(2).join();
        assertThat(first.duplicate()).isFalse();
        assertThat(repeat.duplicate()).isTrue();
        assertThat(repeat.inboxId()).isEqualTo(first.inboxId());
        assertThat(rows()).hasSize(2);
        assertThat(jobsFor(List.of(first, accepted.get(1).join()))).isEqualTo(2);
    }

    @Test
    void aDeliveryStoredEarlierIsADuplicateAndStartsNothing() {
        Inbox.Accepted earlier = accept("earlier", "ONTASKUPDATE").join();

        Inbox.Accepted again = accept("earlier", "ONTASKUPDATE").join();

        assertThat(again.duplicate()).isTrue();
        assertThat(again.inboxId()).isEqualTo(earlier.inboxId());
        assertThat(jobsFor(List.of(earlier))).isEqualTo(1);
    }

    @Test
    void aDeliveryTheDatabaseRefusesFailsAloneAndTheOthersOfItsBatchAreStored() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // a row the database refuses whatever INSERT IGNORE would forgive
            s.execute("CREATE TRIGGER refuse_poison BEFORE INSERT ON inbox_message FOR EACH ROW "
                    + "IF NEW.kind = 'POISON' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'poison'; END IF");
        }
        try {
            List<CompletableFuture<Inbox.Accepted>> accepted = whileTheInboxIsLocked(() -> List.of(
                    accept("good-1", "ONTASKUPDATE"), accept("bad", "POISON"), accept("good-2", "ONTASKUPDATE")));

            assertThatThrownBy(() -> accepted.get(1).join()).isInstanceOf(CompletionException.class);
            Inbox.Accepted good1 = accepted.get(0).join();
            Inbox.Accepted good2 = accepted.get(2).join();
            assertThat(good1.duplicate()).isFalse();
            assertThat(good2.duplicate()).isFalse();
            assertThat(rows()).containsExactlyInAnyOrder(run + ":good-1", run + ":good-2");
            assertThat(jobsFor(List.of(good1, good2))).isEqualTo(2);
        } finally {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TRIGGER refuse_poison");
            }
        }
    }

    private CompletableFuture<Inbox.Accepted> accept(String key, String kind) {
        return writer.accept(SOURCE, run + ":" + key, kind, "event=" + kind, JOB).toCompletableFuture();
    }

    /**
     * Hands deliveries to the writer while its first transaction waits for a table lock: they queue up and are
     * written together once the lock is gone. Returns when every delivery has its answer.
     */
    private <T> List<CompletableFuture<T>> whileTheInboxIsLocked(java.util.function.Supplier<List<CompletableFuture<T>>> deliveries)
            throws Exception {
        List<CompletableFuture<T>> futures;
        try (Connection lock = dataSource.getConnection(); Statement s = lock.createStatement()) {
            s.execute("LOCK TABLES inbox_message WRITE");
            CompletableFuture<Inbox.Accepted> opener;
            try {
                opener = accept("opener", "ONTASKUPDATE");
                Thread.sleep(100); // the writer takes the opener alone and blocks on the lock
                futures = deliveries.get();
                assertThat(opener).as("nothing is answered before its commit").isNotDone();
            } finally {
                s.execute("UNLOCK TABLES"); // the connection goes back to the pool
            }
            opener.get(10, TimeUnit.SECONDS);
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).handle((v, e) -> null).get(10, TimeUnit.SECONDS);
        return futures;
    }

    private Set<String> rows() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT dedup_key FROM inbox_message WHERE source = ? "
                     + "AND dedup_key LIKE ? AND dedup_key NOT LIKE '%:opener'")) {
            q.setString(1, SOURCE);
            q.setString(2, run + ":%");
            Set<String> keys = new java.util.HashSet<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    keys.add(r.getString(1));
                }
            }
            return keys;
        }
    }

    private long jobsFor(List<Inbox.Accepted> accepted) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM job WHERE type = ? AND inbox_id IN ("
                     + accepted.stream().map(a -> String.valueOf(a.inboxId())).collect(Collectors.joining(",")) + ")")) {
            q.setString(1, JOB);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
