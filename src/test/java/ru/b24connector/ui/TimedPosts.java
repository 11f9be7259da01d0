package ru.b24connector.ui;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** The page benchmarks' load: closed-loop clients posting a form, each post timed; and the latency summary. */
final class TimedPosts {

    /** What client {@code c} posts, and the text a good answer contains. */
    record Target(URI uri, String body, String mustContain) {
    }

    private TimedPosts() {
    }

    /** Each of {@code clients} clients posts its target {@code times} times; returns every post's latency (µs). */
    static List<Long> round(ExecutorService pool, HttpClient http, int clients, IntFunction<Target> targetOf,
                            int times) throws Exception {
        List<Future<List<Long>>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Target target = targetOf.apply(c);
            running.add(pool.submit(() -> {
                List<Long> latencies = new ArrayList<>();
                for (int i = 0; i < times; i++) {
                    HttpRequest request = HttpRequest.newBuilder(target.uri())
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(target.body())).build();
                    long start = System.nanoTime();
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    latencies.add((System.nanoTime() - start) / 1000);
                    if (response.statusCode() != 200 || !response.body().contains(target.mustContain())) {
                        throw new IllegalStateException("page failed: HTTP " + response.statusCode());
                    }
                }
                return latencies;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> client : running) {
            all.addAll(client.get());
        }
        return all;
    }

    /** p50, p95, p99 and max of latencies in µs, in ms. */
    static String stats(List<Long> micros) {
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        return String.format("p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms", pct(sorted, 50), pct(sorted, 95),
                pct(sorted, 99), sorted.get(sorted.size() - 1) / 1000.0);
    }

    private static double pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1000.0;
    }
}
