package ru.b24connector.escalation;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;


/** {@code GET /admin/overdue-tasks}: the overdue tracked tasks and their escalation level. */
@Path("/admin/overdue-tasks")
@Tag(name = "Admin")
@org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement(name = "adminToken")
public class OverdueTasksResource {

    @Inject
    OverdueTaskReport report;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Overdue tasks: responsible, deal, how late, escalation level reached")
    @APIResponse(responseCode = "200", description = "Overdue tasks, longest overdue first")
    @APIResponse(responseCode = "401", description = "Missing or wrong admin token (problem+json)")
    public Response list() {
        return Response.ok(report.overdue()).build(); // the admin token is checked by AdminTokenFilter
    }
}
