package ru.b24connector.console;

import io.quarkus.logging.Log;
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

/** Logging in to the console with {@code ADMIN_API_TOKEN}, and out. */
@Path("/admin")
@Tag(name = "Console")
@Produces(MediaType.TEXT_HTML)
public class LoginResource {

    @Inject
    ConsoleSessions sessions;

    @Inject
    LoginLimiter limiter;

    @Inject
    ConsoleRequest current;

    @Inject
    ConsolePages pages;

    @Inject
    @Location("console/login.html")
    Template login;

    @GET
    @Path("login")
    @Operation(summary = "The console's login form")
    public Response form() {
        if (current.session() != null) {
            return ConsolePages.seeOther("/admin");
        }
        return form(200, null);
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Log in to the console with ADMIN_API_TOKEN; sets the console's session cookie")
    public Response login(@RestForm String token, @RestForm String name) {
        if (!sessions.enabled()) {
            return form(403, "con.login.off");
        }
        long wait = limiter.blockedSeconds(current.address());
        if (wait > 0) {
            Log.warnf("Console login refused: too many failures from %s", current.address());
            return Response.fromResponse(form(429, "con.login.throttled")).header("Retry-After", wait).build();
        }
        if (!sessions.tokenMatches(token)) {
            limiter.failed(current.address());
            Log.warnf("Console login failed from %s", current.address());
            return form(401, "con.login.wrong");
        }
        String who = name == null || name.isBlank() ? "admin" : name.strip();
        ConsoleSession session = sessions.open(who.length() > 60 ? who.substring(0, 60) : who, current.address());
        Log.infof("Console login by %s from %s", session.who(), session.address());
        return Response.seeOther(java.net.URI.create("/admin")).cookie(sessions.cookie(session, current.https())).build();
    }

    @POST
    @Path("logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Log out of the console")
    public Response logout(@RestForm String csrf) {
        ConsoleSession session = pages.checkCsrf(csrf);
        Log.infof("Console logout by %s from %s", session.who(), session.address());
        return Response.seeOther(java.net.URI.create(ConsolePaths.LOGIN)).cookie(sessions.expired(current.https())).build();
    }

    private Response form(int status, String errorKey) {
        return pages.html(status, pages.page(login, null).data("error", errorKey == null ? null : pages.texts().get(errorKey))
                .data("enabled", sessions.enabled()));
    }
}
