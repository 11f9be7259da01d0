package ru.b24connector.ui;

import io.quarkus.logging.Log;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A refused page gets a plain page with its status and nothing else: no deal, no user, no reason. */
public class UiRefusalMapper {

    @Inject
    @Location("ui/refused.html")
    Template refused;

    @ServerExceptionMapper
    public Response onRefusal(UiRefusal e, jakarta.ws.rs.core.HttpHeaders headers) {
        Log.infof("Page refused with %d: %s", e.status(), e.getMessage());
        if (e.status() == 400 && !asksForHtml(headers)) {
            // bad input from a script or a tool (a CSV export, curl): the field and the rule, as the JSON APIs do;
            // a 400's reason names only the input, never a deal or a user
            return Response.status(400).type(ru.b24connector.web.Problem.MEDIA_TYPE)
                    .entity(ru.b24connector.web.Problem.invalid(java.util.List.of(fieldError(e.getMessage())))).build();
        }
        return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(refused.data("status", e.status()).render()).build();
    }

    private static boolean asksForHtml(jakarta.ws.rs.core.HttpHeaders headers) {
        return headers.getAcceptableMediaTypes().stream().anyMatch(m -> "text".equals(m.getType())
                && "html".equals(m.getSubtype()));
    }

    /** "days must be one of [30, 7, 90, 365]": the field is the first word, the rule the rest. */
    static ru.b24connector.web.Problem.FieldError fieldError(String reason) {
        String text = reason == null ? "request" : reason.trim();
        int space = text.indexOf(' ');
        String field = (space < 0 ? text : text.substring(0, space)).replaceAll(":$", "");
        String rule = space < 0 ? "invalid" : text.substring(space + 1);
        return new ru.b24connector.web.Problem.FieldError(field, rule, rule);
    }
}
