package ru.b24connector.cluster;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ru.b24connector.embedded.EmbeddedMariaDb;
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
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two real replicas: the packaged service started twice as separate processes on one MariaDB, behind one portal
 * stand-in. No job runs twice, the portal's rate limit holds for both together, and a periodic scan runs once
 * per period, not once per replica.
 */
class TwoReplicasIT {

    private static final String HOOK = "/rest/1/itsecret/";
    /** Tight limits so a shared bucket and a doubled one differ clearly within seconds. */
    private static final double RATE = 10;
    private static final int BURST = 10;

    private static EmbeddedMariaDb db;
    private static WireMockServer portal;
    private static final List<Process> replicas = new ArrayList<>();
    private static final List<Integer> ports = new ArrayList<>();
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        Path dir = Path.of("target", "it-db", "data");
        ReplicaProcesses.deleteRecursively(dir.getParent());
        db = EmbeddedMariaDb.start(dir, 0);
        portal = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        portal.start();
        // methods this test does not care about answer as the portal answers an unknown method (a rejection,
        // not an outage), so registration and provisioning at startup do not trip the circuit breaker
        portal.stubFor(post(urlPathMatching(HOOK + ".*")).atPriority(10).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"ERROR_METHOD_NOT_FOUND\",\"error_description\":\"Method not found!\"}")));
        portal.stubFor(post(urlPathEqualTo(HOOK + "tasks.task.add")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withTransformers("response-template")
                .withBody("{\"result\":{\"task\":{\"id\":\"{{randomInt lower=1000 upper=2000000000}}\"}},\"time\":{}}")));
        portal.stubFor(post(urlPathMatching(HOOK + "(bizproc\\.event\\.send|event\\.get|server\\.time)"))
                .willReturn(json("true")));
        portal.stubFor(post(urlPathEqualTo(HOOK + "batch")).willReturn(json(
                "{\"result\":{},\"result_error\":[],\"result_total\":[],\"result_next\":[],\"result_time\":[]}")));
        for (int i = 0; i < 2; i++) {
            ports.add(ReplicaProcesses.freePort());
            Path log = Path.of("target", "it-replica-" + i + ".log");
            Files.deleteIfExists(log);
            replicas.add(ReplicaProcesses.start(ports.get(i), Map.of(
                    "QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl(),
                    "QUARKUS_DATASOURCE_USERNAME", "root",
                    "B24_WEBHOOK_URL", portal.baseUrl() + HOOK,
                    "B24_APPLICATION_TOKEN", PortalForms.APP_TOKEN,
                    "B24_RATE_PER_SECOND", String.valueOf(RATE),
                    "B24_RATE_BURST", String.valueOf(BURST),
                    "ESCALATION_EVERY", "2s",
                    "ESCALATION_SUPERVISOR_ID", "1"), log));
        }
        for (int port : ports) {
            ReplicaProcesses.awaitReady(port, 120_000);
        }
    }

    @AfterAll
    static void stop() {
        replicas.forEach(Process::destroy);
        if (portal != null) {
            portal.stop();
        }
        if (db != null) {
            db.stop();
        }
    }

    @Test
    void robotCallsSpreadOverBothReplicasRunOnceAndKeepThePortalsRateTogether() throws Exception {
        int calls = 60;
        for (int i = 0; i < calls; i++) {
            String form = PortalForms.robot("create_task", 7000 + i, "it-token-" + i)
                    .property("title", "Проверка " + i).property("responsible", "user_7").asForm();
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + ports.get(i % 2) + "/b24/robots/create_task"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
        }

        long deadline = System.currentTimeMillis() + 120_000;
        while (answered().size() < calls && System.currentTimeMillis() < deadline) {
            Thread.sleep(250);
        }

        List<String> tokens = answered();
        assertThat(tokens).hasSize(calls);
        assertThat(Set.copyOf(tokens)).as("each robot run answered once").hasSize(calls);
        assertThat(portal.findAll(postRequestedFor(urlPathEqualTo(HOOK + "tasks.task.add")))).as("each task created once")
                .hasSize(calls);
        // a bucket per replica would let both bursts through (about twice BURST); the client keeps a tenth of the
        // bucket free for the jitter between reserving a slot and the request's arrival
        assertThat(peakBucketLevel()).as("the portal's bucket level, both replicas together").isLessThanOrEqualTo(BURST + 0.5);
        assertThat(workersThatCreatedTasks()).as("both replicas did work").isEqualTo(2);
    }

    @Test
    void aPeriodicScanRunsOncePerPeriodAcrossBothReplicas() throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), "root", "");
             PreparedStatement insert = c.prepareStatement("""
                     INSERT INTO tracked_task (dedup_key, tag, task_id, deal_id, responsible_id, title, deadline, status,
                       source, escalation_level, created_at, updated_at, version)
                     VALUES ('it-overdue', 'b24c-it', 424242, 1, 7, 'Overdue', ?, 'OPEN', 'it', 0, ?, ?, 0)""")) {
            Timestamp past = Timestamp.from(Instant.now().minus(Duration.ofDays(1)));
            insert.setTimestamp(1, past);
            insert.setTimestamp(2, past);
            insert.setTimestamp(3, past);
            insert.executeUpdate();
        }
        int before = scans();
        Thread.sleep(12_000);
        int scans = scans() - before;

        // every 2 s on each of two replicas would be about 12 scans; once per period is about 6
        assertThat(scans).isBetween(3, 7);
    }

    private static int scans() {
        return portal.findAll(postRequestedFor(urlPathEqualTo(HOOK + "batch"))
                .withRequestBody(containing("tasks.task.list"))).size();
    }

    private static List<String> answered() {
        return portal.findAll(postRequestedFor(urlPathEqualTo(HOOK + "bizproc.event.send"))).stream()
                .map(LoggedRequest::getBodyAsString).filter(b -> b.contains("it-token-"))
                .map(b -> b.replaceAll(".*\"EVENT_TOKEN\":\"([^\"]+)\".*", "$1")).collect(Collectors.toList());
    }

    private static double peakBucketLevel() {
        List<Long> stamps = portal.findAll(anyRequestedFor(urlPathMatching(HOOK + ".*"))).stream()
                .map(r -> r.getLoggedDate().getTime()).sorted().toList();
        double level = 0;
        double peak = 0;
        long previous = stamps.get(0);
        for (long at : stamps) {
            level = Math.max(0, level - (at - previous) * RATE / 1000.0) + 1;
            peak = Math.max(peak, level);
            previous = at;
        }
        return peak;
    }

    private static long workersThatCreatedTasks() throws IOException {
        long replicasWithWork = 0;
        for (int i = 0; i < 2; i++) {
            if (Files.readString(Path.of("target", "it-replica-" + i + ".log")).contains("created on deal")) {
                replicasWithWork++;
            }
        }
        return replicasWithWork;
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String result) {
        return aResponse().withHeader("Content-Type", "application/json").withBody("{\"result\":" + result + ",\"time\":{}}");
    }
}
