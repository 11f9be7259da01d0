package ru.b24connector.ui;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import ru.b24connector.portal.PortalCredentials;
import ru.b24connector.web.PageHeaders;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Headers of the framed pages: a Content-Security-Policy whose {@code frame-ancestors} is the installed portal only,
 * no {@code X-Frame-Options} (it would blank the tab), nothing loaded from elsewhere, nothing cached.
 */
public class UiHeaders {

    private static final Duration REUSE = Duration.ofSeconds(30);

    private volatile String ancestors;
    private volatile Instant ancestorsUntil = Instant.EPOCH;

    @Inject
    PortalCredentials credentials;

    @Inject
    UiConfig config;

    @Inject
    Clock clock;

    @ServerResponseFilter
    public void headers(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/ui/") && !path.startsWith("/admin/ui/")) {
            return;
        }
        String script = "'self'" + config.bx24Script().map(u -> " " + origin(u)).orElse("");
        response.getHeaders().remove("X-Frame-Options");
        PageHeaders.apply(response.getHeaders(), "default-src 'none'; img-src 'self' data:; "
                + "style-src 'self'; script-src " + script + "; form-action 'self'; base-uri 'none'; "
                + "frame-ancestors " + ancestors());
    }

    /** {@code 'self'} and the installed portal's address (its domain over https, and its REST endpoint's origin). */
    private String ancestors() {
        Instant now = clock.instant();
        String known = ancestors;
        if (known != null && now.isBefore(ancestorsUntil)) {
            return known;
        }
        Set<String> sources = new LinkedHashSet<>();
        sources.add("'self'");
        credentials.installation().ifPresent(i -> {
            if (i.domain() != null && i.domain().matches("[A-Za-z0-9.-]+(:[0-9]+)?")) {
                sources.add("https://" + i.domain());
            }
            if (i.clientEndpoint() != null) {
                sources.add(origin(URI.create(i.clientEndpoint())));
            }
        });
        known = String.join(" ", sources);
        ancestors = known;
        ancestorsUntil = now.plus(REUSE);
        return known;
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    }
}
