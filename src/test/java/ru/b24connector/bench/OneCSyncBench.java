package ru.b24connector.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Drives a first sync and an incremental cycle against {@link OneCStandIn} and {@link PortalStandIn}: starts the
 * pull through the admin API, posts a dealer claim while it runs and times it into the CRM, waits until the stand-in
 * holds every company and deal, prints portal calls, commands, limit answers, duplicates, the heap after the run,
 * then changes records in 1C and counts the portal calls of the next pull.
 * Usage: OneCSyncBench serviceUrl portalUrl onecUrl adminToken dealerToken counterparties documents changes
 */
public final class OneCSyncBench {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        String service = args[0];
        String portal = args[1];
        String onec = args[2];
        String admin = args[3];
        String dealer = args[4];
        int counterparties = Integer.parseInt(args[5]);
        int documents = Integer.parseInt(args[6]);
        int changes = Integer.parseInt(args[7]);

        JsonNode before = stats(portal);
        long started = System.nanoTime();
        // most documents are dated before the pull's window: the DataVersion scan finds them (reference §1.9)
        CompletableFuture<String> pull = CompletableFuture.supplyAsync(() -> post(service + "/admin/1c/pull", admin, "")
                + "\nscan: " + timed(() -> post(service + "/admin/1c/scan", admin, "")));
        double first120 = -1;
        double claimIn = -1;
        double claimPostedAt = -1;
        String claimOrigin = null;
        double lastPrint = 0;
        JsonNode now;
        while (true) {
            Thread.sleep(500);
            double t = seconds(started);
            now = stats(portal);
            long companies = delta(now, before, "crm.company.add");
            long deals = delta(now, before, "crm.deal.add");
            if (first120 < 0 && companies >= Math.min(120, counterparties)) {
                first120 = t;
            }
            // a dealer's claim posted while the first sync runs: how long until it is a deal
            if (claimOrigin == null && companies >= Math.min(500, counterparties / 4)) {
                claimOrigin = postClaim(service, dealer);
                claimPostedAt = t;
            }
            if (claimOrigin != null && claimIn < 0 && exists(portal, claimOrigin)) {
                claimIn = t - claimPostedAt;
            }
            if (t - lastPrint >= 15) {
                lastPrint = t;
                System.out.printf("%6.1f s: %d companies, %d deals, %d calls; progress %s%n", t, companies, deals,
                        delta(now, before, "calls"), get(service + "/admin/1c/progress", admin));
            }
            if (companies >= counterparties && deals >= documents + (claimOrigin == null ? 0 : 1) && pull.isDone()
                    && (claimOrigin == null || claimIn >= 0)) {
                break;
            }
            if (t > 7200) {
                System.out.println("gave up after 2 h");
                break;
            }
        }
        double firstSync = seconds(started);
        report("first sync", now, before, firstSync, counterparties, documents);
        System.out.printf("first %d companies (three pages of 40) in the portal after %.1f s from the first request%n",
                Math.min(120, counterparties), first120);
        System.out.printf("dealer claim posted during the sync at %.1f s: a deal after %.1f s%n", claimPostedAt, claimIn);
        System.out.println("pull answer: " + pull.join());
        System.out.println("heap after the run: " + heap(service));

