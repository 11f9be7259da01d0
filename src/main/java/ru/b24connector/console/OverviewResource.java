package ru.b24connector.console;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import ru.b24connector.registration.HandlerRegistrar;

/** The console's overview (refreshing every few seconds), the list of recent actions, and re-registration. */
@Path("/admin")
@Tag(name = "Console")
@Produces(MediaType.TEXT_HTML)
public class OverviewResource {

    /** Seconds between the overview's reloads. */
    static final int REFRESH_SECONDS = 5;

    @Inject
    OverviewData data;

    @Inject
    ConsolePages pages;

    @Inject
    ActionLog actions;

    @Inject
    HandlerRegistrar registrar;

    @Inject
    @Location("console/overview.html")
    Template overview;

    @Inject
    @Location("console/actions.html")
    Template actionList;

    @GET
    @Operation(summary = "The operations console's overview (a console session; otherwise the login form)")
    public Response overview() {
        return pages.ok(pages.page(overview, "overview").data("o", data.build()).data("refresh", REFRESH_SECONDS));
    }

    @GET
    @Path("console")
    public Response overviewAlias() {
        return ConsolePages.seeOther("/admin");
    }

    @GET
    @Path("console/actions")
    @Operation(summary = "The console's recent actions: who, when, what, outcome")
    public Response actions() {
        return pages.ok(pages.page(actionList, "actions").data("actions", actions.recent(null, 200)));
    }

    @POST
    @Path("console/registration")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Reconcile event bindings, robots and placements with the portal now")
    public Response register(@RestForm String csrf) {
        ConsoleSession session = pages.checkCsrf(csrf);
        String outcome;
        try {
            HandlerRegistrar.Report report = registrar.reconcile();
            outcome = report.mode() + ": " + (report.changes().isEmpty() ? "no changes" : String.join(", ", report.changes()));
        } catch (RuntimeException e) { // the portal refused or is away: the outcome says so, the page stays
            outcome = "failed: " + e.getClass().getSimpleName() + ": " + Redaction.text(e.getMessage());
        }
        actions.record(session, "re-register", "registration", outcome);
        return ConsolePages.seeOther("/admin#registration");
    }
}
