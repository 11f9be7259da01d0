package ru.b24connector.database;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A schema migration may take longer than the 4 s socket timeout that tells a hanging database from a slow one
 * (an ALTER TABLE on a big table); the migration's connection then has no timeout, and gets it back afterwards.
 */
@QuarkusTest
class LongMigrationsTests {

    @Inject
    DataSource dataSource;

    @Inject
    org.flywaydb.core.Flyway flyway;

    @Test
    void theMigrationsAtStartRunWithTheCallback() {
        assertThat(flyway.getConfiguration().getCallbacks())
                .hasAtLeastOneElementOfType(LongMigrations.NoTimeoutWhileMigrating.class);
    }

    @Test
    void aMigrationStatementOutlivesTheSocketTimeoutAndItsConnectionGetsTheTimeoutBack() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            int usual = connection.getNetworkTimeout();
            assertThat(usual).as("the pool's socket timeout (application.properties)").isEqualTo(4000);
            LongMigrations.NoTimeoutWhileMigrating callback = new LongMigrations.NoTimeoutWhileMigrating();
            Context migrating = contextOf(connection);

            callback.handle(Event.BEFORE_EACH_MIGRATE, migrating);
            try (Statement slow = connection.createStatement()) {
                slow.execute("DO SLEEP(5)"); // a statement of a migration that runs 5 s: not cut at 4 s
            }
            callback.handle(Event.AFTER_EACH_MIGRATE, migrating);

            assertThat(connection.getNetworkTimeout()).as("back in the pool with its timeout").isEqualTo(usual);
        }
    }

    private static Context contextOf(Connection connection) {
        return new Context() {
            @Override
            public org.flywaydb.core.api.configuration.Configuration getConfiguration() {
                return null;
            }

            @Override
            public Connection getConnection() {
                return connection;
            }

            @Override
            public org.flywaydb.core.api.MigrationInfo getMigrationInfo() {
                return null;
            }

            @Override
            public org.flywaydb.core.api.callback.Statement getStatement() {
                return null;
            }

            @Override
            public org.flywaydb.core.api.output.OperationResult getOperationResult() {
                return null;
            }
        };
    }
}
