import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Event acknowledgement latency of POST /b24/events: N concurrent posters send M distinct portal events
 * (form-encoded as the portal does) and the time to each 200 is recorded.
 * Usage: java scripts/EventAckBench.java <baseUrl> <applicationToken> <posters> <events>
 */
public class EventAckBench {
    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        int posters = Integer.parseInt(args[2]);
        int events = Integer.parseInt(args[3]);
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(posters)).build();
        ExecutorService pool = Executors.newFixedThreadPool(posters);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int p = 0; p < posters; p++) {
            workers.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < events) {
                    String event = i % 2 == 0 ? "ONCRMDEALDELETE" : "ONTASKUPDATE";
                    String idKey = event.equals("ONTASKUPDATE") ? "data[FIELDS_AFTER][ID]" : "data[FIELDS][ID]";
                    String body = form("event", event) + "&" + form("event_handler_id", "201") + "&"
                            + form(idKey, String.valueOf(1_000_000 + i)) + "&" + form("ts", String.valueOf(1767250800 + i))
                            + "&" + form("auth[domain]", "acme.bitrix24.ru") + "&" + form("auth[member_id]", "bench")
                            + "&" + form("auth[application_token]", token);
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/b24/events"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                    latencies.add(System.nanoTime() - t0);
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("events=%d posters=%d failures=%d wall=%.1fs throughput=%.0f/s p50=%.1fms p90=%.1fms p99=%.1fms max=%.1fms%n",
                events, posters, failures.get(), seconds, events / seconds, ms(sorted, 0.50), ms(sorted, 0.90),
                ms(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
        pool.shutdownNow();
        System.exit(0);
    }

    static double ms(List<Long> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))) / 1e6;
    }

    static String form(String k, String v) {
        return URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8);
    }
}
