package ru.b24connector.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collection;

/** Token comparisons that take the same time whether the first or the last character differs. */
public final class Tokens {

    private Tokens() {
    }

    public static boolean matches(String presented, String expected) {
        if (presented == null || expected == null || expected.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    /** True if {@code presented} equals any of {@code expected}; compares against all of them. */
    public static boolean matchesAny(String presented, Collection<String> expected) {
        boolean match = false;
        for (String candidate : expected) {
            match |= matches(presented, candidate);
        }
        return match;
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or null. */
    public static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }
}
