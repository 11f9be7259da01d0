package ru.b24connector.mail;

/**
 * Fired (CDI, in the replica that sent it) when a decision mail is out of PENDING for good: SMTP took it
 * ({@code SENT}) or it failed for good ({@code FAILED}). Whoever waits for it (the robot that answers the portal)
 * need not keep looking.
 */
public record DecisionMailSettled(String dedupKey) {
}
