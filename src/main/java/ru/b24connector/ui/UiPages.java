package ru.b24connector.ui;

import io.quarkus.qute.TemplateData;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import ru.b24connector.security.Tokens;

import java.net.URI;
import java.util.Optional;

/** What every page shares: finding the session, checking CSRF tokens and nonces, answering with HTML. */
@ApplicationScoped
public class UiPages {

    /** The hidden fields of a page's forms. */
    @TemplateData
    public record Form(String session, String csrf) {
    }

    @Inject
    UiSessions sessions;

    @Inject
    UiConfig config;

    /** The session of a request: the form's field first (frames that refuse cookies), else the cookie. */
    UiSession session(String formToken, String cookieToken) {
        Optional<UiSession> session = sessions.decode(formToken);
        if (session.isEmpty()) {
            session = sessions.decode(cookieToken);
        }
        return session.orElseThrow(() -> UiRefusal.unauthorized("no valid page session"));
    }

    /** A state change must carry the session's CSRF token and a fresh one-time nonce. */
    void checkChange(UiSession session, String csrf, String nonce) {
        if (!Tokens.matches(csrf, session.csrf())) {
            throw UiRefusal.forbidden("CSRF token missing or wrong");
        }
        if (nonce == null || !nonce.matches("[A-Za-z0-9_-]{16,64}")) {
            throw UiRefusal.badRequest("nonce missing or malformed");
        }
    }

    Form form(UiSession session) {
        return new Form(sessions.encode(session), session.csrf());
    }

    String nonce() {
        return sessions.randomToken();
    }

    /** The BX24 library's URL when configured (it only resizes the frame), else null. */
    String bx24() {
        return config.bx24Script().map(URI::toString).orElse(null);
    }

    /** The page, with the session's cookie when there is one ({@code form}: the page's hidden fields). */
    Response html(int status, String body, UiSession session, Form form) {
        Response.ResponseBuilder r = Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(body);
        if (session != null) {
            r.cookie(sessions.cookie(session, form.session()));
        }
        return r.build();
    }
}
