package ru.b24connector.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import ru.b24connector.embedded.EmbeddedMariaDb;

import java.nio.file.Path;
import java.util.Map;

/**
 * A real MariaDB for the tests: the server named by QUARKUS_DATASOURCE_JDBC_URL when set, else one embedded
 * MariaDB per test JVM with a fresh data folder under target/, shared by every Quarkus start of the run.
 */
public class MariaDbResource implements QuarkusTestResourceLifecycleManager {

    private static final String RUNNING_URL = "b24connector.test.embedded-jdbc-url";
    private static EmbeddedMariaDb embedded;

    @Override
    public synchronized Map<String, String> start() {
        String external = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        if (external != null && !external.isBlank()) {
            return Map.of();
        }
        // a test profile restarts Quarkus in a new class loader, where this class's statics are fresh: the JVM-wide
        // system property is what tells it the server of this test run is already up
        String url = System.getProperty(RUNNING_URL);
        if (url == null) {
            Path dir = Path.of(dataDir());
            embedded = EmbeddedMariaDb.start(dir, 0);
            url = embedded.jdbcUrl();
            System.setProperty(RUNNING_URL, url);
        }
        return Map.of("quarkus.datasource.jdbc.url", url,
                "quarkus.datasource.username", "root",
                "quarkus.datasource.password", "");
    }

    /** Data folder of this test run's embedded server (for tests that freeze it). */
    public static String dataDir() {
        return Path.of("target", "test-db-" + ProcessHandle.current().pid(), "data").toString();
    }

    /** JDBC URL the tests use, for tests that need a second connection (e.g. a second "replica"). */
    public static String jdbcUrl() {
        String url = System.getProperty(RUNNING_URL);
        return url != null ? url : System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
    }

    @Override
    public void stop() {
        // kept for the next Quarkus start of this test run; stopped by its shutdown hook when the JVM exits
    }
}
