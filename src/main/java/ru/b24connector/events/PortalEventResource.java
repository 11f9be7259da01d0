package ru.b24connector.events;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import ru.b24connector.web.Problem;


/**
 * {@code POST /b24/events}: the portal's event handler. Stores the event, answers once it is committed; work runs
 * as jobs. Runs on the event loop: the request waits for the inbox's group commit without holding a thread.
 */
@Path("/b24/events")
@Tag(name = "Portal events")
public class PortalEventResource {

    @Inject
    PortalEventService events;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a portal event (form-encoded, PHP-style arrays)")
    @APIResponse(responseCode = "200", description = "Stored (or a repeat of a stored event)")
    @APIResponse(responseCode = "400", description = "No event code")
    @APIResponse(responseCode = "401", description = "auth[application_token] missing or wrong; nothing stored")
    public Uni<RestResponse<?>> receive(String body) {
        return events.accept(body).map(PortalEventResource::answer);
    }

    private static RestResponse<?> answer(PortalEventService.Outcome outcome) {
        return switch (outcome.status()) {
            // written by hand: the portal posts thousands of these a second, and a Jackson round per answer shows
            case STORED, DUPLICATE, IGNORED -> RestResponse.ok("{\"status\":\"" + outcome.status().name().toLowerCase()
                    + "\",\"event\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(outcome.event()))
                    + "\"}", MediaType.APPLICATION_JSON_TYPE);
            case FORGED -> Problem.of(401, "Unauthorized", "auth[application_token] is missing or wrong").toResponse();
            case MALFORMED -> Problem.invalid(java.util.List.of(new Problem.FieldError("event", "required",
                    "the event code is missing"))).toResponse();
        };
    }
}
