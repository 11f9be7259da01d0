package ru.b24connector.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import ru.b24connector.testsupport.FakeCrm;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A portal stand-in for benchmarks: enforces the leaky bucket (QUERY_LIMIT_EXCEEDED past it) and the per-method
 * operating budget over a sliding window (OPERATION_TIME_LIMIT past it), counts calls and batch commands, and
 * answers CRM batches with {@link FakeCrm}. As the portal does, each command of a batch is billed to its own method
 * (the outer call to none) and reports its own time in {@code result_time}: {@code duration}, its method's
 * {@code operating} and {@code operating_reset_at}; a plain call reports them in its {@code time}.
 * A plain call of a method whose window holds more than its budget gets HTTP 429 {@code OPERATION_TIME_LIMIT}
 * (_includes/system-errors.md); in a batch each command is checked on its own before it runs (limits.md) and a
 * refused one comes back in {@code result_error} of the 200 answer (settings/how-to-call-rest-api/batch.md).
 * {@code QUERY_LIMIT_EXCEEDED} is HTTP 503. The docs do not say whether {@code operating_reset_at} (a whole second)
 * is rounded up or down: {@code rounding} picks one.
 * {@code GET /__stats} reports the counts, {@code GET /__deal?origin=…} whether a deal exists.
 * Usage: PortalStandIn port rate burst budgetSeconds secondsPerCommand [windowSeconds, default 600] [up|down]
 */
public final class PortalStandIn {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final double rate;
    private final int burst;
    private final double budget;
    private final double cost;
    private final double window;
    /** Report {@code operating_reset_at} rounded down (true) or up (false). */
    private final boolean roundDown;
    private double level;
    private long lastNanos = System.nanoTime();
    private final Map<String, Deque<double[]>> spent = new HashMap<>(); // method -> (epoch seconds, seconds)
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong commands = new AtomicLong();
    private final AtomicLong limited = new AtomicLong();
    private final AtomicLong blocked = new AtomicLong();
    /** The most seconds any method held in its window, and which: how close the client came to the budget. */
    private double peak;
    private String peakMethod = "";
    private HttpServer server;

    private PortalStandIn(double rate, int burst, double budget, double cost, double window, boolean roundDown) {
        this.window = window;
        this.roundDown = roundDown;
        this.rate = rate;
        this.burst = burst;
        this.budget = budget;
        this.cost = cost;
    }

    public static void main(String[] args) throws IOException {
        boolean down = args.length > 6 && args[6].equals("down");
        start(Integer.parseInt(args[0]), Double.parseDouble(args[1]), Integer.parseInt(args[2]),
                Double.parseDouble(args[3]), Double.parseDouble(args[4]),
                args.length > 5 ? Double.parseDouble(args[5]) : 600, down);
        System.out.println("portal stand-in on " + args[0] + ", operating_reset_at rounded " + (down ? "down" : "up"));
    }

    /** Starts a stand-in on {@code port}; the CRM records it holds ({@link FakeCrm}) outlive a {@link #stop()}. */
    public static PortalStandIn start(int port, double rate, int burst, double budget, double cost, double window)
            throws IOException {
        return start(port, rate, burst, budget, cost, window, false);
    }

