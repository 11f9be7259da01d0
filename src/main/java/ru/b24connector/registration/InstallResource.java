package ru.b24connector.registration;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import ru.b24connector.events.PhpForm;
import ru.b24connector.web.Problem;

import java.util.Map;

/** {@code POST /b24/install}: the local application's installation callback (OAuth mode). */
@Path("/b24/install")
@Tag(name = "Portal events")
public class InstallResource {

    @Inject
    InstallService install;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Store the tokens of a new installation and register handlers and robots")
    public RestResponse<?> install(String body) {
        if (install.installFromEvent(PhpForm.parse(body))) {
            return RestResponse.ok(Map.of("status", "installed"));
        }
        return Problem.of(401, "Unauthorized",
                "installation refused: not in OAuth mode, tokens missing, or an untrusted application token").toResponse();
    }
}
