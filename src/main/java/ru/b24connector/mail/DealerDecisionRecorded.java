package ru.b24connector.mail;

/**
 * Fired synchronously, inside the transaction that stores a new decision mail request (from the process engine's
 * decision stage or the {@code send_dealer_decision} robot): a decision on the deal was made in the portal.
 * Observers may enqueue work in that transaction; a repeated request for the same key fires nothing.
 */
public record DealerDecisionRecorded(long dealId, Decision decision, String comment, String dedupKey) {
}
