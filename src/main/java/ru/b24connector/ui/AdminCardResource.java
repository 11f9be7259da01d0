package ru.b24connector.ui;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;


/**
 * The reclamation card for administrators ({@code ADMIN_API_TOKEN}), read-only: in webhook mode the portal cannot
 * bind the tab, so this is where a card is seen. The deal is read with the service's own credentials.
 */
@Path("/admin/ui/deals")
@Tag(name = "Admin")
public class AdminCardResource {

    @Inject
    ReadOnlyCard card;

    @Inject
    UiPages pages;

    @GET
    @Path("/{dealId}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "A deal's reclamation card, read-only (Authorization: Bearer ADMIN_API_TOKEN)")
    public Response show(@PathParam("dealId") long dealId, @QueryParam("lang") String lang) {
        return pages.html(200, card.html(dealId, lang), null, null);
    }
}
