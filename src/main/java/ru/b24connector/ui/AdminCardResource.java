package ru.b24connector.ui;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
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
import ru.b24connector.portal.BatchResult;
import ru.b24connector.portal.PortalBatch;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalException;

import java.util.Map;
import java.util.Optional;

/**
 * The reclamation card for administrators ({@code ADMIN_API_TOKEN}), read-only: in webhook mode the portal cannot
 * bind the tab, so this is where a card is seen. The deal is read with the service's own credentials.
 */
@Path("/admin/ui/deals")
@Tag(name = "Admin")
public class AdminCardResource {

    @Inject
    PortalClient portal;

    @Inject
    CardPage cards;

    @Inject
    UiPages pages;

    @Inject
    @Location("ui/card.html")
    Template card;

    @GET
    @Path("/{dealId}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "A deal's reclamation card, read-only (Authorization: Bearer ADMIN_API_TOKEN)")
    public Response show(@PathParam("dealId") long dealId, @QueryParam("lang") String lang) {
        Optional<BatchResult> read;
        try {
            read = Optional.of(portal.batch(PortalBatch.create()
                    .add("deal", "crm.deal.get", Map.of("id", dealId))
                    .add("users", "user.get", Map.of("FILTER", Map.of("ACTIVE", true)))
                    .add("rows", "crm.deal.productrows.get", Map.of("id", dealId))));
        } catch (PortalException e) {
            read = Optional.empty(); // the service's own story is shown without the portal's part
        }
        Texts t = Texts.of(lang);
        String html = card.data("t", t).data("card", cards.build(dealId, read, t)).data("form", null)
                .data("askNonce", null).data("reassignNonce", null).data("resendNonce", null).data("notice", null)
                .data("readonly", true).data("bx24", null).data("user", null).render();
        return pages.html(200, html, null, null);
    }
}
