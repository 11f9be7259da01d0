package ru.b24connector;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import org.jboss.logging.Logger;
import ru.b24connector.embedded.EmbeddedMariaDb;

import java.nio.file.Path;

/**
 * Entry point: starts the embedded MariaDB when no external database is configured, then Quarkus.
 * Flyway migrates while Quarkus boots, so the database must be listening before {@code Quarkus.run}; Quarkus'
 * static initialisation needs no database and runs meanwhile.
 */
@QuarkusMain
public class Application {

    /** The class whose static initialiser builds the CDI container, Hibernate's metadata and the REST routes. */
    private static final String QUARKUS_STATIC_INIT = "io.quarkus.runner.ApplicationImpl";

    public static void main(String... args) {
        boolean training = Boolean.getBoolean(ClassDataTraining.PROPERTY);
        if (training) {
            ClassDataTraining.isolate();
        }
        if (training || isBlank(setting("QUARKUS_DATASOURCE_JDBC_URL", "quarkus.datasource.jdbc.url"))
                && !Boolean.getBoolean("quarkus.appcds.generate")) {
            String dir = setting("EMBEDDED_DB_DIR", "embedded-db.dir");
            String port = setting("EMBEDDED_DB_PORT", "embedded-db.port");
            int dbPort = isBlank(port) || parsePort(port) == 0 ? EmbeddedMariaDb.freePort() : parsePort(port);
            // the URL is known before the server is up, so Quarkus can initialise beside it
            System.setProperty("quarkus.datasource.jdbc.url", EmbeddedMariaDb.jdbcUrl(dbPort));
            System.setProperty("quarkus.datasource.username", "root");
            System.setProperty("quarkus.datasource.password", "");
            Thread staticInit = new Thread(Application::initializeQuarkus, "quarkus-static-init");
            staticInit.setDaemon(true);
            staticInit.start();
            EmbeddedMariaDb.start(Path.of(isBlank(dir) ? "data/mariadb" : dir), dbPort);
        }
        Quarkus.run(null, StartupFailure::report, args);
    }

    /** Loads and initialises Quarkus' application class; {@code Quarkus.run} then finds it ready. */
    private static void initializeQuarkus() {
        try {
            Class.forName(QUARKUS_STATIC_INIT, true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            // not a packaged application (an IDE run): Quarkus.run initialises what it needs itself
        } catch (Throwable e) {
            // Quarkus.run meets the class in a failed state; say why here, where the cause is known
            Logger.getLogger(Application.class).error("Quarkus failed to initialise", e);
        }
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
