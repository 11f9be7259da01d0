package ru.b24connector.robots;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import ru.b24connector.web.Problem;

import java.util.Map;

/** {@code POST /b24/robots/{code}}: a robot call from an automation rule; stored, answered, run as a job. */
@Path("/b24/robots")
@Tag(name = "Portal robots")
public class RobotResource {

    @Inject
    RobotService robots;

    @POST
    @Path("{code}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a robot call (form-encoded); the result goes back with bizproc.event.send")
    @APIResponse(responseCode = "200", description = "Stored (or a repeat of a stored call)")
    @APIResponse(responseCode = "401", description = "auth[application_token] missing or wrong; nothing stored")
    @APIResponse(responseCode = "404", description = "No robot with this code")
    public RestResponse<?> call(@RestPath String code, String body) {
        RobotService.Outcome outcome = robots.accept(code, body);
        return switch (outcome) {
            case STORED, DUPLICATE -> RestResponse.ok(Map.of("status", outcome.name().toLowerCase(), "code", code));
            case UNKNOWN_ROBOT -> Problem.of(404, "Not found", "no robot with code '" + code + "'").toResponse();
            case FORGED -> Problem.of(401, "Unauthorized", "auth[application_token] is missing or wrong").toResponse();
            case MALFORMED -> Problem.invalid(java.util.List.of(new Problem.FieldError("event_token", "required",
                    "the robot call has no event_token"))).toResponse();
        };
    }
}
