package ru.b24connector.cluster;

import org.junit.jupiter.api.Test;
import ru.b24connector.bench.IntakeBurst;
import ru.b24connector.bench.PortalStandIn;
import ru.b24connector.embedded.EmbeddedMariaDb;
import ru.b24connector.testsupport.FakeCrm;
import ru.b24connector.testsupport.MariaDbKiller;
import ru.b24connector.testsupport.PortalForms;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas of the packaged service on one MariaDB. While dealers post claims and the portal sends events, the
 * database process is frozen (SIGSTOP: connections open, nothing answers, as a frozen VM or a network partition
 * behaves) for {@code -Dhang.freeze-seconds} (default 15, longer than the 10 s answer bound; scripts/bench-db-hang.sh
 * runs it with 45): every answer comes within 10 s, readiness goes DOWN within 10 s, nothing is lost or doubled, and
 * work resumes by itself. Then, with the queue busy, one replica gets SIGTERM: it exits without an ERROR line, and
 * the other replica finishes its jobs at once, with no attempt spent and no crash counted.
 * Figures go to target/db-hang/timings.txt.
 */
class DatabaseHangIT {

    private static final String HOOK = "/rest/1/hang/";
    private static final String TOKEN = "hang-dealer";
    private static final int DEALERS = 6;
    private static final int CLAIMS_PER_DEALER = 4;
    /** Claims of new dealers posted at once just before the stop, so the queue is busy when SIGTERM comes. */
    private static final int BURST = 30;
    private static final int CLAIMS = DEALERS * CLAIMS_PER_DEALER + BURST;
    private static final int EVENTS = 30;
    private static final int FREEZE_SECONDS = Integer.getInteger("hang.freeze-seconds", 15);
    private static final long ANSWER_BOUND_MILLIS = 10_000;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** "status Retry-After=n" per answer, and each answer's time. */
    private final ConcurrentLinkedQueue<String> answers = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> frozenAnswerMillis = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> answerMillis = new ConcurrentLinkedQueue<>();
    /** "millis path (frozen)" of answers slower than a second, to tell where the time went. */
    private final ConcurrentLinkedQueue<String> slow = new ConcurrentLinkedQueue<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean frozen;
    private volatile long thawedAt;
    private volatile long firstStoredAfterThaw;
    private int[] ports;

