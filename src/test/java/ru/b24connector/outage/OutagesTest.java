package ru.b24connector.outage;

import io.vertx.ext.mail.SMTPException;
import jakarta.persistence.PersistenceException;
import org.junit.jupiter.api.Test;
import ru.b24connector.portal.PortalException;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures are a neighbour being down (a wait) and which are the job's own (an attempt). */
class OutagesTest {

    @Test
    void refusedTimedOut5xxAndCircuitOpenAreThePortalBeingDown() {
        assertThat(Outages.of(new PortalException.Unavailable("crm.deal.add", "CONNECTION_FAILED", 0, "refused", false)))
                .contains(Dependency.PORTAL);
        assertThat(Outages.of(new PortalException.Unavailable("crm.deal.add", "NO_ANSWER", 0, "no answer", true)))
                .contains(Dependency.PORTAL);
        assertThat(Outages.of(new PortalException.Unavailable("batch", "HTTP_502", 502, "not JSON", true)))
                .contains(Dependency.PORTAL);
        assertThat(Outages.of(new IllegalStateException("wrapped",
                new PortalException.Unavailable("batch", "CIRCUIT_OPEN", 0, "paused", false)))).contains(Dependency.PORTAL);
    }

    @Test
    void refusalsOfTheDataAndBugsAreTheJobsOwnFailures() {
        assertThat(Outages.of(new PortalException.Rejected("crm.deal.add", "", 400, "Access denied"))).isEmpty();
        assertThat(Outages.of(new PortalException.Unavailable("crm.deal.add", "HTTP_404", 404, "not JSON", false)))
                .as("a proxy's error page for a wrong URL does not get better by waiting").isEmpty();
        assertThat(Outages.of(new NullPointerException())).isEmpty();
    }

    @Test
    void anUnreachableDatabaseIsRecognisedThroughHibernatesWrapping() {
        assertThat(Outages.databaseDown(new PersistenceException("could not execute",
                new SQLNonTransientConnectionException("Socket fail to connect", "08000")))).isTrue();
        assertThat(Outages.databaseDown(new PersistenceException("Unable to acquire JDBC Connection",
                new SQLException("Failed to enlist. Check if a connection from another datasource is already enlisted")))).isTrue();
        assertThat(Outages.databaseDown(new PersistenceException("constraint",
                new SQLException("Duplicate entry", "23000", 1062)))).isFalse();
    }

    /** The shape Narayana 7.3 gave in DatabaseHangTests when the COMMIT met a frozen database: the why is suppressed. */
    @Test
    void aCommitWithoutAnAnswerIsTheDatabaseBeingDownThoughOnlyASuppressedExceptionSaysSo() {
        Exception commit = new Exception("ARJUNA016053: Could not commit transaction.");
        javax.transaction.xa.XAException xa = new javax.transaction.xa.XAException(
                "Error trying to transactionCommit local transaction: (conn=4) Socket timout error");
        xa.initCause(new SQLNonTransientConnectionException("(conn=4) Socket timout error", "08000"));
        commit.addSuppressed(xa);
        assertThat(Outages.databaseDown(new IllegalStateException("QuarkusTransactionException", commit))).isTrue();
        assertThat(Outages.databaseDown(new IllegalStateException("rolled back", new Exception("ARJUNA016053"))))
                .as("nothing says the database was away").isFalse();
    }

    @Test
    void smtpRefusingConnectionsOrAnsweringTransientlyIsSmtpBeingDown() {
        assertThat(Outages.smtpUnavailable(new RuntimeException(new ConnectException("Connection refused")))).isTrue();
        assertThat(Outages.smtpUnavailable(new SMTPException("421 Service not available", 421, List.of(), false)))
                .isTrue();
        assertThat(Outages.smtpUnavailable(new SMTPException("550 No such user", 550, List.of(), false))).isFalse();
    }
}
