package ru.b24connector.admin;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import ru.b24connector.web.Problem;

import java.util.Optional;

/** Every {@code /admin/...} call needs {@code Authorization: Bearer <ADMIN_API_TOKEN>}. */
public class AdminTokenFilter {

    @Inject
    AdminAuth auth;

    @ServerRequestFilter
    public Optional<RestResponse<Problem>> checkAdminToken(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.equals("/admin") && !path.startsWith("/admin/")) {
            return Optional.empty();
        }
        return auth.refusal(request.getHeaderString(HttpHeaders.AUTHORIZATION)).map(Problem::toResponse);
    }
}
