import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Event acknowledgement latency of POST /b24/events: N concurrent posters send M distinct portal events
 * (form-encoded as the portal does) and the time to each 200 is recorded. Closed loop: each poster sends its next
 * event when the previous one is answered, over its own keep-alive connection.
 * The load generator shares the machine with the service, so it is kept lean: Vert.x's HTTP client (from the
 * service's own libraries) on one event loop, bodies built before the clock starts.
 * A warm-up round first (other events, same posters and connections) lets both JVMs compile the hot paths; its
 * figures are printed too.
 * With a rate, a third round offers the events at that rate (open loop, at most {@code posters} in flight) and
 * measures each from the moment it was due, so a backlog counts: the latency a portal sending that many events a
 * second would see, rather than the closed loop's saturation.
 * Usage: java -cp 'target/quarkus-app/lib/main/*' scripts/EventAckBench.java baseUrl applicationToken posters
 * events [warmupEvents [eventsPerSecond]]
 */
public class EventAckBench {
    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        String token = args[1];
        int posters = Integer.parseInt(args[2]);
        int events = Integer.parseInt(args[3]);
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        double rate = args.length > 5 ? Double.parseDouble(args[5]) : 0;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(base.getHost())
                .setDefaultPort(base.getPort()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(posters));
        if (warmup > 0) {
            // the same posters on the same connections; other events than the measured ones, so none is a duplicate
            System.out.println("warm-up:  " + round(vertx, http, bodies(token, 0, warmup), posters, 0));
        }
        System.out.println("measured: " + round(vertx, http, bodies(token, warmup, events), posters, 0));
        if (rate > 0) {
            System.out.printf("offered at %.0f/s: %s%n", rate,
                    round(vertx, http, bodies(token, warmup + events, events), posters, rate));
        }
        http.close();
        vertx.close();
        System.exit(0);
    }

    static Buffer[] bodies(String token, int first, int events) {
        Buffer[] bodies = new Buffer[events];
        for (int i = 0; i < events; i++) {
            String event = i % 2 == 0 ? "ONCRMDEALDELETE" : "ONTASKUPDATE";
            String idKey = event.equals("ONTASKUPDATE") ? "data[FIELDS_AFTER][ID]" : "data[FIELDS][ID]";
            bodies[i] = Buffer.buffer(form("event", event) + "&" + form("event_handler_id", "201") + "&"
                    + form(idKey, String.valueOf(1_000_000 + first + i)) + "&"
                    + form("ts", String.valueOf(1767250800 + first + i))
                    + "&" + form("auth[domain]", "acme.bitrix24.ru") + "&" + form("auth[member_id]", "bench")
                    + "&" + form("auth[application_token]", token));
        }
        return bodies;
    }

    /** Posts every body with {@code posters} posters, closed loop or at {@code rate} a second; returns the figures. */
    static String round(Vertx vertx, HttpClient http, Buffer[] bodies, int posters, double rate)
            throws InterruptedException {
        int events = bodies.length;
        long[] latencies = new long[events];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(posters);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        Map<String, Long> threads0 = threadCpu();
        long started = System.nanoTime();
        Pacing pacing = new Pacing(vertx, started, rate);
        for (int p = 0; p < posters; p++) {
            vertx.runOnContext(v -> post(http, bodies, latencies, next, failures, done, pacing));
        }
        done.await();
        double seconds = (System.nanoTime() - started) / 1e9;
        double benchCpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        Map<String, Long> threads1 = threadCpu();
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return String.format("events=%d posters=%d failures=%d wall=%.1fs throughput=%.0f/s p50=%.1fms p90=%.1fms "
                        + "p99=%.1fms max=%.1fms (load generator cpu %.1fs)", events, posters, failures.get(), seconds,
                events / seconds, ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99), sorted[sorted.length - 1] / 1e6,
                benchCpu) + cpuOf(threads0, threads1);
    }

    /**
     * CPU seconds per thread name of the processes named in -Dbench.pids (the service, MariaDB), from /proc: where
     * the two cores went during the round.
     */
    static Map<String, Long> threadCpu() {
        Map<String, Long> ticks = new TreeMap<>();
        for (String pid : System.getProperty("bench.pids", "").split(",")) {
            File[] tasks = pid.isBlank() ? null : new File("/proc/" + pid.trim() + "/task").listFiles();
            for (File task : tasks == null ? new File[0] : tasks) {
                try {
                    String name = Files.readString(task.toPath().resolve("comm")).trim().replaceAll("[#\\-_]?[0-9]+$", "");
                    String[] stat = Files.readString(task.toPath().resolve("stat")).replaceAll("^.*\\) ", "").split(" ");
                    ticks.merge(pid.trim() + ":" + name, Long.parseLong(stat[11]) + Long.parseLong(stat[12]), Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return ticks;
    }

    static String cpuOf(Map<String, Long> before, Map<String, Long> after) {
        if (after.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("\n  cpu (s) by thread:");
        after.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 1).sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> out.append(String.format(" %s %.2f;", e.getKey(), e.getValue() / 100.0)));
        return out.toString();
    }

    /** When event {@code i} is due: at once in a closed loop, at {@code started + i / rate} when paced. */
    record Pacing(Vertx vertx, long started, double rate) {
        long dueNanos(int i) {
            return rate > 0 ? started + (long) (i * 1e9 / rate) : System.nanoTime();
        }
    }

    /** One poster: sends an event when it is due, and on its answer takes the next one, until none is left. */
    static void post(HttpClient http, Buffer[] bodies, long[] latencies, AtomicInteger next, AtomicInteger failures,
                     CountDownLatch done, Pacing pacing) {
        int i = next.getAndIncrement();
        if (i >= bodies.length) {
            done.countDown();
            return;
        }
        long due = pacing.dueNanos(i);
        long early = due - System.nanoTime();
        if (early > 1_000_000) {
            pacing.vertx().setTimer(early / 1_000_000, t -> send(http, bodies, latencies, next, failures, done, pacing, i, due));
        } else {
            send(http, bodies, latencies, next, failures, done, pacing, i, due);
        }
    }

    /** Sends event {@code i}; its latency counts from {@code t0}, when it was due. */
    static void send(HttpClient http, Buffer[] bodies, long[] latencies, AtomicInteger next, AtomicInteger failures,
                     CountDownLatch done, Pacing pacing, int i, long t0) {
        http.request(HttpMethod.POST, "/b24/events")
                .compose(request -> request.putHeader("Content-Type", "application/x-www-form-urlencoded")
                        .send(bodies[i]))
                .compose(response -> response.body().map(b -> response.statusCode()))
                .onComplete(result -> {
                    latencies[i] = System.nanoTime() - t0;
                    if (result.failed() || result.result() != 200) {
                        failures.incrementAndGet();
                    }
                    post(http, bodies, latencies, next, failures, done, pacing);
                });
    }

    static double ms(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }

    static String form(String k, String v) {
        return URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8);
    }
}
