package ru.b24connector.events;

import java.util.regex.Pattern;

/** Removes the tokens the portal sends along with events and robot calls before a body is stored. */
public final class PortalSecrets {

    private static final Pattern TOKENS = Pattern.compile(
            "(auth(?:%5B|\\[)(?:access_token|refresh_token|application_token)(?:%5D|\\])=)[^&]*",
            Pattern.CASE_INSENSITIVE);

    private PortalSecrets() {
    }

    public static String redact(String formBody) {
        return formBody == null ? null : TOKENS.matcher(formBody).replaceAll("$1***");
    }
}
