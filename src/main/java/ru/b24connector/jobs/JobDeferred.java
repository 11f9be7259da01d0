package ru.b24connector.jobs;

import java.time.Instant;

/**
 * Not a failure: the job cannot do its work yet (the portal's time budget is spent until its reset, another worker
 * holds what it needs) and asks to run again at {@code notBefore}. The attempt is not counted and no backoff grows,
 * so waiting for a budget never dead-letters a job or makes it wait longer than the budget does.
 */
public class JobDeferred extends RuntimeException {

    private final transient Instant notBefore;

    public JobDeferred(Instant notBefore, String reason) {
        super(reason, null, false, false);
        this.notBefore = notBefore;
    }

    public Instant notBefore() {
        return notBefore;
    }
}
