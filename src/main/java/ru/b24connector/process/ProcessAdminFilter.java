package ru.b24connector.process;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import ru.b24connector.admin.AdminConfig;
import ru.b24connector.web.Problem;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Admits {@code /admin/process/...} only with {@code Authorization: Bearer <ADMIN_API_TOKEN>} (compared in
 * constant time); without ADMIN_API_TOKEN every call is refused. Scoped to this feature's paths until the admin
 * API has one filter for all of {@code /admin}.
 */
class ProcessAdminFilter {

    // looked up per request: filters are built while Quarkus starts, before runtime config mappings exist
    @Inject
    Instance<AdminConfig> admin;

    @ServerRequestFilter
    Optional<RestResponse<Problem>> requireAdminToken(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.equals("/admin/process") && !path.startsWith("/admin/process/")) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        boolean ok = admin.get().apiToken().filter(t -> !t.isBlank()).map(expected -> MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))).orElse(false);
        if (ok) {
            return Optional.empty();
        }
        return Optional.of(RestResponse.ResponseBuilder.create(RestResponse.Status.UNAUTHORIZED,
                        Problem.of(401, "Unauthorized", "the admin API needs Authorization: Bearer <ADMIN_API_TOKEN>"))
                .type(Problem.MEDIA_TYPE).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build());
    }
}
