package ru.b24connector.process;

/**
 * Fired (synchronously, from a retried job) when a deal enters a stage marked {@code decision-email: true}: the
 * mail feature observes it and e-mails the dealer the decision. Fired at least once per stage entry; observers
 * deduplicate by {@code dedupKey}, and an observer that throws makes the job retry.
 *
 * @param dealId   the deal
 * @param stageId  the stage entered (full id, e.g. {@code C3:DECISION})
 * @param decision value of the stage's {@code decision-field} (normally approved, rejected or partial)
 * @param comment  value of its {@code comment-field}; empty when none
 * @param dedupKey same stage entry ⇒ same key
 */
public record DealerDecisionRequested(long dealId, String stageId, String decision, String comment, String dedupKey) {
}
