package ru.b24connector.portal;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Gathers the answers of the calls of one batch, per command key, into a {@link BatchResult}. */
final class BatchAnswers {

    private final PortalGovernor governor;
    private final Map<String, String> methods = new LinkedHashMap<>();
    private final Map<String, JsonNode> results = new HashMap<>();
    private final Map<String, PortalException.CommandFailed> errors = new HashMap<>();
    private final Map<String, Integer> totals = new HashMap<>();
    private final Map<String, Integer> nexts = new HashMap<>();
    private final Map<String, Instant> limited = new HashMap<>();

    BatchAnswers(PortalGovernor governor) {
        this.governor = governor;
    }

    /** The command goes out in the next call. */
    void sent(PortalBatch.Command command) {
        methods.put(command.key(), command.method());
    }

    /**
     * Sorts one batch answer into results and errors per key. A command refused with {@code OPERATION_TIME_LIMIT}
     * (limits.md: each nested call is checked against its own method's limit; the refusal comes in
     * {@code result_error} of a 200 answer) blocks its method until the reset, as a whole call's refusal does, and is
     * recorded with when the method is open again.
     */
    void add(JsonNode result, List<PortalBatch.Command> chunk) {
        JsonNode ok = result.path("result");
        JsonNode failed = result.path("result_error");
        Map<String, Instant> blockedMethods = new HashMap<>();
        for (PortalBatch.Command command : chunk) {
            String key = command.key();
            if (failed.has(key)) {
                JsonNode error = failed.get(key);
                String code = error.path("error").asText("");
                errors.put(key, new PortalException.CommandFailed(key, command.method(),
                        code, error.path("error_description").asText("")));
                if ("OPERATION_TIME_LIMIT".equalsIgnoreCase(code)) {
                    limited.put(key, blockedMethods.computeIfAbsent(command.method(), governor::blockUntilReset));
                }
            } else if (ok.has(key)) {
                results.put(key, ok.get(key));
            }
            if (result.path("result_total").has(key)) {
                totals.put(key, result.path("result_total").get(key).asInt());
            }
            if (result.path("result_next").has(key)) {
                nexts.put(key, result.path("result_next").get(key).asInt());
            }
        }
    }

    BatchResult result() {
        return new BatchResult(methods, results, errors, totals, nexts, limited);
    }
}
