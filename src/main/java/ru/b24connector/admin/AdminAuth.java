package ru.b24connector.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.security.Tokens;
import ru.b24connector.web.Problem;

import java.util.Optional;

/** Decides whether an {@code Authorization} header opens the admin API. */
@ApplicationScoped
public class AdminAuth {

    @Inject
    AdminConfig config;

    /** Empty when allowed; otherwise the problem to answer with (401 wrong/missing token, 403 API off). */
    public Optional<Problem> refusal(String authorization) {
        if (config.apiToken().isEmpty()) {
            return Optional.of(Problem.of(403, "Forbidden", "the admin API is off: ADMIN_API_TOKEN is not set"));
        }
        String presented = Tokens.bearer(authorization);
        if (presented == null || !Tokens.matches(presented, config.apiToken().get())) {
            return Optional.of(Problem.of(401, "Unauthorized", "a Bearer token (ADMIN_API_TOKEN) is required"));
        }
        return Optional.empty();
    }
}