        // the incremental cycle: some records changed in 1C
        post(onec + "/__change?n=" + changes, null, "");
        JsonNode beforeIncrement = stats(portal);
        long incStarted = System.nanoTime();
        post(service + "/admin/1c/pull", admin, "");
        double pullSeconds = seconds(incStarted);
        String scanned = timed(() -> post(service + "/admin/1c/scan", admin, ""));
        System.out.printf("incremental pull answered in %.1f s; scan: %s%n", pullSeconds, scanned);
        long updatesWanted = changes;
        JsonNode after;
        do {
            Thread.sleep(500);
            after = stats(portal);
        } while (delta(after, beforeIncrement, "crm.company.update") + delta(after, beforeIncrement, "crm.deal.update") < updatesWanted
                && seconds(incStarted) < 600);
        Thread.sleep(2000); // anything still on its way counts too
        after = stats(portal);
        System.out.printf("incremental cycle, %d changed records: %d portal calls, %d commands (%d company updates, "
                        + "%d deal updates, %d companies and %d deals created) in %.1f s%n", changes,
                delta(after, beforeIncrement, "calls"), delta(after, beforeIncrement, "commands"),
                delta(after, beforeIncrement, "crm.company.update"), delta(after, beforeIncrement, "crm.deal.update"),
                delta(after, beforeIncrement, "crm.company.add"), delta(after, beforeIncrement, "crm.deal.add"),
                seconds(incStarted));
        System.out.println("limit answers over both runs: " + after.path("queryLimitExceeded").asLong() + " QUERY_LIMIT_EXCEEDED, "
                + after.path("operationTimeLimit").asLong() + " OPERATION_TIME_LIMIT; most one method held in a window: "
                + after.path("peakOperating").asDouble() + " s of " + after.path("budget").asDouble() + " s ("
                + after.path("peakMethod").asText() + ")");
        System.out.println("heap at the end: " + heap(service));
    }

    private static String timed(java.util.function.Supplier<String> call) {
        long t = System.nanoTime();
        String answer = call.get();
        return String.format("%.1f s: %s", seconds(t), answer);
    }

    private static void report(String what, JsonNode now, JsonNode before, double seconds, int counterparties, int documents) {
        long calls = delta(now, before, "calls");
        long commands = delta(now, before, "commands");
        System.out.printf("%s: %d counterparties and %d documents in %.1f s; %d portal calls, %d commands "
                        + "(%.2f commands per record); companies created %d for %d distinct INNs, deals created %d for %d "
                        + "distinct origins%n", what, counterparties, documents, seconds, calls, commands,
                (double) commands / (counterparties + documents), delta(now, before, "crm.company.add"),
                now.path("distinctDealerInns").asLong(), delta(now, before, "crm.deal.add"), now.path("distinctDeals").asLong());
        now.fields().forEachRemaining(f -> {
            if (f.getKey().startsWith("crm.")) {
                System.out.printf("  %-28s %d%n", f.getKey(), f.getValue().asLong() - before.path(f.getKey()).asLong());
            }
        });
    }

    private static String postClaim(String service, String token) {
        String claimId = "FS-" + System.currentTimeMillis();
        String inn = OneCStandIn.inn(9_000_000 + (int) (System.currentTimeMillis() % 100_000));
        String body = ("{\"dealer\":{\"companyName\":\"Срочный дилер\",\"inn\":\"%s\",\"contactName\":\"Иван Петров\","
                + "\"email\":\"urgent-%s@example.ru\",\"phone\":\"8 (912) 345-67-89\"},\"dealerClaimId\":\"%s\","
                + "\"claimText\":\"Течь масла\",\"items\":[{\"productName\":\"Редуктор GBX-24\",\"quantity\":1}]}")
                .formatted(inn, claimId, claimId);
        String answer = post(service + "/api/v1/reclamations", token, body);
        System.out.println("dealer claim posted: " + answer);
        return "dealer:" + inn + "/" + claimId;
    }

    private static boolean exists(String portal, String origin) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(portal + "/__deal?origin="
                        + java.net.URLEncoder.encode(origin, java.nio.charset.StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    private static String heap(String service) {
        String metrics = get(service + "/q/metrics", null);
        double used = 0;
        double max = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                used += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
            if (line.startsWith("jvm_memory_max_bytes{") && line.contains("area=\"heap\"")) {
                double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                max += v > 0 ? v : 0;
            }
        }
        return "%.0f MiB used of %.0f MiB max".formatted(used / 1048576, max / 1048576);
    }

    private static long delta(JsonNode now, JsonNode before, String field) {
        return now.path(field).asLong() - before.path(field).asLong();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static JsonNode stats(String portal) throws Exception {
        return JSON.readTree(get(portal + "/__stats", null));
    }

    private static String get(String url, String token) {
        try {
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url));
            if (token != null) {
                r.header("Authorization", "Bearer " + token);
            }
            return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(url + ": " + e, e);
        }
    }

    private static String post(String url, String token, String body) {
        try {
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (token != null) {
                r.header("Authorization", "Bearer " + token);
            }
            return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(url + ": " + e, e);
        }
    }
}
