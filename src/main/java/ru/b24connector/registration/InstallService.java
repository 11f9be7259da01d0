package ru.b24connector.registration;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.events.ApplicationTokenVerifier;
import ru.b24connector.events.PhpForm;
import ru.b24connector.jobs.JobQueue;
import ru.b24connector.portal.PortalCredentials;
import ru.b24connector.portal.PortalToken;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Installation of the local application (OAuth mode): stores the tokens and the application token the portal
 * sends, then schedules registration of handlers and robots.
 */
@ApplicationScoped
public class InstallService {

    /** Job that reconciles event bindings and robots with the portal. */
    public static final String REGISTRATION_JOB = "b24.registration";

    @Inject
    PortalCredentials credentials;

    @Inject
    ApplicationTokenVerifier verifier;

    @Inject
    JobQueue jobs;

    @Inject
    Clock clock;

    /**
     * Takes the {@code ONAPPINSTALL} form ({@code auth[access_token]}, ...) or the installation-path form of apps
     * with UI ({@code AUTH_ID}, {@code REFRESH_ID}, {@code member_id}, {@code DOMAIN}).
     *
     * @return false when refused: not in OAuth mode, tokens missing, or an application token that differs from
     *         the one already trusted
     */
    public boolean installFromEvent(PhpForm form) {
        if (!credentials.oauthMode()) {
            Log.warn("Refused an installation: the service is not in OAuth mode (set B24_CLIENT_ID and B24_CLIENT_SECRET)");
            return false;
        }
        PortalToken token = new PortalToken();
        token.memberId = first(form, "auth", "member_id").or(() -> first(form, "member_id")).orElse(null);
        token.accessToken = first(form, "auth", "access_token").or(() -> first(form, "AUTH_ID")).orElse(null);
        token.refreshToken = first(form, "auth", "refresh_token").or(() -> first(form, "REFRESH_ID")).orElse(null);
        token.domain = first(form, "auth", "domain").or(() -> first(form, "DOMAIN")).orElse(null);
        token.clientEndpoint = first(form, "auth", "client_endpoint")
                .orElse(token.domain == null ? null : "https://" + token.domain + "/rest/");
        token.applicationToken = first(form, "auth", "application_token").orElse(null);
        long expiresIn = first(form, "auth", "expires_in").or(() -> first(form, "AUTH_EXPIRES"))
                .map(Long::parseLong).orElse(3600L);
        token.expiresAt = clock.instant().plusSeconds(expiresIn);
        if (token.memberId == null || token.accessToken == null || token.refreshToken == null
                || token.clientEndpoint == null) {
            Log.warn("Refused an installation: member_id, tokens or client endpoint missing");
            return false;
        }
        if (verifier.known() && !verifier.verify(form)) {
            Log.warn("Refused an installation whose application token differs from the trusted one; to trust a new "
                    + "installation set B24_APPLICATION_TOKEN to its application token");
            return false;
        }
        credentials.store(token);
        jobs.enqueue(REGISTRATION_JOB, "install:" + token.memberId + ":" + clock.millis(), Map.of());
        Log.infof("Installed for portal %s (member %s)", token.domain, token.memberId);
        return true;
    }

    private static Optional<String> first(PhpForm form, String... path) {
        return form.get(path).filter(s -> !s.isBlank());
    }
}
