package ru.b24connector.reclamation;

import com.fasterxml.jackson.databind.JsonNode;
import ru.b24connector.portal.BatchResult;
import ru.b24connector.portal.PortalBatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code crm.duplicate.findbycomm} lookups of one entity type and communication type for many dealers: up to
 * 20 values a command, as the method allows. The answer to a command of several values lists the records that
 * matched, not which value did: its hits are asked again, one value a command.
 */
final class DuplicateLookup {

    private static final int VALUES_PER_COMMAND = 20;
    private final String key;
    private final String entityType;
    private final String type;
    private final java.util.function.Function<CompanyContactResolver.Party, String> value;
    private final List<List<String>> commands = new ArrayList<>();
    /** Keys of the one-value commands asked again, after a several-value command matched (readOrAskAgain). */
    private final java.util.Set<String> askedAgain = new java.util.HashSet<>();
    private final Map<String, Long> byValue = new HashMap<>();


    DuplicateLookup(String key, String entityType, String type, java.util.function.Function<CompanyContactResolver.Party, String> value) {
        this.key = key;
        this.entityType = entityType;
        this.type = type;
        this.value = value;
    }

    void addTo(PortalBatch batch, java.util.Collection<CompanyContactResolver.Party> parties) {
        List<String> values = parties.stream().map(value).filter(v -> v != null).distinct().toList();
        for (int from = 0; from < values.size(); from += VALUES_PER_COMMAND) {
            List<String> chunk = values.subList(from, Math.min(values.size(), from + VALUES_PER_COMMAND));
            batch.add(key + commands.size(), "crm.duplicate.findbycomm", params(chunk));
            commands.add(chunk);
        }
    }

    void readOrAskAgain(BatchResult found, PortalBatch again) {
        for (int i = 0; i < commands.size(); i++) {
            List<String> values = commands.get(i);
            Optional<Long> hit = duplicate(found.result(key + i), entityType);
            if (hit.isEmpty()) {
                continue;
            }
            if (values.size() == 1) {
                byValue.put(values.get(0), hit.get());
            } else {
                for (int v = 0; v < values.size(); v++) {
                    again.add(key + i + "v" + v, "crm.duplicate.findbycomm", params(List.of(values.get(v))));
                    askedAgain.add(key + i + "v" + v);
                }
            }
        }
    }

    void readAgain(BatchResult answers) {
        for (int i = 0; i < commands.size(); i++) {
            List<String> values = commands.get(i);
            for (int v = 0; v < values.size(); v++) {
                String k = key + i + "v" + v;
                // result() throws on a refused command: a read that failed must not pass for "no duplicate" and
                // let a second company be created
                if (askedAgain.contains(k)) {
                    int at = v;
                    duplicate(answers.result(k), entityType).ifPresent(id -> byValue.put(values.get(at), id));
                }
            }
        }
    }

    Optional<Long> match(CompanyContactResolver.Party p) {
        String v = value.apply(p);
        return v == null ? Optional.empty() : Optional.ofNullable(byValue.get(v));
    }

    private Map<String, Object> params(List<String> values) {
        return Map.of("entity_type", entityType, "type", type, "values", values);
    }

    /** {@code {"COMPANY":[45]}} → 45; {@code []} (no match) → empty. */
    static Optional<Long> duplicate(JsonNode result, String type) {
        JsonNode ids = result.path(type);
        return ids.isArray() && !ids.isEmpty() ? Optional.of(ids.get(0).asLong()) : Optional.empty();
    }
}
