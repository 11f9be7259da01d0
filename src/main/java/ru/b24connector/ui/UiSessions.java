package ru.b24connector.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.NewCookie;
import ru.b24connector.portal.PortalConfig;
import ru.b24connector.security.SignedTokens;
import ru.b24connector.security.Tokens;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

/**
 * Issues and checks page sessions: a signed token (HMAC-SHA256) carried in an HttpOnly, Secure, SameSite=None
 * cookie, and in the pages' forms for browsers that refuse cookies in a frame. Also signs photo links.
 */
@ApplicationScoped
public class UiSessions {

    /** Cookie and form field name. */
    public static final String NAME = "b24c_session";

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final SecureRandom random = new SecureRandom();
    private final ThreadLocal<Mac> macs = new ThreadLocal<>();
    private volatile byte[] key;

    @Inject
    UiConfig config;

    @Inject
    PortalConfig portal;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    /** Opens a session for the user, bound to the deal (0: the board), ending with the frame token at the latest. */
    public UiSession open(PortalUser user, long dealId, String lang, long tokenSeconds) {
        long ttl = Math.min(config.sessionTtl().toSeconds(), tokenSeconds > 0 ? tokenSeconds : 3600);
        return new UiSession(user.memberId(), user.id(), user.name(), user.admin(), user.head(), dealId, lang,
                clock.instant().getEpochSecond() + ttl, randomToken());
    }

    /** The signed token of a session. */
    public String encode(UiSession session) {
        return SignedTokens.encode(json, session, this::sign);
    }

    /** The session a token carries, if its signature holds and it has not expired. */
    public Optional<UiSession> decode(String token) {
        return SignedTokens.decode(json, token, UiSession.class, this::sign)
                .filter(session -> session.expiresAt() > clock.instant().getEpochSecond());
    }

    /** The cookie that carries the session ({@code token}: its {@link #encode encoded} form): HttpOnly, Secure, SameSite=None (the page lives in the portal's frame). */
    public NewCookie cookie(UiSession session, String token) {
        long maxAge = session.expiresAt() - clock.instant().getEpochSecond();
        return new NewCookie.Builder(NAME).value(token).path("/ui").httpOnly(true).secure(true)
                .sameSite(NewCookie.SameSite.NONE).maxAge((int) Math.max(0, maxAge)).build();
    }

    /** Signature of a photo link, valid until {@code expires} (epoch seconds). */
    public String signLink(String path, long expires) {
        return sign(path + "|" + expires);
    }

    public boolean linkValid(String path, long expires, String signature) {
        return expires > clock.instant().getEpochSecond() && Tokens.matches(signature, signLink(path, expires));
    }

    /** A fresh random token (CSRF tokens, form nonces). */
    public String randomToken() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }

    private String sign(String payload) {
        try {
            Mac mac = macs.get();
            if (mac == null) {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key(), "HmacSHA256"));
                macs.set(mac);
            }
            return B64.encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] key() {
        byte[] k = key;
        if (k == null) {
            Optional<String> secret = config.sessionSecret().or(() -> portal.clientSecret().map(s -> "ui-session:" + s));
            if (secret.isPresent()) {
                k = secret.get().getBytes(StandardCharsets.UTF_8);
            } else {
                k = new byte[32];
                random.nextBytes(k);
            }
            key = k;
        }
        return k;
    }
}
