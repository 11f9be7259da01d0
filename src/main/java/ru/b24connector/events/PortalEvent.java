package ru.b24connector.events;

import java.util.Optional;

/**
 * An event the portal posted, as stored in the inbox.
 *
 * @param inboxId the inbox row it came from (stable across retries: use it as an idempotency key)
 * @param event   upper-case code, e.g. {@code ONCRMDEALUPDATE}
 * @param form    the whole parsed body
 */
public record PortalEvent(long inboxId, String event, PhpForm form) {

    /** {@code data[FIELDS][ID]} (CRM events) or {@code data[FIELDS_AFTER][ID]} (task events). */
    public Optional<Long> entityId() {
        return form.get("data", "FIELDS", "ID").or(() -> form.get("data", "FIELDS_AFTER", "ID"))
                .flatMap(PortalEvent::parseLong);
    }

    /** {@code ts}: when the portal's queue dispatched it (unix seconds). */
    public long ts() {
        return form.get("ts").flatMap(PortalEvent::parseLong).orElse(0L);
    }

    public Optional<String> memberId() {
        return form.get("auth", "member_id");
    }

    static Optional<Long> parseLong(String s) {
        try {
            return Optional.of(Long.parseLong(s.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