    @Test
    void aHangingDatabaseGetsEveryAnswerInTimeAndAStopMidQueueLosesNothing() throws Exception {
        Path root = Path.of("target", "db-hang");
        ReplicaProcesses.deleteRecursively(root);
        Files.createDirectories(root);
        Path dbDir = root.resolve("db").resolve("data");
        EmbeddedMariaDb db = EmbeddedMariaDb.start(dbDir, ReplicaProcesses.freePort());
        int portalPort = ReplicaProcesses.freePort();
        FakeCrm.reset();
        PortalStandIn portal = PortalStandIn.start(portalPort, 10, 20, 480, 0.05, 600);
        Map<String, String> env = Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl(), "QUARKUS_DATASOURCE_USERNAME", "root",
                "B24_WEBHOOK_URL", "http://127.0.0.1:" + portalPort + HOOK, "B24_RECLAMATION_CATEGORY_ID", "3",
                "B24_APPLICATION_TOKEN", PortalForms.APP_TOKEN, "INTAKE_API_TOKENS", TOKEN,
                "B24_RATE_PER_SECOND", "10", "B24_RATE_BURST", "20");
        ports = new int[]{ReplicaProcesses.freePort(), ReplicaProcesses.freePort()};
        Path[] logs = {root.resolve("replica-0.log"), root.resolve("replica-1.log")};
        Process[] replicas = new Process[2];
        ExecutorService senders = Executors.newFixedThreadPool(DEALERS + 1);
        StringBuilder figures = new StringBuilder();
        try {
            for (int i = 0; i < 2; i++) {
                replicas[i] = ReplicaProcesses.start(ports[i], env, logs[i]);
            }
            for (int port : ports) {
                ReplicaProcesses.awaitReady(port, 180_000);
            }

            List<Future<?>> sending = new ArrayList<>();
            for (int d = 0; d < DEALERS; d++) {
                int dealer = d;
                sending.add(senders.submit(() -> postClaimsOf(dealer)));
            }
            sending.add(senders.submit(this::sendEvents));
            Thread.sleep(2_000);

            MariaDbKiller.freeze(dbDir);
            frozen = true;
            long frozenAt = System.nanoTime();
            log("database frozen (SIGSTOP) for " + FREEZE_SECONDS + " s");
            long readinessDown = awaitReadiness(ports[0], 503, TimeUnit.SECONDS.toMillis(FREEZE_SECONDS));
            long downAfter = readinessDown < 0 ? -1 : (readinessDown - frozenAt) / 1_000_000;
            long left = TimeUnit.SECONDS.toNanos(FREEZE_SECONDS) - (System.nanoTime() - frozenAt);
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(left)));
            frozen = false;
            MariaDbKiller.thaw(dbDir);
            thawedAt = System.nanoTime();
            log("database answers again");
            long[] readyAgain = new long[2];
            for (int i = 0; i < 2; i++) {
                readyAgain[i] = (awaitReadiness(ports[i], 200, 60_000) - thawedAt) / 1_000_000;
            }
            for (Future<?> s : sending) {
                s.get(3, TimeUnit.MINUTES);
            }
            log("all claims and " + EVENTS + " events stored");

            List<Future<?>> burst = new ArrayList<>();
            for (int d = 0; d < BURST; d++) {
                String body = claim(100 + d, 0);
                int port = ports[d % 2];
                burst.add(senders.submit(() -> {
                    int status;
                    while ((status = send(port, "/api/v1/reclamations", "application/json", "Bearer " + TOKEN, body))
                            != 202 && (status == 0 || status >= 500) && !Thread.currentThread().isInterrupted()) {
                        pause(500);
                    }
                    assertThat(status).as("burst claim").isEqualTo(202);
                }));
            }
            for (Future<?> b : burst) {
                b.get(2, TimeUnit.MINUTES);
            }
            long busy = countJobs(db, "status IN ('QUEUED', 'RUNNING')");
            long stopAt = System.nanoTime();
            replicas[0].destroy(); // SIGTERM, as Kubernetes sends it
            assertThat(replicas[0].waitFor(40, TimeUnit.SECONDS)).as("replica 0 stopped within its grace").isTrue();
            long stopMillis = (System.nanoTime() - stopAt) / 1_000_000;
            log("replica 0 stopped in " + stopMillis + " ms with " + busy + " job(s) queued or running");
            long stoppedAt = System.nanoTime();
            long deadline = stoppedAt + TimeUnit.SECONDS.toNanos(90);
            while (FakeCrm.created("crm.deal.add") < CLAIMS && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            while (countJobs(db, "status IN ('QUEUED', 'RUNNING')") > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            long drainMillis = (System.nanoTime() - stoppedAt) / 1_000_000;

            figures.append(String.format("freeze %d s; answers during the freeze: %d, slowest %d ms, median %d ms; "
                            + "slowest answer overall %d ms; readiness DOWN after %d ms; ready again after %d / %d ms; "
                            + "first claim stored %d ms after the thaw; stop (SIGTERM) took %d ms with %d job(s) busy; "
                            + "the other replica had the queue empty and every deal %d ms after the stop; answers: %s",
                    FREEZE_SECONDS, frozenAnswerMillis.size(), max(frozenAnswerMillis), median(frozenAnswerMillis),
                    max(answerMillis), downAfter, readyAgain[0], readyAgain[1],
                    firstStoredAfterThaw == 0 ? -1 : (firstStoredAfterThaw - thawedAt) / 1_000_000, stopMillis, busy,
                    drainMillis, summary()));
            figures.append("; answers over 1 s: ").append(slow);
            log(figures.toString());
            Files.writeString(root.resolve("timings.txt"), figures + System.lineSeparator());

            assertThat(max(answerMillis)).as("every answer within 10 s").isLessThan(ANSWER_BOUND_MILLIS);
            assertThat(frozenAnswerMillis).as("answers while frozen").isNotEmpty();
            assertThat(answers).as("the hang answered 503 with Retry-After").contains("503 Retry-After=10");
            assertThat(answers.stream().filter(a -> a.startsWith("500")).toList())
                    .as("never a 500; the replicas logged: %s", errorsIn(logs)).isEmpty();
            assertThat(downAfter).as("readiness DOWN within 10 s").isBetween(0L, ANSWER_BOUND_MILLIS);
            assertThat(busy).as("the queue was busy at the stop").isPositive();
            assertThat(FakeCrm.created("crm.deal.add")).as("deals").isEqualTo(CLAIMS);
            assertThat(FakeCrm.dealByOrigin).as("distinct deals").hasSize(CLAIMS);
            assertThat(countRows(db, "SELECT COUNT(*) FROM reclamation")).as("claims stored once each").isEqualTo(CLAIMS);
            assertThat(countInbox(db, "source = 'b24-event' AND kind = 'ONTASKUPDATE'")).as("events stored once each")
                    .isEqualTo(EVENTS);
            assertThat(countJobs(db, "status <> 'DONE'")).as("jobs not done").isZero();
            assertThat(countJobs(db, "crashes > 0")).as("no job left with a crash count").isZero();
            assertThat(countRows(db, "SELECT COUNT(*) FROM job_attempt WHERE outcome IN ('failed', 'dead')"))
                    .as("attempts spent").isZero();
            replicas[1].destroy(); // the second one stops too: an idle stop is just as quiet
            assertThat(replicas[1].waitFor(40, TimeUnit.SECONDS)).as("replica 1 stopped").isTrue();
            for (Path log : logs) {
                List<String> lines = Files.readAllLines(log);
                assertThat(lines).as(log + ": ERROR lines").noneMatch(l -> l.contains(" ERROR "));
                assertThat(lines).as(log + ": stack traces").noneMatch(l -> l.startsWith("\tat "));
            }
            assertThat(Files.readString(logs[0])).as("one WARN for the outage, one INFO when back")
                    .containsOnlyOnce("database is unavailable").containsOnlyOnce("database is available again after");
        } finally {
            senders.shutdownNow();
            if (frozen) {
                MariaDbKiller.thaw(dbDir);
            }
            for (Process p : replicas) {
                if (p != null) {
                    p.destroy();
                    p.waitFor(40, TimeUnit.SECONDS);
                }
            }
            portal.stop();
            db.stop();
        }
    }

    /** One dealer's claims, a second and a half apart; each is sent again until stored, as a dealer's app would. */
    private void postClaimsOf(int dealer) {
        for (int k = 0; k < CLAIMS_PER_DEALER; k++) {
            String body = claim(dealer, k);
            for (int attempt = 0; !Thread.currentThread().isInterrupted(); attempt++) {
                int status = send(ports[(dealer + attempt) % 2], "/api/v1/reclamations", "application/json",
                        "Bearer " + TOKEN, body);
                if (status == 202 || status == 200) {
                    accepted.incrementAndGet();
                    if (thawedAt != 0 && firstStoredAfterThaw == 0) {
                        firstStoredAfterThaw = System.nanoTime();
                    }
                    break;
                }
                pause(1_000); // shorter than Retry-After, to keep the test short
            }
            pause(1_500);
        }
    }

    /** The portal's task events, one every half second, each sent again until stored. */
    private void sendEvents() {
        for (int i = 0; i < EVENTS; i++) {
            String form = PortalForms.event("ONTASKUPDATE", 90_000 + i).asForm();
            for (int attempt = 0; !Thread.currentThread().isInterrupted(); attempt++) {
                if (send(ports[attempt % 2], "/b24/events", "application/x-www-form-urlencoded", null, form) == 200) {
                    break;
                }
                pause(1_000);
            }
            pause(500);
        }
    }

    /** Sends, records the answer and its time, returns the status (0: no answer). */
    private int send(int port, String path, String type, String auth, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            request.header("Authorization", auth);
        }
        boolean whileFrozen = frozen;
        long start = System.nanoTime();
        try {
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - start) / 1_000_000;
            answerMillis.add(millis);
            if (millis > 1_000) {
                slow.add(millis + " ms " + path + " " + answer.statusCode() + (whileFrozen ? " (frozen)" : ""));
            }
            if (whileFrozen) {
                frozenAnswerMillis.add(millis);
            }
            answers.add(answer.statusCode() + answer.headers().firstValue("Retry-After").map(r -> " Retry-After=" + r)
                    .orElse("") + (answer.statusCode() == 500 ? " " + path + " after " + millis + " ms: "
                    + answer.body() : ""));
            return answer.statusCode();
        } catch (IOException e) {
            answerMillis.add((System.nanoTime() - start) / 1_000_000);
            answers.add("no answer: " + e.getClass().getSimpleName());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static String claim(int dealer, int k) {
        return ("{\"dealer\":{\"companyName\":\"Дилер %d\",\"inn\":\"%s\",\"contactName\":\"Иван Петров\","
                + "\"email\":\"hang%d@example.ru\",\"phone\":\"8 (912) 345-67-%02d\"},\"dealerClaimId\":\"HG-%d-%d\","
                + "\"claimText\":\"Течь масла\",\"items\":[{\"productName\":\"Редуктор GBX-24\",\"quantity\":1}]}")
                .formatted(dealer, IntakeBurst.inn(780_000_000L + dealer), dealer, dealer % 100, dealer, k);
    }

    /** When readiness on {@code port} first answered {@code status} (System.nanoTime), or -1. */
    private static long awaitReadiness(int port, int status, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/q/health/ready")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == status) {
                    return System.nanoTime();
                }
            } catch (IOException notYet) {
                // counted as not yet
            }
            Thread.sleep(250);
        }
        return -1;
    }

    /** Each ERROR line of the replicas' logs with the start of its stack trace, to tell what failed. */
    private static String errorsIn(Path[] logs) throws IOException {
        StringBuilder errors = new StringBuilder();
        for (Path log : logs) {
            List<String> lines = Files.readAllLines(log);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(" ERROR ")) {
                    lines.subList(i, Math.min(lines.size(), i + 12)).forEach(l -> errors.append('\n').append(l));
                }
            }
        }
        return errors.toString();
    }

    private static long countJobs(EmbeddedMariaDb db, String where) throws Exception {
        return countRows(db, "SELECT COUNT(*) FROM job WHERE " + where);
    }

    private static long countInbox(EmbeddedMariaDb db, String where) throws Exception {
        return countRows(db, "SELECT COUNT(*) FROM inbox_message WHERE " + where);
    }

    private static long countRows(EmbeddedMariaDb db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), "root", "");
             ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static long max(ConcurrentLinkedQueue<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static long median(ConcurrentLinkedQueue<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
    }

    private String summary() {
        Map<String, Long> counts = new TreeMap<>();
        answers.forEach(a -> counts.merge(a, 1L, Long::sum));
        return counts.toString();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void log(String line) {
        System.out.printf("%tT db-hang: %s%n", System.currentTimeMillis(), line);
    }
}
