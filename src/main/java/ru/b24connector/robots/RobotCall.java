package ru.b24connector.robots;

import java.util.Map;
import java.util.Optional;

/**
 * One robot call as the portal posted it.
 *
 * @param inboxId         inbox row of the call
 * @param code            robot code
 * @param eventToken      {@code event_token}: answers go to {@code bizproc.event.send} with it
 * @param documentId      {@code document_id[2]}, e.g. {@code DEAL_123}
 * @param properties      {@code properties[...]} as sent (user properties as {@code user_<id>})
 * @param timeoutSeconds  {@code timeout_duration}; 0 = wait forever
 * @param userId          {@code auth[user_id]}, the user the call runs as
 */
public record RobotCall(long inboxId, String code, String workflowId, String eventToken, String documentId,
                        Map<String, String> properties, boolean useSubscription, long timeoutSeconds,
                        long receivedAtEpochSecond, Optional<Long> userId) {

    /** The deal id from {@code document_id[2] = DEAL_<id>}. */
    public long dealId() {
        if (documentId == null || !documentId.matches("DEAL_\\d+")) {
            throw new RobotInputException("document_id", "deal",
                    "the robot works on deals; got document '" + documentId + "'");
        }
        return Long.parseLong(documentId.substring("DEAL_".length()));
    }

    /** A required string property. */
    public String required(String property) {
        String value = properties.get(property);
        if (value == null || value.isBlank()) {
            throw new RobotInputException(property, "required", "is required");
        }
        return value.trim();
    }

    public Optional<String> optional(String property) {
        String value = properties.get(property);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** A user property: the portal sends {@code user_<id>} (a bare id is accepted too). */
    public long user(String property) {
        String value = required(property);
        String id = value.startsWith("user_") ? value.substring(5) : value;
        if (!id.matches("\\d{1,10}") || Long.parseLong(id) == 0) {
            throw new RobotInputException(property, "user", "must be a portal user (user_<id>), got '" + value + "'");
        }
        return Long.parseLong(id);
    }

    /** A whole number property within bounds. */
    public int integer(String property, int min, int max, int defaultValue) {
        Optional<String> value = optional(property);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value.get());
            if (n < min || n > max) {
                throw new RobotInputException(property, "range", "must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new RobotInputException(property, "int", "must be a whole number, got '" + value.get() + "'");
        }
    }
}
