package ru.b24connector.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.NewCookie;
import ru.b24connector.admin.AdminConfig;
import ru.b24connector.security.SignedTokens;
import ru.b24connector.security.Tokens;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Console sessions: a signed token (HMAC-SHA256) in an HttpOnly, SameSite=Strict cookie on {@code /admin}, Secure
 * over HTTPS. The key is derived from {@code ADMIN_API_TOKEN}, so replicas share it and rotating the token ends
 * every session.
 */
@ApplicationScoped
public class ConsoleSessions {

    /** The cookie (separate from the framed pages' {@code b24c_session}). */
    public static final String COOKIE = "b24c_console";
    static final Duration LIFETIME = Duration.ofHours(8);

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final SecureRandom random = new SecureRandom();

    @Inject
    AdminConfig admin;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    /** Whether {@code token} is the admin token (false when none is configured). */
    boolean tokenMatches(String token) {
        return admin.apiToken().isPresent() && token != null && Tokens.matches(token, admin.apiToken().get());
    }

    boolean enabled() {
        return admin.apiToken().isPresent();
    }

    ConsoleSession open(String who, String address) {
        byte[] csrf = new byte[18];
        random.nextBytes(csrf);
        return new ConsoleSession(who, address, clock.instant().plus(LIFETIME).getEpochSecond(), B64.encodeToString(csrf));
    }

    String encode(ConsoleSession session) {
        return SignedTokens.encode(json, session, this::sign);
    }

    /** The session a cookie carries, if its signature holds and it has not expired. */
    Optional<ConsoleSession> decode(String token) {
        if (!enabled()) {
            return Optional.empty();
        }
        return SignedTokens.decode(json, token, ConsoleSession.class, this::sign)
                .filter(s -> s.expiresAt() > clock.instant().getEpochSecond());
    }

    NewCookie cookie(ConsoleSession session, boolean https) {
        return build(encode(session), https, (int) LIFETIME.toSeconds());
    }

    /** Ends the session in the browser. */
    NewCookie expired(boolean https) {
        return build("", https, 0);
    }

    private static NewCookie build(String value, boolean https, int maxAge) {
        return new NewCookie.Builder(COOKIE).value(value).path("/admin").httpOnly(true).secure(https)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(maxAge).build();
    }

    private String sign(String payload) {
        try {
            byte[] key = MessageDigest.getInstance("SHA-256")
                    .digest(("b24c-console:" + admin.apiToken().orElseThrow()).getBytes(StandardCharsets.UTF_8));
            return SignedTokens.hmac(key, payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
