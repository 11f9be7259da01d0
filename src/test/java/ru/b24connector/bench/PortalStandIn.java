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
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A portal stand-in for benchmarks: enforces the leaky bucket (QUERY_LIMIT_EXCEEDED past it) and the per-method
 * operating budget over a sliding window (OPERATION_TIME_LIMIT past it, {@code time.operating} and
 * {@code operating_reset_at} in every answer), counts calls and batch commands, and answers CRM batches with
 * {@link FakeCrm}. {@code GET /__stats} reports the counts.
 * Usage: PortalStandIn port rate burst budgetSeconds secondsPerCommand [windowSeconds, default 600]
 */
public final class PortalStandIn {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final double rate;
    private final int burst;
    private final double budget;
    private final double cost;
    private final double window;
    private double level;
    private long lastNanos = System.nanoTime();
    private final Map<String, Deque<double[]>> spent = new HashMap<>(); // method -> (epoch seconds, seconds)
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong commands = new AtomicLong();
    private final AtomicLong limited = new AtomicLong();
    private final AtomicLong blocked = new AtomicLong();

    private PortalStandIn(double rate, int burst, double budget, double cost, double window) {
        this.window = window;
        this.rate = rate;
        this.burst = burst;
        this.budget = budget;
        this.cost = cost;
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        PortalStandIn portal = new PortalStandIn(Double.parseDouble(args[1]), Integer.parseInt(args[2]),
                Double.parseDouble(args[3]), Double.parseDouble(args[4]),
                args.length > 5 ? Double.parseDouble(args[5]) : 600);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 200);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/__stats", portal::stats);
        server.createContext("/rest/", portal::call);
        server.start();
        System.out.println("portal stand-in on " + port);
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
            ObjectNode answer;
            Map<String, Integer> billed = new HashMap<>();
            if (method.equals("batch")) {
                JsonNode cmd = JSON.readTree(body).path("cmd");
                for (Iterator<JsonNode> it = cmd.elements(); it.hasNext(); ) {
                    String q = it.next().asText();
                    billed.merge(q.contains("?") ? q.substring(0, q.indexOf('?')) : q, 1, Integer::sum);
                }
                commands.addAndGet(cmd.size());
            } else {
                billed.put(method, 1);
                commands.incrementAndGet();
            }
            double operating = 0;
            long resetAt = 0;
            synchronized (this) {
                double now = System.currentTimeMillis() / 1000.0;
                for (Map.Entry<String, Integer> m : billed.entrySet()) {
                    Deque<double[]> window = spent.computeIfAbsent(m.getKey(), k -> new ArrayDeque<>());
                    while (!window.isEmpty() && window.peekFirst()[0] < now - this.window) {
                        window.pollFirst();
                    }
                    double sum = window.stream().mapToDouble(e -> e[1]).sum();
                    if (sum > budget) {
                        blocked.incrementAndGet();
                        send(exchange, 429, "{\"error\":\"OPERATION_TIME_LIMIT\",\"error_description\":\"Method is blocked due to operation time limit.\"}");
                        return;
                    }
                }
                for (Map.Entry<String, Integer> m : billed.entrySet()) {
                    Deque<double[]> window = spent.get(m.getKey());
                    window.addLast(new double[]{now, cost * m.getValue()});
                    operating = Math.max(operating, window.stream().mapToDouble(e -> e[1]).sum());
                    resetAt = Math.max(resetAt, (long) Math.ceil(window.peekFirst()[0] + this.window));
                }
            }
            answer = method.equals("batch") ? FakeCrm.answerBatch(body)
                    : (ObjectNode) JSON.createObjectNode().put("result", true);
            ((ObjectNode) answer.path("time")).put("operating", operating).put("operating_reset_at", resetAt);
            if (answer.path("time").isMissingNode()) {
                answer.set("time", JSON.createObjectNode().put("operating", operating).put("operating_reset_at", resetAt));
            }
            send(exchange, 200, JSON.writeValueAsString(answer));
        } catch (Exception e) {
            send(exchange, 500, "{\"error\":\"INTERNAL_SERVER_ERROR\",\"error_description\":\"" + e + "\"}");
        }
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
                .put("queryLimitExceeded", limited.get()).put("operationTimeLimit", blocked.get());
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
