package ru.b24connector.console;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import ru.b24connector.security.Tokens;
import ru.b24connector.ui.Texts;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** What every console page shares: the layout's data, CSRF checks, times, answering with HTML. */
@ApplicationScoped
public class ConsolePages {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss");

    @Inject
    ConsoleRequest current;

    @Inject
    ru.b24connector.ui.Formats formats;

    @Inject
    @Location("console/message.html")
    Template message;

    /** Each tab's page, where a language link leads after a POST. */
    private static final java.util.Map<String, String> TABS = java.util.Map.of("overview", "/admin", "jobs",
            "/admin/console/jobs", "find", "/admin/console/find", "escalations", "/admin/console/escalations",
            "onec", "/admin/console/1c", "process", "/admin/console/process", "actions", "/admin/console/actions");

    /** {@code template} with the layout's data: words, the session's CSRF token and name, the active tab. */
    TemplateInstance page(Template template, String active) {
        ConsoleSession session = current.session();
        String here = current.getPath() != null ? current.getPath() : active == null ? "/admin" : TABS.getOrDefault(active, "/admin");
        return template.data("t", current.texts()).data("active", active)
                .data("csrf", session == null ? "" : session.csrf())
                .data("who", session == null ? null : session.who())
                .data("fmt", this).data("refresh", null).data("here", here);
    }

    Response html(int status, TemplateInstance page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page.render()).build();
    }

    /** A page rendered elsewhere (the card of the {@code ui} package). */
    Response rendered(String html) {
        return Response.ok(html).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }

    Response ok(TemplateInstance page) {
        return html(200, page);
    }

    /** A short page saying why the request was refused. */
    Response refusal(int status, String text) {
        return html(status, page(message, null).data("status", status).data("message", text).data("back", null));
    }

    /** After a state change: show the page again (POST-redirect-GET, so a reload repeats nothing). */
    static Response seeOther(String path) {
        return Response.seeOther(URI.create(path)).build();
    }

    /** A state change must carry the session's CSRF token. */
    ConsoleSession checkCsrf(String csrf) {
        ConsoleSession session = current.session();
        if (session == null || csrf == null || !Tokens.matches(csrf, session.csrf())) {
            throw new ConsoleRefusal(403, current.texts().get("con.refused.csrf"));
        }
        return session;
    }

    Texts texts() {
        return current.texts();
    }

    /** Date and time in the portal's time zone, to the second. */
    public String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant.atZone(zone()));
    }

    /** "3 d 4 h", "12 m", or seconds below a minute. */
    public String age(Instant since) {
        if (since == null) {
            return "";
        }
        Duration d = Duration.between(since, Instant.now());
        return d.toMinutes() < 1 ? Math.max(0, d.toSeconds()) + " " + texts().get("unit.s")
                : ru.b24connector.ui.Formats.duration(d, texts());
    }

    /** "12.5" — seconds with one decimal. */
    public String seconds(double value) {
        return String.format(java.util.Locale.ROOT, "%.1f", value);
    }

    private ZoneId zone() {
        return formats.zone();
    }
}
