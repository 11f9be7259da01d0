package ru.b24connector.ui;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import ru.b24connector.testsupport.PortalWireMock;

import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static ru.b24connector.testsupport.PortalStubs.json;

/**
 * Board benchmark (not part of the suite; {@code bash scripts/bench-board.sh}): {@code CLAIMS} claims received over a
 * year, each with its stage history (4 to 5 moves), items, dealer, manager and decision, in the service's own tables;
 * portal calls per opening of the board, and render latency of the board with 90-day analytics, warm, at
 * {@code CONCURRENCY} clients, over real HTTP and MariaDB.
 */
@QuarkusTest
@TestProfile(CardBenchProfile.class)
class BoardRenderBench {

    private static final int CLAIMS = Integer.getInteger("bench.claims", 10_000);
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 2);
    private static final int OPENINGS = Integer.getInteger("bench.openings", 50);
    private static final int DAYS = Integer.getInteger("bench.days", 90);

    WireMockServer portal = PortalWireMock.server();

    @TestHTTPResource("/ui/board")
    URL handler;

    @Test
    void openTheBoard() throws Exception {
        FramePortal.install(portal);
        AnalyticsFixtures.reset();
        for (long id = 21; id < 29; id++) { // the managers, read by id with user.get when the board opens
            ru.b24connector.testsupport.FakeCrm.user(id, "Менеджер", "Номер" + id, true);
        }
        long seeding = System.nanoTime();
        int moves = seed(Instant.now());
        double seeded = (System.nanoTime() - seeding) / 1e9;
        StringJoiner open = new StringJoiner(",", "[", "]");
        for (int i = 0; i < 50; i++) {
            open.add(FramePortal.deal(900_000_000L + i, "Рекламация " + i, "C3:PREPARATION", 21 + i % 8));
        }
        portal.stubFor(FramePortal.userBatch("bench-board").willReturn(json(200, FramePortal.batch(Map.of(
                "me", FramePortal.me(9, "Анна", "Кузнецова"), "admin", "true", "heads", "[]",
                "deals0", open.toString(), "deals1", "[]", "deals2", "[]",
                "deals3", "[]", "stages3", "[{\"STATUS_ID\":\"C3:NEW\",\"NAME\":\"Новая\"},"
                        + "{\"STATUS_ID\":\"C3:PREPARATION\",\"NAME\":\"Проверка\"}]"), Map.of()))));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        portal.resetRequests();
        long start = System.nanoTime();
        HttpResponse<String> opening = http.send(HttpRequest.newBuilder(URI.create(handler
                        + FramePortal.query("acme.bitrix24.ru", "ru"))).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(FramePortal.boardForm("bench-board"))).build(),
                HttpResponse.BodyHandlers.ofString());
        double cold = (System.nanoTime() - start) / 1e6;
        assertThat(opening.statusCode()).isEqualTo(200);
        // every portal call of the opening: the board's batch and the managers' names (user.get by id)
        long calls = portal.countRequestsMatching(postRequestedFor(urlPathMatching("/rest/.*")).build()).getCount();
        Matcher m = Pattern.compile("name=\"b24c_session\" value=\"([^\"]*)\"").matcher(opening.body());
        assertThat(m.find()).isTrue();
        String body = "b24c_session=" + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8) + "&days=" + DAYS;
        TimedPosts.Target target = new TimedPosts.Target(URI.create(handler + "/view"), body, "id=\"t-products\"");

        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        TimedPosts.round(pool, http, CONCURRENCY, c -> target, 10); // warm-up of the JIT and the database's buffers
        List<Long> warm = TimedPosts.round(pool, http, CONCURRENCY, c -> target, OPENINGS);
        pool.shutdown();
        long after = portal.countRequestsMatching(postRequestedFor(urlPathMatching("/rest/.*")).build()).getCount();

        System.out.printf("%nBOARD BENCH: %d claims over a year, %d stage moves (seeded in %.1f s), analytics of %d days%n",
                CLAIMS, moves, seeded, DAYS);
        System.out.printf("opening: %.1f ms, portal calls: %d; %d warm renders at %d clients: %s, portal calls %d%n%n",
                cold, calls, warm.size(), CONCURRENCY, TimedPosts.stats(warm), after - calls);
        assertThat(calls).isLessThanOrEqualTo(2);
    }

    /** The claims, in batches of multi-row inserts; returns the number of stage moves. */
    private static int seed(Instant now) {
        Random random = new Random(42);
        String[] stages = {"C3:NEW", "C3:NEEDS_INFO", "C3:PREPARATION", "C3:DECISION"};
        List<Object[]> facts = new ArrayList<>();
        List<Object[]> moveRows = new ArrayList<>();
        List<Object[]> items = new ArrayList<>();
        for (int i = 0; i < CLAIMS; i++) {
            long deal = 800_000_000L + i;
            Instant received = now.minus(Duration.ofMinutes((long) (random.nextDouble() * 365 * 24 * 60)));
            long manager = 21 + random.nextInt(8);
            int dealer = (int) Math.floor(Math.pow(random.nextDouble(), 2) * 200);
            Instant at = received;
            String from = null;
            String stage = null;
            boolean open = false;
            for (String s : stages) {
                if (s.equals("C3:NEEDS_INFO") && random.nextInt(10) != 0) {
                    continue;
                }
                Duration stay = Duration.ofMinutes(60 + random.nextInt(s.equals("C3:PREPARATION") ? 14_400 : 4_000));
                Instant left = at.plus(stay);
                if (left.isAfter(now)) {
                    moveRows.add(new Object[]{deal, from, s, ts(at), null, "USER", manager, null});
                    stage = s;
                    open = true;
                    break;
                }
                moveRows.add(new Object[]{deal, from, s, ts(at), ts(left), from == null ? "INTAKE" : "USER",
                        from == null ? null : manager, from == null ? "created" : null});
                from = s;
                at = left;
            }
            String decision = null;
            if (!open) {
                stage = random.nextInt(10) < 7 ? "C3:WON" : "C3:LOSE";
                decision = stage.equals("C3:WON") ? (random.nextInt(6) == 0 ? "PARTIAL" : "APPROVED") : "REJECTED";
                moveRows.add(new Object[]{deal, from, stage, ts(at), null, "SERVICE", null,
                        "rule:when all tasks of the stage are completed"});
            }
            facts.add(new Object[]{deal, stage, open ? "P" : stage.equals("C3:WON") ? "S" : "F", ts(at), manager,
                    String.format("77%08d", dealer), "Дилер " + dealer, ts(received), open ? null : ts(at), decision});
            for (int line = 0; line < 1 + random.nextInt(3); line++) {
                int sku = (int) Math.floor(Math.pow(random.nextDouble(), 3) * 300);
                items.add(new Object[]{deal, line, "SKU-" + sku, "Товар " + sku, 1 + random.nextInt(4), ts(received)});
            }
        }
        insert("stage_move (deal_id, category_id, from_stage, to_stage, moved_at, left_at, mover, user_id, reason, source)",
                "(?, 3, ?, ?, ?, ?, ?, ?, ?, 'SEEN')", moveRows);
        insert("claim_fact (deal_id, category_id, stage_id, semantic, stage_entered_at, manager_id, channel, dealer_inn, "
                + "dealer_name, received_at, decided_at, decision, sources_done, updated_at)",
                "(?, 3, ?, ?, ?, ?, 'DEALER', ?, ?, ?, ?, ?, TRUE, NOW(6))", facts);
        insert("claim_item_fact (deal_id, line, sku, product_name, quantity, received_at)", "(?, ?, ?, ?, ?, ?)", items);
        AnalyticsFixtures.run(em -> em.createNativeQuery("ANALYZE TABLE stage_move, claim_fact, claim_item_fact")
                .getResultList());
        return moveRows.size();
    }

    private static void insert(String into, String row, List<Object[]> rows) {
        for (int from = 0; from < rows.size(); from += 500) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + 500));
            AnalyticsFixtures.run(em -> {
                StringJoiner values = new StringJoiner(", ");
                chunk.forEach(r -> values.add(row));
                var q = em.createNativeQuery("INSERT INTO " + into + " VALUES " + values);
                int p = 1;
                for (Object[] r : chunk) {
                    for (Object v : r) {
                        q.setParameter(p++, v);
                    }
                }
                q.executeUpdate();
            });
        }
    }

    private static Timestamp ts(Instant i) {
        return Timestamp.from(i);
    }
}
