package ru.b24connector.portal;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Results of a batch, per command key. A failed command does not fail the others: its error is surfaced when its
 * own result is asked for.
 */
public final class BatchResult {

    private final Map<String, String> methods;
    private final Map<String, JsonNode> results;
    private final Map<String, PortalException.CommandFailed> errors;
    private final Map<String, Integer> totals;
    private final Map<String, Integer> nexts;
    private final Map<String, java.time.Instant> limited;

    /** {@code limited}: commands refused for their method's time budget, with when the method is open again. */
    BatchResult(Map<String, String> methods, Map<String, JsonNode> results,
                Map<String, PortalException.CommandFailed> errors, Map<String, Integer> totals,
                Map<String, Integer> nexts, Map<String, java.time.Instant> limited) {
        this.limited = limited;
        this.methods = methods;
        this.results = results;
        this.errors = errors;
        this.totals = totals;
        this.nexts = nexts;
    }

    /**
     * The command's result; throws its {@link PortalException.CommandFailed} if the portal refused it, or
     * {@link PortalException.CommandLimited} (a wait, not a failure) if its method's time budget was spent.
     */
    public JsonNode result(String key) {
        java.time.Instant freeAt = limited.get(key);
        if (freeAt != null) {
            throw new PortalException.CommandLimited(key, methods.get(key), freeAt);
        }
        PortalException.CommandFailed error = errors.get(key);
        if (error != null) {
            throw error;
        }
        if (!methods.containsKey(key)) {
            throw new IllegalArgumentException("no batch command '" + key + "'");
        }
        JsonNode result = results.get(key);
        if (result == null) {
            // halted before it ran, or the portal dropped it: never pretend success
            throw new PortalException.CommandFailed(key, methods.get(key), "NOT_EXECUTED", "no result returned");
        }
        return result;
    }

    /**
     * When the command was refused for its method's time budget ({@code OPERATION_TIME_LIMIT}): when that method is
     * open again. Such a command did nothing; a caller that groups work leaves its item waiting until then.
     */
    public Optional<java.time.Instant> limitedUntil(String key) {
        return Optional.ofNullable(limited.get(key));
    }

    /** The latest time any refused-for-budget command's method opens again, if any command was so refused. */
    public Optional<java.time.Instant> limitedUntil() {
        return limited.values().stream().max(java.util.Comparator.naturalOrder());
    }

    /**
     * For a caller that needs every command's answer to decide: throws {@link PortalException.CommandLimited} (a wait,
     * no attempt spent) when any command was refused for its method's time budget, so that a refused read is never
     * taken for a missing record.
     */
    public BatchResult waitIfLimited() {
        limited.entrySet().stream().max(Map.Entry.comparingByValue()).ifPresent(e -> {
            throw new PortalException.CommandLimited(e.getKey(), methods.get(e.getKey()), e.getValue());
        });
        return this;
    }

    public Optional<PortalException.CommandFailed> error(String key) {
        return Optional.ofNullable(errors.get(key));
    }

    public boolean succeeded(String key) {
        return results.containsKey(key) && !errors.containsKey(key);
    }

    public OptionalInt total(String key) {
        Integer total = totals.get(key);
        return total == null ? OptionalInt.empty() : OptionalInt.of(total);
    }

    public OptionalInt next(String key) {
        Integer next = nexts.get(key);
        return next == null ? OptionalInt.empty() : OptionalInt.of(next);
    }

    public Map<String, PortalException.CommandFailed> errors() {
        return Map.copyOf(errors);
    }
}
