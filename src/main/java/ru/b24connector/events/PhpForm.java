package ru.b24connector.events;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses the portal's form bodies with PHP-style keys ({@code data[FIELDS][ID]=1}, {@code document_id[2]=DEAL_5},
 * {@code properties[title]=...}) into nested maps, as PHP's {@code parse_str} would. Numeric indexes stay map keys
 * ("0", "1"), {@code key[]} appends.
 */
public final class PhpForm {

    private final Map<String, Object> root;

    private PhpForm(Map<String, Object> root) {
        this.root = root;
    }

    public static PhpForm parse(String body) {
        Map<String, Object> root = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return new PhpForm(root);
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            put(root, path(key), value);
        }
        return new PhpForm(root);
    }

    /** The value at {@code path} ({@code get("data", "FIELDS", "ID")}), if it is a plain value. */
    public Optional<String> get(String... path) {
        Object node = node(path);
        return node instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** The nested map at {@code path} ({@code map("properties")}), empty if absent. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String... path) {
        Object node = node(path);
        return node instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    public Map<String, Object> asMap() {
        return root;
    }

    private Object node(String... path) {
        Object node = root;
        for (String part : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(part);
        }
        return node;
    }

    /** {@code data[FIELDS][ID]} → [data, FIELDS, ID]; {@code a[]} → [a, ""] (append). */
    static List<String> path(String key) {
        List<String> parts = new ArrayList<>();
        int open = key.indexOf('[');
        if (open <= 0) {
            parts.add(key);
            return parts;
        }
        parts.add(key.substring(0, open));
        int i = open;
        while (i < key.length() && key.charAt(i) == '[') {
            int close = key.indexOf(']', i);
            if (close < 0) {
                break;
            }
            parts.add(key.substring(i + 1, close));
            i = close + 1;
        }
        return parts;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, List<String> path, String value) {
        Map<String, Object> node = root;
        for (int i = 0; i < path.size(); i++) {
            String part = path.get(i);
            if (part.isEmpty()) {
                part = String.valueOf(node.size()); // key[] appends, like PHP
            }
            if (i == path.size() - 1) {
                node.put(part, value);
                return;
            }
            Object next = node.get(part);
            if (!(next instanceof Map)) {
                next = new LinkedHashMap<String, Object>();
                node.put(part, next);
            }
            node = (Map<String, Object>) next;
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
