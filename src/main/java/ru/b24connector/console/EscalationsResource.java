package ru.b24connector.console;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import ru.b24connector.escalation.OverdueTaskReport;

/** The overdue tasks with their escalation level and how late they are. */
@Path("/admin/console/escalations")
@Tag(name = "Console")
@Produces(MediaType.TEXT_HTML)
public class EscalationsResource {

    @Inject
    OverdueTaskReport report;

    @Inject
    ConsolePages pages;

    @Inject
    @Location("console/escalations.html")
    Template escalations;

    @GET
    @Operation(summary = "Overdue tasks: level reached and lateness")
    public Response list() {
        return pages.ok(pages.page(escalations, "escalations").data("tasks", report.overdue()));
    }
}
