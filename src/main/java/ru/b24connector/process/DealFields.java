package ru.b24connector.process;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads deal fields as the legacy {@code crm.deal.*} methods return them (strings, arrays for multiple fields). */
final class DealFields {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private DealFields() {
    }

    /** Empty as a person would see it: absent, null, blank, an empty list or object. */
    static boolean isEmpty(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return true;
        }
        if (value.isContainerNode()) {
            return value.isEmpty() || value.isArray() && allEmpty(value);
        }
        return value.asText().isBlank();
    }

    /** The value as text; a list joined with ", ". */
    static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "";
        }
        if (value.isArray()) {
            List<String> parts = new ArrayList<>();
            value.forEach(v -> parts.add(text(v)));
            return String.join(", ", parts);
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /**
     * Fills {@code {FIELD}} placeholders with the deal's values (unknown fields become empty). Plain text
     * substitution: the template cannot run code or reach anything but the deal.
     */
    static String render(String template, JsonNode deal) {
        if (template == null) {
            return "";
        }
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(text(deal.get(m.group(1)))));
        }
        m.appendTail(out);
        return out.toString();
    }

    static long id(JsonNode deal) {
        return deal.path("ID").asLong();
    }

    static Optional<Long> assignee(JsonNode deal) {
        long id = deal.path("ASSIGNED_BY_ID").asLong(0);
        return id > 0 ? Optional.of(id) : Optional.empty();
    }

    static int category(JsonNode deal) {
        return deal.path("CATEGORY_ID").asInt(0);
    }

    static String stage(JsonNode deal) {
        return deal.path("STAGE_ID").asText("");
    }

    private static boolean allEmpty(JsonNode array) {
        for (JsonNode v : array) {
            if (!isEmpty(v)) {
                return false;
            }
        }
        return true;
    }
}
