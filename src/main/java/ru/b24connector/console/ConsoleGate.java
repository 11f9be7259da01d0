package ru.b24connector.console;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import ru.b24connector.web.PageHeaders;

import java.net.URI;

/**
 * The console's door: every console page but the login form needs a valid session (a page asked for without one
 * leads to the login form; anything else is refused with 401). Also the pages' headers: nothing loaded or framed
 * from elsewhere, nothing cached.
 */
public class ConsoleGate {

    static final String LANG_COOKIE = "b24c_console_lang";

    @Inject
    ConsoleSessions sessions;

    @Inject
    ConsoleRequest current;

    @Inject
    ConsolePages pages;

    @ServerRequestFilter
    public Response checkSession(ContainerRequestContext request, HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        if (!ConsolePaths.isConsole(path)) {
            return null;
        }
        String address = http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
        boolean https = "https".equalsIgnoreCase(request.getUriInfo().getRequestUri().getScheme());
        String lang = request.getUriInfo().getQueryParameters().getFirst("lang");
        Cookie langCookie = request.getCookies().get(LANG_COOKIE);
        String chosen = lang != null ? lang : langCookie != null ? langCookie.getValue() : null;
        Cookie cookie = request.getCookies().get(ConsoleSessions.COOKIE);
        ConsoleSession session = cookie == null ? null : sessions.decode(cookie.getValue()).orElse(null);
        current.found(session, address, ru.b24connector.ui.Texts.normalize(chosen), lang != null, https,
                HttpMethod.GET.equals(request.getMethod()) ? path : null);
        if (session != null || ConsolePaths.isOpen(path)) {
            return null;
        }
        if (HttpMethod.GET.equals(request.getMethod()) || HttpMethod.HEAD.equals(request.getMethod())) {
            return Response.seeOther(URI.create(ConsolePaths.LOGIN)).build();
        }
        return pages.refusal(401, current.texts().get("con.refused.session"));
    }

    @ServerResponseFilter
    public void headers(ContainerRequestContext request, ContainerResponseContext response) {
        if (!ConsolePaths.isConsole(request.getUriInfo().getPath())) {
            return;
        }
        PageHeaders.apply(response.getHeaders(), "default-src 'none'; img-src 'self' data:; style-src 'self'; "
                + "script-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
        response.getHeaders().putSingle("X-Frame-Options", "DENY");
        if (current.langChosen()) {
            response.getHeaders().add(HttpHeaders.SET_COOKIE, new NewCookie.Builder(LANG_COOKIE).value(current.lang())
                    .path("/admin").sameSite(NewCookie.SameSite.STRICT).secure(current.https())
                    .maxAge(365 * 24 * 3600).build());
        }
    }

    @ServerExceptionMapper
    public Response refused(ConsoleRefusal e) {
        return pages.refusal(e.status, e.getMessage());
    }
}
