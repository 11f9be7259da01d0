package ru.b24connector.database;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import io.quarkus.logging.Log;
import jakarta.inject.Singleton;
import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executor;

/**
 * Lets a schema migration run as long as it needs. The pool's connections give up on a statement after the JDBC
 * {@code socketTimeout} (4 s, application.properties): that is how a hanging database is told from a slow one during
 * normal work. A migration is different: an ALTER TABLE on the job table of a busy year can take minutes, and cutting
 * it would stop the service at start. So the migration's own connection has no network timeout while each migration
 * runs, and gets its timeout back afterwards, before it returns to the pool.
 */
@Singleton
public class LongMigrations implements FlywayConfigurationCustomizer {

    /** Runs the driver's abort task in the caller's thread: nothing is aborted with a timeout of 0. */
    private static final Executor DIRECT = Runnable::run;

    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.callbacks(new NoTimeoutWhileMigrating());
    }

    /** Clears the network timeout before each migration and restores it after, also after a failed one. */
    static final class NoTimeoutWhileMigrating extends BaseCallback {

        private int restoreMillis = -1;

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_EACH_MIGRATE || event == Event.AFTER_EACH_MIGRATE
                    || event == Event.AFTER_EACH_MIGRATE_ERROR;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            Connection connection = context.getConnection();
            try {
                if (event == Event.BEFORE_EACH_MIGRATE) {
                    restoreMillis = connection.getNetworkTimeout();
                    connection.setNetworkTimeout(DIRECT, 0);
                } else if (restoreMillis >= 0) {
                    connection.setNetworkTimeout(DIRECT, restoreMillis);
                }
            } catch (SQLException e) {
                // the migration still runs; it may then be cut at the usual timeout
                Log.warnf("Migration: the connection's network timeout could not be changed: %s", e.getMessage());
            }
        }
    }
}