    /** As {@link #start(int, double, int, double, double, double)}; {@code roundDown}: the reset is rounded down. */
    public static PortalStandIn start(int port, double rate, int burst, double budget, double cost, double window,
                                      boolean roundDown) throws IOException {
        PortalStandIn portal = new PortalStandIn(rate, burst, budget, cost, window, roundDown);
        portal.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 200);
        portal.server.setExecutor(Executors.newFixedThreadPool(16));
        portal.server.createContext("/__stats", portal::stats);
        // GET /__deal?origin=<ORIGINATOR_ID>/<ORIGIN_ID>: 200 once that deal exists, else 404
        portal.server.createContext("/__deal", e -> {
            String origin = java.net.URLDecoder.decode(e.getRequestURI().getRawQuery().substring("origin=".length()),
                    StandardCharsets.UTF_8);
            Long id = FakeCrm.dealByOrigin.get(origin);
            send(e, id == null ? 404 : 200, "{\"id\": " + id + "}");
        });
        portal.server.createContext("/rest/", portal::call);
        portal.server.start();
        return portal;
    }

    /** Closes the port: from now on connections are refused, as by a portal down for maintenance. */
    public void stop() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    /** {@code QUERY_LIMIT_EXCEEDED} and {@code OPERATION_TIME_LIMIT} answers so far. */
    public long limitAnswers() {
        return limited.get() + blocked.get();
    }

    private void call(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = path.substring(path.lastIndexOf('/') + 1);
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        calls.incrementAndGet();
        if (!admit()) {
            limited.incrementAndGet();
            send(exchange, 503, "{\"error\":\"QUERY_LIMIT_EXCEEDED\",\"error_description\":\"Too many requests\"}");
            return;
        }
        try {
            // key -> method of each command (a plain call is one command named after its method)
            Map<String, String> commands = new LinkedHashMap<>();
            if (method.equals("batch")) {
                for (Iterator<Map.Entry<String, JsonNode>> it = JSON.readTree(body).path("cmd").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> c = it.next();
                    String q = c.getValue().asText();
                    commands.put(c.getKey(), q.contains("?") ? q.substring(0, q.indexOf('?')) : q);
                }
            } else {
                commands.put("", method);
            }
            this.commands.addAndGet(commands.size());
            double start = System.currentTimeMillis() / 1000.0;
            Map<String, ObjectNode> times = new HashMap<>();
            java.util.Set<String> refused = new HashSet<>();
            synchronized (this) {
                // the portal refuses a method whose window already holds more than its budget; the outer batch call
                // is not billed, each command is checked and billed on its own method before it runs
                if (!method.equals("batch") && spentIn(method, start) > budget) {
                    blocked.incrementAndGet();
                    System.out.printf("%.3f BLOCKED %s%n", start, method);
                    send(exchange, 429, "{\"error\":\"OPERATION_TIME_LIMIT\",\"error_description\":\"Method is blocked due to operation time limit\"}");
                    return;
                }
                double at = start;
                for (Map.Entry<String, String> c : commands.entrySet()) {
                    if (spentIn(c.getValue(), start) > budget) {
                        blocked.incrementAndGet();
                        refused.add(c.getKey());
                        System.out.printf("%.3f BLOCKED %s (in a batch)%n", start, c.getValue());
                        continue;
                    }
                    Deque<double[]> window = spent.get(c.getValue());
                    window.addLast(new double[]{start, cost}); // billed when the call came (the stand-in answers at once)
                    // as the portal does: each command's own time, with its method's operating and reset
                    times.put(c.getKey(), time(at, at + cost).put("operating", spentIn(c.getValue(), start))
                            .put("operating_reset_at", resetAt(window.peekFirst()[0] + this.window)));
                    at += cost;
                    double inWindow = spentIn(c.getValue(), start);
                    if (inWindow > peak) {
                        peak = inWindow;
                        peakMethod = c.getValue();
                    }
                }
                // a timeline to read the pacing from: time, then billed commands per method
                Map<String, Integer> billed = new java.util.TreeMap<>();
                commands.forEach((k, m) -> {
                    if (!refused.contains(k)) {
                        billed.merge(m, 1, Integer::sum);
                    }
                });
                System.out.printf("%.3f %s%n", start, billed);
            }
            ObjectNode answer;
            if (method.equals("batch")) {
                answer = FakeCrm.answerBatch(body, refused::contains);
                ObjectNode inner = (ObjectNode) answer.path("result");
                ObjectNode resultTime = JSON.createObjectNode();
                inner.path("result").fieldNames().forEachRemaining(k -> resultTime.set(k, times.get(k)));
                inner.set("result_time", resultTime.isEmpty() ? JSON.createArrayNode() : resultTime);
                answer.set("time", time(start, System.currentTimeMillis() / 1000.0));
            } else {
                answer = JSON.createObjectNode().put("result", true);
                answer.set("time", times.get(""));
            }
            send(exchange, 200, JSON.writeValueAsString(answer));
        } catch (Exception e) {
            send(exchange, 500, "{\"error\":\"INTERNAL_SERVER_ERROR\",\"error_description\":\"" + e + "\"}");
        }
    }

    /** The whole second reported as {@code operating_reset_at} for the moment {@code at}. */
    private long resetAt(double at) {
        return (long) (roundDown ? Math.floor(at) : Math.ceil(at));
    }

    /** Seconds billed to {@code method} in the window ending at {@code now}; drops what fell out of it. */
    private double spentIn(String method, double now) {
        Deque<double[]> window = spent.computeIfAbsent(method, k -> new ArrayDeque<>());
        while (!window.isEmpty() && window.peekFirst()[0] < now - this.window) {
            window.pollFirst();
        }
        return window.stream().mapToDouble(e -> e[1]).sum();
    }

    private static ObjectNode time(double start, double finish) {
        return JSON.createObjectNode().put("start", start).put("finish", finish).put("duration", finish - start)
                .put("processing", finish - start)
                .put("date_start", OffsetDateTime.ofInstant(Instant.ofEpochMilli((long) (start * 1000)), ZoneOffset.UTC)
                        .truncatedTo(ChronoUnit.SECONDS).toString())
                .put("date_finish", OffsetDateTime.ofInstant(Instant.ofEpochMilli((long) (finish * 1000)), ZoneOffset.UTC)
                        .truncatedTo(ChronoUnit.SECONDS).toString());
    }

    /** The portal's leaky bucket: +1 per request, drains at {@code rate}/s, refuses above {@code burst}. */
    private synchronized boolean admit() {
        long now = System.nanoTime();
        level = Math.max(0, level - (now - lastNanos) / 1e9 * rate);
        lastNanos = now;
        if (level + 1 > burst) {
            return false;
        }
        level += 1;
        return true;
    }

    private void stats(HttpExchange exchange) throws IOException {
        ObjectNode stats = JSON.createObjectNode().put("calls", calls.get()).put("commands", commands.get())
                .put("queryLimitExceeded", limited.get()).put("operationTimeLimit", blocked.get())
                .put("budget", budget).put("peakOperating", peak).put("peakMethod", peakMethod);
        FakeCrm.created.forEach((m, n) -> stats.put(m, n.get()));
        stats.put("distinctDealerInns", FakeCrm.companyByInn.size());
        stats.put("distinctDeals", FakeCrm.dealByOrigin.size());
        send(exchange, 200, JSON.writeValueAsString(stats));
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
