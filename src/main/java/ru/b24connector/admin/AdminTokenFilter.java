package ru.b24connector.admin;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import ru.b24connector.console.ConsolePaths;
import ru.b24connector.web.Problem;

import java.util.Optional;

/** Every {@code /admin/...} call but the console's pages ({@link ConsolePaths}) needs {@code Authorization: Bearer <ADMIN_API_TOKEN>}. */
public class AdminTokenFilter {

    @Inject
    AdminAuth auth;

    @ServerRequestFilter
    public Optional<RestResponse<Problem>> checkAdminToken(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.equals("/admin") && !path.startsWith("/admin/")) {
            return Optional.empty();
        }
        if (ConsolePaths.isConsole(path)) {
            return Optional.empty(); // the console's HTML pages: its own session (ConsoleGate), not the bearer token
        }
        return auth.refusal(request.getHeaderString(HttpHeaders.AUTHORIZATION)).map(Problem::toResponse);
    }
}
