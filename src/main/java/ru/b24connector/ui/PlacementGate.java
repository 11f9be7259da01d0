package ru.b24connector.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.portal.BatchResult;
import ru.b24connector.portal.PortalBatch;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalConfig;
import ru.b24connector.portal.PortalCredentials;
import ru.b24connector.portal.PortalException;
import ru.b24connector.security.Tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Trusts a frame request only after the portal confirmed it: the {@code member_id} must be the installed portal's,
 * an {@code APPLICATION_TOKEN} (when sent) the one stored at install, and {@code AUTH_ID} must work against the
 * installed portal's stored REST endpoint (never the {@code DOMAIN} the request names). One {@code batch} with the
 * user's own token reads who they are and whatever the page needs, with their rights.
 */
@ApplicationScoped
public class PlacementGate {

    private static final Set<String> AUTH_CODES = Set.of("NO_AUTH_FOUND", "INVALID_TOKEN", "EXPIRED_TOKEN",
            "INVALID_GRANT", "WRONG_AUTH_TYPE", "AUTHORIZATION_ERROR");

    private final TimedCache<PortalRead> byToken = new TimedCache<>(5_000);
    private final TimedCache<PortalCredentials.Installation> installation = new TimedCache<>(1);

    /** A reinstall is seen within this time; openings in between need no database read for it. */
    private static final java.time.Duration INSTALLATION_REUSE = java.time.Duration.ofSeconds(10);

    /** What one opening read from the portal with the user's token. */
    public record PortalRead(PortalUser user, BatchResult result) {
    }

    @Inject
    PortalCredentials credentials;

    @Inject
    PortalClient portal;

    @Inject
    PortalConfig portalConfig;

    @Inject
    UiConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    /** The installed portal, after checking the request's {@code member_id} and application token against it. */
    PortalCredentials.Installation checkInstallation(FrameRequest request) {
        PortalCredentials.Installation installed = installation.get("", clock).or(() -> {
            var current = credentials.installation();
            current.ifPresent(i -> installation.put("", i, INSTALLATION_REUSE, clock));
            return current;
        }).orElseThrow(() -> UiRefusal.unauthorized("no installed portal (OAuth mode, POST /b24/install)"));
        if (!Tokens.matches(request.memberId(), installed.memberId())) {
            throw UiRefusal.unauthorized("member_id is not the installed portal's");
        }
        // the token the portal's events carry: B24_APPLICATION_TOKEN, else the one stored at install
        String expected = portalConfig.applicationToken().orElse(installed.applicationToken());
        if (request.applicationToken() != null && !Tokens.matches(request.applicationToken(), expected)) {
            throw UiRefusal.unauthorized("APPLICATION_TOKEN differs from the one stored at install");
        }
        if (request.authId() == null || request.authExpires() <= 0) {
            throw UiRefusal.unauthorized("AUTH_ID or AUTH_EXPIRES missing");
        }
        return installed;
    }

    /**
     * Confirms the request and reads, in one batch with the user's token: who they are ({@code me}), whether they
     * are an administrator ({@code admin}), and the page's own commands. A repeat opening with the same token and
     * the same commands within {@code UI_CARD_CACHE} reuses the read.
     *
     * @param cacheKey what the page reads (e.g. {@code card:42}); part of the reuse key
     */
    public PortalRead open(FrameRequest request, String cacheKey, PortalBatch pageCommands) {
        PortalCredentials.Installation installed = checkInstallation(request);
        String key = installed.memberId() + "|" + sha256(request.authId()) + "|" + cacheKey;
        var cached = byToken.get(key, clock);
        if (cached.isPresent()) {
            return cached.get();
        }
        PortalBatch batch = PortalBatch.create().add("me", "user.current", Map.of()).add("admin", "user.admin", Map.of());
        pageCommands.commands().forEach(c -> batch.add(c.key(), c.method(), c.params()));
        BatchResult result;
        try {
            result = portal.batchAsUser(request.authId(), batch);
        } catch (PortalException.TokenExpired e) {
            throw UiRefusal.unauthorized("the frame token has expired");
        } catch (PortalException.Rejected e) {
            String code = e.code() == null ? "" : e.code().toUpperCase(Locale.ROOT);
            if (e.httpStatus() == 403 && !AUTH_CODES.contains(code)) {
                throw UiRefusal.forbidden("the portal refused the user: " + code);
            }
            throw UiRefusal.unauthorized("the portal did not accept the frame token: " + code);
        } catch (PortalException e) {
            Log.warnf("A frame opening could not reach the portal: %s", e.getMessage());
            throw new UiRefusal(503, "portal unavailable");
        }
        if (!result.succeeded("me") || result.result("me").path("ID").asLong() <= 0) {
            throw UiRefusal.unauthorized("user.current failed with the frame token");
        }
        JsonNode me = result.result("me");
        String name = (me.path("NAME").asText("") + " " + me.path("LAST_NAME").asText("")).trim();
        boolean admin = result.succeeded("admin") && result.result("admin").asBoolean(false);
        boolean head = result.succeeded("heads") && PortalClient.itemsOf(result.result("heads")).iterator().hasNext();
        PortalRead read = new PortalRead(new PortalUser(installed.memberId(), me.path("ID").asLong(),
                name.isEmpty() ? "#" + me.path("ID").asText() : name, admin, head), result);
        byToken.put(key, read, config.cardCache(), clock);
        return read;
    }

    /** Drops every cached read (tests; an administrator changing rights). */
    public void forget() {
        byToken.clear();
        installation.clear();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
