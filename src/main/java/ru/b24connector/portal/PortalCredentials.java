package ru.b24connector.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where calls go and with which token: the webhook URL (webhook mode), or the installed application's OAuth
 * tokens from the database, refreshed shortly before they expire and after {@code expired_token}. A refresh is
 * single-flight: in this JVM behind a lock, across replicas behind a row lock, because every refresh rotates the
 * refresh token and a second refresh with the old one would fail.
 */
@ApplicationScoped
public class PortalCredentials {

    /** Refresh this long before the portal would refuse the token. */
    private static final Duration REFRESH_AHEAD = Duration.ofMinutes(5);

    /** What a call needs: base URL, and the access token in OAuth mode (null in webhook mode). */
    public record Access(String base, String accessToken) {
        @Override
        public String toString() {
            return "Access[hidden]";
        }
    }

    private record Snapshot(String base, String accessToken, Instant expiresAt) {
    }

    private final Object refreshLock = new Object();
    private volatile Snapshot cached;

    @Inject
    PortalConfig config;

    @Inject
    PortalTokenRepository tokens;

    @Inject
    @RestClient
    PortalRestClient rest;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    /** True in local-application (OAuth) mode: B24_CLIENT_ID is set. */
    public boolean oauthMode() {
        return config.clientId().isPresent();
    }

    /** True when calls can be made: a webhook URL, or an installed OAuth application. */
    public boolean configured() {
        return oauthMode() ? cached != null || tokens.findCurrent().isPresent() : config.webhookUrl().isPresent();
    }

    /** Credentials for the next call; refreshes an OAuth token that is about to expire. */
    public Access current(String method) {
        if (!oauthMode()) {
            String url = config.webhookUrl().orElseThrow(() -> new PortalException.NotConfigured(method,
                    "set B24_WEBHOOK_URL, or B24_CLIENT_ID and B24_CLIENT_SECRET"));
            return new Access(url.endsWith("/") ? url : url + "/", null);
        }
        Snapshot token = cached;
        if (token == null) {
            token = load(method);
        }
        if (token.expiresAt() != null && token.expiresAt().minus(REFRESH_AHEAD).isBefore(clock.instant())) {
            refresh(token.accessToken(), method);
            token = cached;
        }
        return new Access(token.base(), token.accessToken());
    }

    /** The portal said {@code expired_token} for {@code staleAccessToken}: refresh once, however many callers saw it. */
    void refreshAfterExpiry(String staleAccessToken, String method) {
        refresh(staleAccessToken, method);
    }

