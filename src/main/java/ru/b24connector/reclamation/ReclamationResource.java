package ru.b24connector.reclamation;

import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import ru.b24connector.web.Problem;


/** Dealer intake: {@code POST /api/v1/reclamations} and {@code GET /api/v1/reclamations/{id}}. */
@Path("/api/v1/reclamations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Dealer reclamations")
public class ReclamationResource {

    @Inject
    ReclamationService reclamations;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a claim; it is stored, then put into the CRM in the background")
    @APIResponse(responseCode = "202", description = "Accepted; follow statusUrl")
    @APIResponse(responseCode = "200", description = "A repeat (same Idempotency-Key or dealerClaimId): the first answer")
    @APIResponse(responseCode = "400", description = "Invalid: errors[] names each field and rule; nothing stored")
    @APIResponse(responseCode = "401", description = "Missing or unknown dealer token")
    public RestResponse<?> submit(@Context ContainerRequestContext context,
                                  @HeaderParam("Idempotency-Key") String idempotencyKey,
                                  @NotNull ReclamationRequest request) {
        ReclamationService.Accepted accepted = reclamations.accept(dealer(context), idempotencyKey, request);
        return accepted.repeat() ? RestResponse.ok(accepted.receipt()) : RestResponse.accepted(accepted.receipt());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Where a claim stands: accepted, in the CRM (deal, stage), decided")
    @APIResponse(responseCode = "200", description = "The claim's state")
    @APIResponse(responseCode = "404", description = "No such claim for this dealer token")
    public RestResponse<?> status(@Context ContainerRequestContext context, @RestPath long id) {
        return reclamations.status(dealer(context), id).<RestResponse<?>>map(RestResponse::ok)
                .orElseGet(() -> Problem.of(404, "Not found", "no reclamation " + id + " for this dealer").toResponse());
    }

    /** The dealer {@link IntakeTokenFilter} recognised (requests without a valid token never get here). */
    private static String dealer(ContainerRequestContext context) {
        return (String) context.getProperty(IntakeTokenFilter.DEALER);
    }
}
