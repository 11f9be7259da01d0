package ru.b24connector.onec;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import ru.b24connector.security.Tokens;
import ru.b24connector.web.Problem;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Checks {@code ONEC_API_TOKEN} on the 1C endpoints before the body is read: as the password of HTTP Basic (what
 * 1C's {@code HTTPСоединение} sends from its user and password; any user name) or as a Bearer token. Without
 * credentials the answer carries a Basic challenge, since 1C may send its credentials only after one.
 */
public class OneCTokenFilter {

    static final String PREFIX = "/api/v1/1c/";

    @Inject
    OneCConfig config;

    @ServerRequestFilter(preMatching = false)
    public Optional<RestResponse<Problem>> checkToken(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith(PREFIX)) {
            return Optional.empty();
        }
        Optional<String> expected = config.apiToken().filter(t -> !t.isBlank());
        String presented = presented(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (expected.isPresent() && Tokens.matches(presented, expected.get())) {
            return Optional.empty();
        }
        String detail = expected.isEmpty() ? "the 1C exchange is off: ONEC_API_TOKEN is not set"
                : "the 1C token is required: HTTP Basic with the token as password, or Authorization: Bearer <token>";
        return Optional.of(RestResponse.ResponseBuilder.<Problem>create(401)
                .entity(Problem.of(401, "Unauthorized", detail)).type(MediaType.valueOf(Problem.MEDIA_TYPE))
                .header("WWW-Authenticate", "Basic realm=\"b24-connector\", charset=\"UTF-8\"").build());
    }

    /** The token of a Bearer header, or the password of a Basic one; null otherwise. */
    static String presented(String authorization) {
        String bearer = Tokens.bearer(authorization);
        if (bearer != null) {
            return bearer;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon < 0 ? null : pair.substring(colon + 1);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }
}
