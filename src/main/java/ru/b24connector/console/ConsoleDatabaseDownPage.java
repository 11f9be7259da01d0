package ru.b24connector.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import ru.b24connector.web.DatabaseUnavailablePage;

/** The console's answer while the database is down: a short page (Russian and English) that reloads itself. */
@ApplicationScoped
public class ConsoleDatabaseDownPage implements DatabaseUnavailablePage {

    @Inject
    ConsolePages pages;

    @Inject
    ConsoleRequest current;

    @Inject
    @io.quarkus.qute.Location("console/message.html")
    io.quarkus.qute.Template message;

    @Override
    public boolean handles(String path) {
        return ConsolePaths.isConsole(path);
    }

    /** Russian first, then English (a browser that never chose a language still reads both). */
    private String message() {
        String russian = ru.b24connector.ui.Texts.of("ru").get("con.db.down");
        String english = ru.b24connector.ui.Texts.of("en").get("con.db.down");
        return "en".equals(current.texts().lang()) ? english + " / " + russian : russian + " / " + english;
    }

    @Override
    public Response render(int retryAfterSeconds) {
        return Response.fromResponse(pages.html(503, pages.page(message, null).data("status", 503)
                        .data("message", message()).data("back", null)
                        .data("refresh", retryAfterSeconds)))
                .header("Retry-After", String.valueOf(retryAfterSeconds)).build();
    }
}
