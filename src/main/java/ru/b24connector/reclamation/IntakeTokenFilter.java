package ru.b24connector.reclamation;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import ru.b24connector.security.Tokens;
import ru.b24connector.web.Problem;

import java.util.Optional;

/**
 * Checks the dealer token before the body is read, so a stranger gets 401 and never sees how the service
 * validates claims.
 */
public class IntakeTokenFilter {

    /** Where the resource finds the dealer the filter recognised. */
    static final String DEALER = "b24connector.dealer";

    @Inject
    ReclamationService reclamations;

    @ServerRequestFilter(preMatching = false)
    public Optional<RestResponse<Problem>> checkDealerToken(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/api/v1/reclamations")) {
            return Optional.empty();
        }
        Optional<String> dealer = reclamations.dealerOf(Tokens.bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION)));
        if (dealer.isEmpty()) {
            return Optional.of(Problem.of(401, "Unauthorized",
                    "a dealer token is required: Authorization: Bearer <token>").toResponse());
        }
        request.setProperty(DEALER, dealer.get());
        return Optional.empty();
    }
}
