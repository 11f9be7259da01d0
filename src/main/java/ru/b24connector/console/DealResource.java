package ru.b24connector.console;

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
import org.jboss.resteasy.reactive.RestPath;
import ru.b24connector.mail.DecisionMailService;
import ru.b24connector.ui.ReadOnlyCard;

/** A deal's reclamation card in the console (the card view of the {@code ui} package), and resending its decision. */
@Path("/admin/console/deals")
@Tag(name = "Console")
@Produces(MediaType.TEXT_HTML)
public class DealResource {

    @Inject
    ReadOnlyCard card;

    @Inject
    DecisionMailService mail;

    @Inject
    ConsolePages pages;

    @Inject
    ActionLog actions;

    @GET
    @Path("{dealId}")
    @Operation(summary = "A deal's reclamation card, read-only")
    public Response card(@RestPath long dealId) {
        if (dealId <= 0) {
            throw ConsoleRefusal.badRequest("dealId: must be a deal id");
        }
        return pages.rendered(card.html(dealId, pages.texts().lang(), "/admin/console/find?q=" + dealId));
    }

    @POST
    @Path("{dealId}/resend")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Send the deal's latest decision e-mail again")
    public Response resend(@RestPath long dealId, @RestForm String csrf) {
        ConsoleSession session = pages.checkCsrf(csrf);
        if (dealId <= 0) {
            throw ConsoleRefusal.badRequest("dealId: must be a deal id");
        }
        var request = mail.resendLatest(dealId, "console-resend:" + dealId + ":" + System.currentTimeMillis());
        actions.record(session, "resend", "deal:" + dealId,
                request.map(r -> "decision e-mail queued as outbox " + r.outboxId()).orElse("nothing to resend"));
        return ConsolePages.seeOther("/admin/console/find?q=" + dealId + "&notice=" + (request.isPresent() ? "sent" : "none"));
    }
}
