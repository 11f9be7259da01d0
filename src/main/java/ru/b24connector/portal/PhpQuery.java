package ru.b24connector.portal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Encodes parameters as the portal reads query strings: PHP-style nested keys
 * ({@code fields[PHONE][0][VALUE]=...}). Used for the commands inside {@code batch}.
 * A {@link PortalBatch.Ref} is written raw, so the portal can substitute an earlier command's result.
 */
final class PhpQuery {

    private PhpQuery() {
    }

    static String encode(Map<String, ?> params) {
        StringJoiner out = new StringJoiner("&");
        params.forEach((key, value) -> append(out, encodeKey(key), value));
        return out.toString();
    }

    private static void append(StringJoiner out, String key, Object value) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> append(out, key + "[" + encodeKey(String.valueOf(k)) + "]", v));
        } else if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                append(out, key + "[" + i++ + "]", item);
            }
        } else if (value instanceof PortalBatch.Ref ref) {
            out.add(key + "=" + ref.expression());
        } else {
            out.add(key + "=" + encodeValue(value));
        }
    }

    private static String encodeValue(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Boolean b) {
            return b ? "Y" : "N";
        }
        return URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8);
    }

    private static String encodeKey(String key) {
        // keep filter operators such as ">ID" or "!STATUS" readable but safe
        return URLEncoder.encode(key, StandardCharsets.UTF_8);
    }
}
