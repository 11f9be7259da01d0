package ru.b24connector.events;

import io.quarkus.logging.Log;
import ru.b24connector.portal.PortalInstallation;

import java.util.Optional;

/**
 * Reads an installation in either shape the portal sends it. {@code ONAPPINSTALL} and the installation callback of
 * an application without an interface post {@code auth[access_token]}, {@code auth[member_id]}, ... in the body;
 * the installation page of an application with an interface gets {@code DOMAIN}, {@code PROTOCOL}, {@code LANG}
 * and {@code APP_SID} in the query string and {@code AUTH_ID}, {@code REFRESH_ID}, {@code AUTH_EXPIRES},
 * {@code SERVER_ENDPOINT}, {@code APPLICATION_TOKEN}, {@code member_id} in the body
 * ({@code settings/oauth/simple-way.md}). Each field is taken from the body first, then from the query string.
 */
public final class InstallForm {

    private InstallForm() {
    }

    public static PortalInstallation.Request read(PhpForm query, PhpForm body) {
        String domain = first(query, body, "auth", "domain").or(() -> first(query, body, "DOMAIN")).orElse(null);
        // PROTOCOL: 0 http, 1 https (simple-way.md); absent means https, as every cloud portal is
        String scheme = first(query, body, "PROTOCOL").filter("0"::equals).map(p -> "http").orElse("https");
        String clientEndpoint = first(query, body, "auth", "client_endpoint")
                .orElse(domain == null ? null : scheme + "://" + domain + "/rest/");
        return new PortalInstallation.Request(
                first(query, body, "auth", "member_id").or(() -> first(query, body, "member_id")).orElse(null),
                domain,
                clientEndpoint,
                first(query, body, "auth", "server_endpoint").or(() -> first(query, body, "SERVER_ENDPOINT")).orElse(null),
                first(query, body, "auth", "access_token").or(() -> first(query, body, "AUTH_ID")).orElse(null),
                first(query, body, "auth", "refresh_token").or(() -> first(query, body, "REFRESH_ID")).orElse(null),
                first(query, body, "auth", "expires_in").or(() -> first(query, body, "AUTH_EXPIRES"))
                        .map(InstallForm::seconds).orElse(3600L),
                first(query, body, "auth", "application_token").or(() -> first(query, body, "APPLICATION_TOKEN"))
                        .orElse(null));
    }

    private static long seconds(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            Log.warnf("Installation: token lifetime '%s' is not a number of seconds; one hour assumed", value);
            return 3600;
        }
    }

    private static Optional<String> first(PhpForm query, PhpForm body, String... path) {
        return body.get(path).filter(s -> !s.isBlank()).or(() -> query.get(path).filter(s -> !s.isBlank()));
    }
}
