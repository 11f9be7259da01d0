package ru.b24connector;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import ru.b24connector.embedded.EmbeddedMariaDb;

import java.nio.file.Path;

/**
 * Entry point: starts the embedded MariaDB when no external database is configured, then Quarkus.
 * Flyway migrates while Quarkus boots, so the database must be listening before {@code Quarkus.run}.
 */
@QuarkusMain
public class Application {

    public static void main(String... args) {
        if (isBlank(setting("QUARKUS_DATASOURCE_JDBC_URL", "quarkus.datasource.jdbc.url"))) {
            String dir = setting("EMBEDDED_DB_DIR", "embedded-db.dir");
            String port = setting("EMBEDDED_DB_PORT", "embedded-db.port");
            EmbeddedMariaDb db = EmbeddedMariaDb.start(Path.of(isBlank(dir) ? "data/mariadb" : dir),
                    isBlank(port) ? 0 : parsePort(port));
            System.setProperty("quarkus.datasource.jdbc.url", db.jdbcUrl());
            System.setProperty("quarkus.datasource.username", "root");
            System.setProperty("quarkus.datasource.password", "");
        }
        Quarkus.run(null, StartupFailure::report, args);
    }

    private static int parsePort(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            System.err.println("Configuration error: EMBEDDED_DB_PORT must be a port number, got '" + value + "'");
            System.exit(1);
            return -1;
        }
    }

    private static String setting(String env, String property) {
        String value = System.getProperty(property);
        return value != null ? value : System.getenv(env);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
