package ru.b24connector.outage;

import javax.sql.DataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * While the database is known down, requests are refused at once (503) instead of each waiting for its timeouts;
 * this probe is what notices it answering again: one pooled connection and a ping every
 * {@code jobs.database-probe-every}, bounded by the connect, socket and validation timeouts.
 */
@ApplicationScoped
public class DatabaseProbe {

    /** Seconds a ping may take; a frozen server never answers it. */
    static final int PING_SECONDS = 2;

    @Inject
    DataSource dataSource;

    @Inject
    DependencyState state;

    @Scheduled(identity = "database-probe", every = "${jobs.database-probe-every:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void trigger() {
        if (state.isDown(Dependency.DATABASE)) {
            runOnce();
        }
    }

    /** Pings the database; marks it up or down accordingly and returns whether it answered. */
    public boolean runOnce() {
        try (Connection c = dataSource.getConnection()) {
            if (c.isValid(PING_SECONDS)) {
                state.up(Dependency.DATABASE);
                return true;
            }
            state.down(Dependency.DATABASE, "no answer to a ping within " + PING_SECONDS + " s");
        } catch (SQLException | RuntimeException e) {
            state.down(Dependency.DATABASE, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return false;
    }
}
