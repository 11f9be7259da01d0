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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import ru.b24connector.events.InstallForm;
import ru.b24connector.events.PhpForm;
import ru.b24connector.portal.PortalInstallation;
import ru.b24connector.web.Problem;

import java.util.Map;

/** {@code POST /b24/install}: the local application's installation callback (OAuth mode). */
@Path("/b24/install")
@Tag(name = "Portal events")
public class InstallResource {

    @Inject
    PortalInstallation installation;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Store the tokens of a new installation and register handlers and robots")
    public RestResponse<?> install(@Context UriInfo uri, String body) {
        // an application with an interface gets DOMAIN, PROTOCOL, LANG, APP_SID in the query string (simple-way.md)
        PortalInstallation.Outcome outcome = installation.install(InstallForm.read(
                PhpForm.parse(uri.getRequestUri().getRawQuery()), PhpForm.parse(body)));
        return switch (outcome) {
            case INSTALLED -> RestResponse.ok(Map.of("status", "installed"));
            case INCOMPLETE -> Problem.of(400, "Bad Request", "installation refused: member_id, the tokens "
                    + "(auth[access_token] / AUTH_ID, auth[refresh_token] / REFRESH_ID) and the portal address "
                    + "(auth[client_endpoint] / DOMAIN) are required").toResponse();
            case NOT_OAUTH_MODE -> Problem.of(401, "Unauthorized",
                    "installation refused: the service is not in OAuth mode").toResponse();
            case UNTRUSTED -> Problem.of(401, "Unauthorized",
                    "installation refused: the application token differs from the trusted one").toResponse();
        };
    }
}
