package ru.b24connector.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The packaged service started as separate processes, for the tests that run it as real replicas. */
final class ReplicaProcesses {

    private static final HttpClient http = HttpClient.newHttpClient();

    private ReplicaProcesses() {
    }

    /** Starts {@code target/quarkus-app/quarkus-run.jar} on {@code port} with {@code env}, its output appended to {@code log}. */
    static Process start(int port, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("java", "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        return builder.start();
    }

    /** Waits until the replica on {@code port} answers its readiness probe with 200. */
    static void awaitReady(int port, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
                last = "status " + ready.statusCode();
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("replica on port " + port + " not ready: " + last);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
