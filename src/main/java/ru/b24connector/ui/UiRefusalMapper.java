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
    public Response onRefusal(UiRefusal e) {
        Log.infof("Page refused with %d: %s", e.status(), e.getMessage());
        return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(refused.data("status", e.status()).render()).build();
    }
}
