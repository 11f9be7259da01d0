package ru.b24connector.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Hides secrets before a payload or an error is shown: values of secret-looking keys, and webhook URLs. */
final class Redaction {

    static final String HIDDEN = "•••";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(token|secret|password|passwd|auth|webhook|api[_-]?key|credential).*");
    /** A portal webhook ({@code /rest/<user>/<secret>/}) or any URL with user:password. */
    private static final Pattern SECRET_URL = Pattern.compile("(?i)(/rest/\\d+/)[^/\\s\"]+|(https?://)[^/@\\s\"]+@");
    /** {@code key=value} or {@code "key": "value"} pairs in text that is not JSON. */
    private static final Pattern SECRET_PAIR = Pattern.compile(
            "(?i)([\\w\\[\\]]*(?:token|secret|password|passwd|auth|webhook|api[_-]?key)[\\w\\[\\]]*\"?\\s*[=:]\\s*\"?)([^\\s&\",;}]+)");

    private Redaction() {
    }

    /** A JSON payload pretty-printed with secrets hidden; text that is not JSON gets {@link #text}. */
    static String payload(String payload) {
        if (payload == null || payload.isBlank()) {
            return "";
        }
        try {
            JsonNode tree = JSON.readTree(payload);
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(redact(tree));
        } catch (IOException e) {
            return text(payload);
        }
    }

    /** Free text (an error, a log line) with secret URLs and {@code key=value} secrets hidden. */
    static String text(String text) {
        if (text == null) {
            return null;
        }
        String out = SECRET_URL.matcher(text).replaceAll(m -> m.group(1) != null ? m.group(1) + HIDDEN : m.group(2) + HIDDEN + "@");
        return SECRET_PAIR.matcher(out).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1)) + HIDDEN);
    }

    /** Rows of a report (the 1C pull's progress and watermarks) with {@link #text} over their texts. */
    static List<java.util.Map<String, Object>> values(List<java.util.Map<String, Object>> rows) {
        return rows.stream().map(row -> {
            java.util.Map<String, Object> copy = new java.util.LinkedHashMap<>();
            row.forEach((k, v) -> copy.put(k, v instanceof String s ? text(s) : v));
            return copy;
        }).toList();
    }

    private static JsonNode redact(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode value = object.get(name);
                object.set(name, SECRET_KEY.matcher(name).matches() && !value.isContainerNode() && !value.isNull()
                        ? TextNode.valueOf(HIDDEN) : redact(value));
            }
            return object;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, redact(node.get(i)));
            }
            return node;
        }
        return node.isTextual() ? TextNode.valueOf(text(node.asText())) : node;
    }
}
