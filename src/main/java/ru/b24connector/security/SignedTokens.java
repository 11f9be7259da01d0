package ru.b24connector.security;

import com.fasterxml.jackson.databind.ObjectMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Tokens that carry a JSON value and its signature, {@code base64url(json).signature} (page and console sessions);
 * the caller signs (an HMAC with its own key) and checks expiry.
 */
public final class SignedTokens {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final int MAX_LENGTH = 4096;

    private SignedTokens() {
    }

    public static String encode(ObjectMapper json, Object value, UnaryOperator<String> sign) {
        try {
            String payload = B64.encodeToString(json.writeValueAsBytes(value));
            return payload + "." + sign.apply(payload);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value a token carries when its signature holds; empty for anything else (never an exception). */
    public static <T> Optional<T> decode(ObjectMapper json, String token, Class<T> type, UnaryOperator<String> sign) {
        if (token == null || token.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || !Tokens.matches(token.substring(dot + 1), sign.apply(token.substring(0, dot)))) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(B64D.decode(token.substring(0, dot)), type));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** HMAC-SHA256 of {@code payload} under {@code key}, base64url. */
    public static String hmac(byte[] key, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return B64.encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
