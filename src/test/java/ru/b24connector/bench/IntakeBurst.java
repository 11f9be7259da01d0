package ru.b24connector.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Posts a burst of dealer claims (N claims from D dealers) and waits until the stand-in holds N deals; prints
 * portal calls per claim, limit answers, duplicates and end-to-end throughput.
 * Usage: IntakeBurst serviceUrl standInUrl token claims dealers
 */
public final class IntakeBurst {

    public static void main(String[] args) throws Exception {
        String service = args[0];
        String standIn = args[1];
        String token = args[2];
        int claims = Integer.parseInt(args[3]);
        int dealers = Integer.parseInt(args[4]);
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        JsonNode before = json.readTree(get(http, standIn + "/__stats"));
        // the dealers' INNs come from the run number: pass an earlier run's number to post claims of known dealers
        long run = args.length > 5 ? Long.parseLong(args[5]) : System.currentTimeMillis() % 100_000;
        long claimRun = System.currentTimeMillis() % 1_000_000;
        ExecutorService pool = Executors.newFixedThreadPool(20);
        long started = System.nanoTime();
        List<Future<Integer>> posts = new ArrayList<>();
        for (int i = 0; i < claims; i++) {
            int n = i;
            posts.add(pool.submit(() -> {
                String inn = inn(100_000_000L + run * 100 + n % dealers);
                String body = ("{\"dealer\":{\"companyName\":\"Дилер %d\",\"inn\":\"%s\",\"contactName\":\"Иван Петров\","
                        + "\"email\":\"dealer%d-%d@example.ru\",\"phone\":\"8 (912) 345-67-89\"},\"dealerClaimId\":\"B-%d-%d\","
                        + "\"claimText\":\"Течь масла\",\"items\":[{\"productName\":\"Редуктор GBX-24\",\"quantity\":1}]}")
                        .formatted(n % dealers, inn, run, n % dealers, claimRun, n);
                return http.send(HttpRequest.newBuilder(URI.create(service + "/api/v1/reclamations"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            }));
        }
        int accepted = 0;
        for (Future<Integer> p : posts) {
            accepted += p.get() == 202 ? 1 : 0;
        }
        double acceptedAfter = (System.nanoTime() - started) / 1e9;
        JsonNode stats;
        long deadline = System.currentTimeMillis() + 600_000;
        do {
            Thread.sleep(200);
            stats = json.readTree(get(http, standIn + "/__stats"));
        } while (stats.path("crm.deal.add").asLong() - before.path("crm.deal.add").asLong() < claims
                && System.currentTimeMillis() < deadline);
        double seconds = (System.nanoTime() - started) / 1e9;
        long calls = stats.path("calls").asLong() - before.path("calls").asLong();
        long commands = stats.path("commands").asLong() - before.path("commands").asLong();
        long deals = stats.path("crm.deal.add").asLong() - before.path("crm.deal.add").asLong();
        long companies = stats.path("crm.company.add").asLong() - before.path("crm.company.add").asLong();
        long contacts = stats.path("crm.contact.add").asLong() - before.path("crm.contact.add").asLong();
        System.out.printf("claims=%d dealers=%d accepted=%d (in %.1fs) deals=%d companies=%d contacts=%d%n", claims, dealers,
                accepted, acceptedAfter, deals, companies, contacts);
        System.out.printf("portal calls=%d (%.3f per claim) batch commands=%d; QUERY_LIMIT_EXCEEDED=%d OPERATION_TIME_LIMIT=%d%n",
                calls, calls / (double) claims, commands, stats.path("queryLimitExceeded").asLong() - before.path("queryLimitExceeded").asLong(),
                stats.path("operationTimeLimit").asLong() - before.path("operationTimeLimit").asLong());
        System.out.printf("accepted to last deal: %.1fs, %.1f claims/s end to end%n", seconds, deals / seconds);
        System.out.printf("most time any method held in one window so far: %.1f s of its %.1f s budget (%s)%n",
                stats.path("peakOperating").asDouble(), stats.path("budget").asDouble(), stats.path("peakMethod").asText());
        pool.shutdownNow();
        System.exit(0);
    }

    private static String get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** A valid 10-digit INN (checksum) built from nine digits. */
    public static String inn(long nineDigits) {
        String base = String.format("%09d", nineDigits % 1_000_000_000L);
        int[] w = {2, 4, 10, 3, 5, 9, 4, 6, 8};
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (base.charAt(i) - '0') * w[i];
        }
        return base + (sum % 11 % 10);
    }
}
