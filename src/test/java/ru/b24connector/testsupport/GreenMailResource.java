package ru.b24connector.testsupport;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * A real SMTP server (GreenMail) on a free port for the Quarkus mailer, shared by every Quarkus start of the run.
 * {@link #down()} and {@link #up()} stop and restart it on the same port, to test an SMTP outage.
 */
public class GreenMailResource implements QuarkusTestResourceLifecycleManager {

    private static ServerSetup setup;
    private static GreenMail server;

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            setup = new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
            up();
        }
        return Map.of("quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", String.valueOf(setup.getPort()),
                "quarkus.mailer.start-tls", "DISABLED",
                "quarkus.mailer.mock", "false");
    }

    /** The running server, to read what it received. */
    public static synchronized GreenMail server() {
        return server;
    }

    /** Stops the server: the port refuses connections. */
    public static synchronized void down() {
        if (server != null) {
            server.stop();
        }
    }

    /** Starts a fresh server on the same port. */
    public static synchronized void up() {
        server = new GreenMail(setup);
        server.start();
    }

    /**
     * After {@link #up()}: repeats {@code step} (probe SMTP, run the due jobs) until {@code delivered}, for up to 75 s.
     * A freshly restarted GreenMail now and then holds the first connection until its 30 s read timeout and answers
     * 421 (seen in CI, with pooled and with fresh connections alike); the mail then waits for SMTP again, as in any
     * outage, and goes out at the next step.
     */
    public static void untilDelivered(Runnable step, java.util.function.BooleanSupplier delivered)
            throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(75);
        do {
            step.run();
            if (delivered.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
    }

    @Override
    public void stop() {
        // shared by every Quarkus start of this test run
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