    /** Stores tokens received at installation ({@code POST /b24/install}, {@code ONAPPINSTALL}). */
    public void store(PortalToken received) {
        received.updatedAt = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> {
            PortalToken row = tokens.findById(received.memberId);
            if (row == null) {
                tokens.persist(received);
            } else {
                row.domain = received.domain;
                row.clientEndpoint = received.clientEndpoint;
                row.accessToken = received.accessToken;
                row.refreshToken = received.refreshToken;
                row.expiresAt = received.expiresAt;
                row.serverEndpoint = Optional.ofNullable(received.serverEndpoint).orElse(row.serverEndpoint);
                row.applicationToken = Optional.ofNullable(received.applicationToken).orElse(row.applicationToken);
                row.updatedAt = received.updatedAt;
            }
        });
        cached = new Snapshot(received.clientEndpoint, received.accessToken, received.expiresAt);
    }

    /** The installed portal (OAuth mode): its id, domain, REST endpoint and the application token it sent. */
    public record Installation(String memberId, String domain, String clientEndpoint, String applicationToken) {
        @Override
        public String toString() {
            return "Installation[" + memberId + ", " + domain + "]";
        }
    }

    /** The installation, if the local application is installed (OAuth mode only). */
    public Optional<Installation> installation() {
        if (!oauthMode()) {
            return Optional.empty();
        }
        return QuarkusTransaction.requiringNew().call(() -> tokens.findCurrent()
                .map(t -> new Installation(t.memberId, t.domain, t.clientEndpoint, t.applicationToken)));
    }

    /** The application token stored at installation, if any. */
    public Optional<String> storedApplicationToken() {
        return QuarkusTransaction.requiringNew().call(() -> tokens.findCurrent().map(t -> t.applicationToken));
    }

    private Snapshot load(String method) {
        PortalToken row = QuarkusTransaction.requiringNew().call(() -> tokens.findCurrent().orElse(null));
        if (row == null) {
            throw new PortalException.NotConfigured(method,
                    "the local application is not installed yet (no tokens from POST /b24/install)");
        }
        Snapshot snapshot = new Snapshot(row.clientEndpoint, row.accessToken, row.expiresAt);
        cached = snapshot;
        return snapshot;
    }

    private void refresh(String staleAccessToken, String method) {
        synchronized (refreshLock) {
            Snapshot now = cached;
            if (now != null && !Objects.equals(now.accessToken(), staleAccessToken) && fresh(now.expiresAt())) {
                return; // another caller in this JVM refreshed while we waited for the lock
            }
            // the HTTP call runs inside the transaction on purpose: the row lock is what keeps a second replica
            // from spending the same refresh token
            cached = QuarkusTransaction.requiringNew().call(() -> {
                PortalToken row = tokens.lockCurrent().orElseThrow(() -> new PortalException.NotConfigured(method,
                        "the local application is not installed yet"));
                if (!Objects.equals(row.accessToken, staleAccessToken) && fresh(row.expiresAt)) {
                    return new Snapshot(row.clientEndpoint, row.accessToken, row.expiresAt); // another replica did it
                }
                JsonNode answer = requestRefresh(tokenUrl(config.oauthUrl(), row.serverEndpoint), row.refreshToken);
                row.accessToken = answer.path("access_token").asText();
                row.refreshToken = answer.path("refresh_token").asText(row.refreshToken);
                row.expiresAt = clock.instant().plusSeconds(answer.path("expires_in").asLong(3600));
                if (answer.hasNonNull("client_endpoint")) {
                    row.clientEndpoint = answer.path("client_endpoint").asText();
                }
                if (answer.hasNonNull("server_endpoint")) {
                    row.serverEndpoint = answer.path("server_endpoint").asText();
                }
                row.updatedAt = clock.instant();
                Log.infof("Refreshed the portal access token of %s; valid until %s", row.memberId, row.expiresAt);
                return new Snapshot(row.clientEndpoint, row.accessToken, row.expiresAt);
            });
        }
    }

    private boolean fresh(Instant expiresAt) {
        return expiresAt == null || expiresAt.minus(REFRESH_AHEAD).isAfter(clock.instant());
    }

    /** Used when neither B24_OAUTH_URL nor the installation names the authorization server. */
    static final URI DEFAULT_TOKEN_URL = URI.create("https://oauth.bitrix.info/oauth/token/");

    /**
     * Where a refresh goes: B24_OAUTH_URL if set, else the token endpoint of the authorization server the portal
     * named ({@code server_endpoint} is its REST address, {@code https://oauth.bitrix24.tech/rest/}; the token
     * endpoint is {@code /oauth/token/} on the same host, auto-renewal.md), else the default.
     */
    static URI tokenUrl(Optional<URI> override, String serverEndpoint) {
        if (override.isPresent()) {
            return override.get();
        }
        if (serverEndpoint == null || serverEndpoint.isBlank()) {
            return DEFAULT_TOKEN_URL;
        }
        try {
            URI server = URI.create(serverEndpoint.trim());
            if (server.getScheme() == null || server.getHost() == null) {
                throw new IllegalArgumentException("not an absolute URL");
            }
            return server.resolve("/oauth/token/");
        } catch (IllegalArgumentException e) {
            Log.warnf("The installation's server_endpoint is not a URL (%s); refreshing at %s", e.getMessage(),
                    DEFAULT_TOKEN_URL);
            return DEFAULT_TOKEN_URL;
        }
    }

    private JsonNode requestRefresh(URI tokenUrl, String refreshToken) {
        String clientSecret = config.clientSecret().orElse("");
        try (Response response = rest.refresh(tokenUrl.toString(), "refresh_token",
                config.clientId().orElse(""), clientSecret, refreshToken)) {
            String body = response.readEntity(String.class);
            JsonNode answer;
            try {
                answer = json.readTree(body);
            } catch (IOException e) {
                throw new PortalException.Unavailable("oauth.token", "HTTP_" + response.getStatus(),
                        response.getStatus(), "OAuth server answer is not JSON", false);
            }
            if (answer.hasNonNull("error") || !answer.hasNonNull("access_token")) {
                // invalid_grant: the refresh token is dead; only a reinstall of the application helps
                throw new PortalException.Rejected("oauth.token", answer.path("error").asText("no access_token"),
                        response.getStatus(), answer.path("error_description").asText(""));
            }
            return answer;
        } catch (ProcessingException e) {
            throw new PortalException.Unavailable("oauth.token", "CONNECTION_FAILED", 0,
                    "OAuth server unreachable", false);
        }
    }
}
