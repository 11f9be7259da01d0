package ru.b24connector.jobs;

import ru.b24connector.portal.PortalException;

import java.util.Locale;
import java.util.Optional;

/**
 * Not a failure: what the job works on is gone (a deal or task deleted in the portal, a deal moved out of the
 * process's pipeline), so there is nothing left to do. The job ends SKIPPED with one log line: no retry, no dead
 * letter, nobody paged.
 */
public class JobSkipped extends RuntimeException {

    public JobSkipped(String reason) {
        super(reason, null, false, false);
    }

    /**
     * The portal answered "Not found" for a CRM record or task the job needs (legacy CRM methods send
     * {@code "error": ""} with that text): the record was deleted after the job was queued.
     */
    static Optional<JobSkipped> of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PortalException.Rejected || t instanceof PortalException.CommandFailed) {
                PortalException e = (PortalException) t;
                String message = e.getMessage().toLowerCase(Locale.ROOT);
                // the description is the last thing in parentheses; an unknown method or event is a bug, not a gone record
                boolean record = e.method().startsWith("crm.") || e.method().startsWith("tasks.");
                if (record && message.contains("not found)")) {
                    return Optional.of(new JobSkipped(e.method() + " answered that the record is gone: "
                            + e.getMessage()));
                }
            }
        }
        return Optional.empty();
    }
}
