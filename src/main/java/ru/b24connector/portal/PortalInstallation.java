package ru.b24connector.portal;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import ru.b24connector.security.Tokens;

import java.time.Clock;
import java.util.Optional;

/**
 * Installation of the local application (OAuth mode): checks and stores what the portal sent (tokens, REST and
 * authorization server endpoints, the application token) with the portal credentials, then tells whoever
 * registers handlers ({@link Installed}). Also the one place that knows which application token inbound events and
 * robot calls must carry.
 */
@ApplicationScoped
public class PortalInstallation {

    /** What the portal sent at installation, whichever of its shapes it came in. */
    public record Request(String memberId, String domain, String clientEndpoint, String serverEndpoint,
                          String accessToken, String refreshToken, long expiresIn, String applicationToken) {
        @Override
        public String toString() {
            return "Request[" + memberId + ", " + domain + "]"; // tokens stay out of logs
        }
    }

    /** How an installation ended. */
    public enum Outcome { INSTALLED, NOT_OAUTH_MODE, INCOMPLETE, UNTRUSTED }

    /** Fired after an installation was stored. */
    public record Installed(String memberId, String domain) {
    }

    @Inject
    PortalCredentials credentials;

    @Inject
    PortalConfig config;

    @Inject
    Event<Installed> installed;

    @Inject
    Clock clock;

    /** Stores an installation, unless refused (see {@link Outcome}). */
    public Outcome install(Request request) {
        if (!credentials.oauthMode()) {
            Log.warn("Refused an installation: the service is not in OAuth mode (set B24_CLIENT_ID and B24_CLIENT_SECRET)");
            return Outcome.NOT_OAUTH_MODE;
        }
        if (blank(request.memberId()) || blank(request.accessToken()) || blank(request.refreshToken())
                || blank(request.clientEndpoint())) {
            Log.warnf("Refused an installation: %s missing", missing(request));
            return Outcome.INCOMPLETE;
        }
        Optional<String> trusted = expectedApplicationToken();
        if (trusted.isPresent() && !Tokens.matches(request.applicationToken(), trusted.get())) {
            Log.warn("Refused an installation whose application token differs from the trusted one; to trust a new "
                    + "installation set B24_APPLICATION_TOKEN to its application token");
            return Outcome.UNTRUSTED;
        }
        PortalToken token = new PortalToken();
        token.memberId = request.memberId();
        token.domain = request.domain();
        token.clientEndpoint = request.clientEndpoint();
        token.serverEndpoint = blank(request.serverEndpoint()) ? null : request.serverEndpoint();
        token.accessToken = request.accessToken();
        token.refreshToken = request.refreshToken();
        token.applicationToken = blank(request.applicationToken()) ? null : request.applicationToken();
        token.expiresAt = clock.instant().plusSeconds(request.expiresIn() > 0 ? request.expiresIn() : 3600);
        credentials.store(token);
        installed.fire(new Installed(token.memberId, token.domain));
        Log.infof("Installed for portal %s (member %s)", token.domain, token.memberId);
        return Outcome.INSTALLED;
    }

    /**
     * The {@code auth[application_token]} inbound events and robot calls must carry: B24_APPLICATION_TOKEN, else the
     * one stored at installation; empty when neither is known.
     */
    public Optional<String> expectedApplicationToken() {
        return config.applicationToken().or(credentials::storedApplicationToken);
    }

    private static String missing(Request r) {
        StringBuilder what = new StringBuilder();
        if (blank(r.memberId())) {
            what.append("member_id ");
        }
        if (blank(r.accessToken())) {
            what.append("access token (auth[access_token] / AUTH_ID) ");
        }
        if (blank(r.refreshToken())) {
            what.append("refresh token (auth[refresh_token] / REFRESH_ID) ");
        }
        if (blank(r.clientEndpoint())) {
            what.append("REST endpoint (auth[client_endpoint] / DOMAIN) ");
        }
        return what.toString().trim();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
