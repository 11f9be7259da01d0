package ru.b24connector.jobs;

/**
 * Runs one type of job. A handler must be idempotent: a job runs at least once (a worker may die after the work
 * and before marking it done), so applying it twice must change nothing the second time.
 */
public interface JobHandler {

    /** The job type this handler runs, e.g. {@code b24.event}. */
    String type();

    /**
     * Does the work. Returning normally marks the job done; an exception schedules a retry with backoff, or
     * dead-letters it at once when it is a {@link PermanentJobFailure} or after the last attempt. A
     * {@link JobDeferred} puts it back for a given time without counting the attempt.
     */
    void handle(Job job) throws Exception;

    /** Called once when the job is dead-lettered, e.g. to report the failure to the portal. */
    default void onDead(Job job, Exception cause) {
    }
}
