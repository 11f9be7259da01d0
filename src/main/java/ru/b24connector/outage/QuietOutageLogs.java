package ru.b24connector.outage;

import io.quarkus.logging.LoggingFilter;

import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Keeps the console log readable during an outage and a stop: a scheduled task (any feature's) that fails because a
 * dependency is down, or because the stop closed the database, is not an error with a stack trace; the outage
 * itself is logged once by {@link DependencyState} (one WARN down, one INFO back). While the database is known
 * down, the JDBC layer's own per-statement complaints are dropped too. Everything else passes untouched.
 */
@LoggingFilter(name = "quiet-outages")
public final class QuietOutageLogs implements Filter {

    /** The scheduler's logger for a task that threw. */
    static final String SCHEDULER = "io.quarkus.scheduler.common.runtime.StatusEmitterInvoker";

    /** Set by {@link DependencyState}; read here, where no bean can be injected. */
    static volatile boolean databaseDown;
    static volatile boolean stopping;

    @Override
    public boolean isLoggable(LogRecord record) {
        Throwable thrown = record.getThrown();
        String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
        if (thrown != null && jdbcLayer(logger) && Outages.of(thrown).isPresent()) {
            return false; // e.g. Hibernate's INFO "Error performing load command" with the whole stack
        }
        if (record.getLevel().intValue() < Level.WARNING.intValue()) {
            return true;
        }
        if (SCHEDULER.equals(logger) && thrown != null) {
            return !(Outages.of(thrown).isPresent() || stopping);
        }
        if (jdbcLayer(logger)) {
            if (connectionTrouble(record instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage()
                    : record.getMessage())) {
                return false; // the pool, the transaction manager and Hibernate each repeat a broken connection
            }
            if (databaseDown) {
                return thrown != null && Outages.of(thrown).isEmpty(); // only what is not the outage itself
            }
        }
        return !(stopping && thrown != null && closedByTheStop(thrown));
    }

    /** What the JDBC layer says, once per statement and connection, when the database does not answer. */
    private static final java.util.regex.Pattern CONNECTION_TROUBLE = java.util.regex.Pattern.compile(
            "Acquisition timeout|Socket timout|Socket timeout|Connection is closed|Failed to enlist|could not register "
                    + "transaction|association of connection|incorrect state VALIDATION|SQLState: (null|08)|"
                    + "Communications link|Connection refused|Could not connect|attempted rollback");

    static boolean connectionTrouble(String message) {
        return message != null && CONNECTION_TROUBLE.matcher(message).find();
    }

    /** Loggers that repeat a broken connection once per statement. */
    private static boolean jdbcLayer(String logger) {
        return logger.startsWith("org.hibernate.engine.jdbc") || logger.startsWith("org.hibernate.orm.jdbc")
                || logger.startsWith("org.hibernate.event")
                || logger.startsWith("io.agroal")
                || logger.startsWith("com.arjuna") || logger.startsWith("org.mariadb.jdbc");
    }

    /** Hibernate or the pool refusing work because the stop closed them. */
    static boolean closedByTheStop(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (message.contains("is closed") || message.contains("has been closed")
                    || message.contains("shutting down") || t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }
}
