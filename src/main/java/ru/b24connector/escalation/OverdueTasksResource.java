package ru.b24connector.escalation;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import ru.b24connector.admin.AdminConfig;
import ru.b24connector.web.Problem;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** {@code GET /admin/overdue-tasks}: the overdue tracked tasks and their escalation level. */
@Path("/admin/overdue-tasks")
@Tag(name = "admin")
public class OverdueTasksResource {

    @Inject
    OverdueTaskReport report;

    @Inject
    AdminConfig admin;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Overdue tasks: responsible, deal, how late, escalation level reached")
    @APIResponse(responseCode = "200", description = "Overdue tasks, longest overdue first")
    @APIResponse(responseCode = "401", description = "Missing or wrong admin token (problem+json)")
    public Response list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (!authorized(authorization)) {
            return Response.status(401).type(Problem.MEDIA_TYPE).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .entity(Problem.of(401, "Unauthorized", "A valid admin token (Bearer) is required.")).build();
        }
        return Response.ok(report.overdue()).build();
    }

    private boolean authorized(String authorization) {
        if (admin.apiToken().isEmpty() || admin.apiToken().get().isBlank() || authorization == null
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // compare digests: constant time, and the length of the token does not leak either
        return MessageDigest.isEqual(sha256(authorization.substring(7).trim()), sha256(admin.apiToken().get()));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
