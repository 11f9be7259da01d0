package ru.b24connector.outage;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Tells an unavailable neighbour from a failure of the work itself, by the exception's cause chain. Only the
 * first counts as a wait: the portal refusing the data, invalid input or a bug still spend attempts.
 */
public final class Outages {

    private Outages() {
    }

    /** The dependency whose outage stopped the work, if that is what {@code failure} says. */
    public static Optional<Dependency> of(Throwable failure) {
        for (Throwable t : causesAndSuppressed(failure)) {
            if (t instanceof DependencyDown down) {
                return Optional.of(down.dependency());
            }
            if (t instanceof OutageSignal signal && signal.outage().isPresent()) {
                return signal.outage();
            }
            if (databaseUnreachable(t)) {
                return Optional.of(Dependency.DATABASE);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code failure}, its causes and what they suppressed, outermost first. Narayana reports why a commit failed
     * only as suppressed exceptions of its {@code RollbackException} or {@code HeuristicMixedException} (its
     * "deferred throwables"), never as their cause: a COMMIT the frozen database never answered is found there.
     */
    static List<Throwable> causesAndSuppressed(Throwable failure) {
        List<Throwable> seen = new ArrayList<>();
        Set<Throwable> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Throwable> next = new ArrayDeque<>();
        if (failure != null) {
            next.add(failure);
        }
        while (!next.isEmpty() && seen.size() < 64) {
            Throwable t = next.poll();
            if (!visited.add(t)) {
                continue;
            }
            seen.add(t);
            if (t.getCause() != null) {
                next.add(t.getCause());
            }
            next.addAll(List.of(t.getSuppressed()));
        }
        return seen;
    }

    /** Whether {@code failure} (anywhere in its cause chain) is the database being unreachable. */
    public static boolean databaseDown(Throwable failure) {
        return of(failure).filter(d -> d == Dependency.DATABASE).isPresent();
    }

    /** The database could not be reached: refused, dropped connection, or no connection from the pool in time. */
    public static boolean databaseUnreachable(Throwable t) {
        if (t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
            return true;
        }
        String text = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        // Hibernate and Agroal words for a pooled connection that broke when the server went away: the transaction
        // could not even start ("failed to enlist" hides the closed connection behind an XA error)
        if (text.contains("unable to acquire jdbc connection") || text.contains("failed to enlist")) {
            return true;
        }
        if (t instanceof SQLException sql) {
            // the SQL state decides where there is one: the driver reports a trigger's SIGNAL '45000' as a
            // "connection" exception too, and that is the data being refused, not the database being away
            String state = sql.getSQLState();
            if (state != null && !state.isBlank()) {
                return state.startsWith("08");
            }
            return t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || text.contains("acquisition timeout")
                    || text.contains("creating new connection");
        }
        return false;
    }

    /** SMTP could not be reached, or answered with a transient (4xx) reply such as 421 "service not available". */
    public static boolean smtpUnavailable(Throwable failure) {
        for (Throwable t : causesAndSuppressed(failure)) {
            if (t instanceof ConnectException || t instanceof SocketException || t instanceof SocketTimeoutException
                    || t instanceof ClosedChannelException || t instanceof TimeoutException) {
                return true;
            }
            if (t instanceof io.vertx.ext.mail.SMTPException smtp && smtp.isTransient()) {
                return true;
            }
            if (t.getClass().getName().startsWith("io.netty.channel.") && t.getClass().getName().contains("Connect")) {
                return true;
            }
        }
        return false;
    }
}
