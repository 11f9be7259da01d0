package ru.b24connector.jobs;

/** A failure that retrying cannot fix (bad input, a rejected call): the job is dead-lettered at once. */
public class PermanentJobFailure extends RuntimeException {
    public PermanentJobFailure(String message) {
        super(message);
    }

    public PermanentJobFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
