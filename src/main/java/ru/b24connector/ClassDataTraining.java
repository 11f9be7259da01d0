package ru.b24connector;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import ru.b24connector.embedded.EmbeddedMariaDb;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The training run behind the class-data archive ({@code -Dconnector.cds-training=true}, run by the build with
 * {@code -XX:ArchiveClassesAtExit}): once the service is ready it answers a few requests, so the classes of a
 * first request are archived too, and exits. The JVM writes the archive at that exit; later starts map those
 * classes instead of loading and verifying them again.
 */
@ApplicationScoped
class ClassDataTraining {

    static final String PROPERTY = "connector.cds-training";

    /**
     * The build runs the training in the project folder, where a developer's {@code .env} may name a real portal
     * or database: the run uses its own embedded database, a free port, and neither runs jobs nor schedules.
     */
    static void isolate() {
        System.setProperty("embedded-db.dir", "target/cds-training/mariadb");
        System.setProperty("embedded-db.port", "0");
        System.setProperty("quarkus.http.port", String.valueOf(EmbeddedMariaDb.freePort()));
        System.setProperty("quarkus.scheduler.enabled", "false");
        System.setProperty("jobs.run-in-background", "false");
        Thread deadline = new Thread(() -> {
            try {
                Thread.sleep(Duration.ofMinutes(3).toMillis());
                System.err.println("Training run: not ready within 3 minutes, stopping");
                System.exit(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "cds-training-deadline");
        deadline.setDaemon(true);
        deadline.start();
    }

    void onStart(@Observes StartupEvent event) {
        if (!Boolean.getBoolean(PROPERTY)) {
            return;
        }
        int port = Integer.getInteger("quarkus.http.port");
        Thread requests = new Thread(() -> exerciseAndExit(port), "cds-training");
        requests.setDaemon(true);
        requests.start();
    }

    private static void exerciseAndExit(int port) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // the socket opens just after the startup event
        while (!answers(client, port)) {
            sleep();
        }
        for (String path : new String[] {"/q/health/ready", "/q/metrics", "/admin/jobs", "/q/openapi"}) {
            try {
                HttpResponse<Void> response = client.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                        HttpResponse.BodyHandlers.discarding());
                Log.infof("Training run: %s answered %d", path, response.statusCode());
            } catch (Exception e) {
                Log.warnf("Training run: %s failed: %s", path, e.toString());
            }
        }
        Quarkus.asyncExit(0);
    }

    private static boolean answers(HttpClient client, int port) {
        try {
            client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/live")).build(),
                    HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
