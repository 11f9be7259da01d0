package ru.b24connector.console;

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
import org.jboss.resteasy.reactive.RestQuery;
import ru.b24connector.onec.OneCExchange;
import ru.b24connector.onec.OneCExchangeQueries;
import ru.b24connector.onec.OneCODataClient;
import ru.b24connector.onec.OneCPull;
import ru.b24connector.onec.OneCPullProgress;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The 1C exchange log with filters, the pull's watermarks and progress, and "pull now". */
@Path("/admin/console/1c")
@Tag(name = "Console")
@Produces(MediaType.TEXT_HTML)
public class OneCResource {

    private static final int LIMIT = 200;

    @Inject
    org.eclipse.microprofile.context.ManagedExecutor background;

    @Inject
    OneCExchangeQueries log;

    @Inject
    OneCPull pull;

    @Inject
    OneCPullProgress progress;

    @Inject
    OneCODataClient odata;

    @Inject
    ConsolePages pages;

    @Inject
    ActionLog actions;

    @Inject
    @Location("console/onec.html")
    Template page;

    /** A log line as the page shows it (the record itself stays out: it holds personal data). */
    public record Entry(long id, String direction, String kind, String ref, String number, String status, Long dealId,
                        String error, String at) {
    }

    @GET
    @Operation(summary = "The 1C exchange log (by ref, status, direction), watermarks and the pull's progress")
    public Response show(@RestQuery String ref, @RestQuery String status, @RestQuery String direction) {
        OneCExchange.Status s = ConsoleRefusal.enumParam(OneCExchange.Status.class, "status", status);
        OneCExchange.Direction d = ConsoleRefusal.enumParam(OneCExchange.Direction.class, "direction", direction);
        String r = ref == null || ref.isBlank() ? null : ref.strip().toLowerCase(Locale.ROOT);
        List<Entry> entries = log.list(r, s, d, LIMIT).stream().map(e -> new Entry(e.id, e.direction.name(), e.kind.name(),
                e.ref, e.number, e.status.name(), e.dealId, Redaction.text(e.error), pages.time(e.createdAt))).toList();
        return pages.ok(pages.page(page, "onec").data("entries", entries).data("configured", odata.configured())
                .data("sets", Redaction.values(progress.views())).data("watermarks", Redaction.values(pull.watermarks()))
                .data("ref", r == null ? "" : r).data("status", s == null ? "" : s.name())
                .data("direction", d == null ? "" : d.name())
                .data("statuses", Arrays.stream(OneCExchange.Status.values()).map(Enum::name).toList())
                .data("directions", Arrays.stream(OneCExchange.Direction.values()).map(Enum::name).toList()));
    }

    @POST
    @Path("pull")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Pull from 1C now")
    public Response pullNow(@RestForm String csrf) {
        ConsoleSession session = pages.checkCsrf(csrf);
        if (!odata.configured()) {
            actions.record(session, "pull-now", "1c", "refused: ONEC_ODATA_URL is not set");
            throw new ConsoleRefusal(409, pages.texts().get("con.onec.off"));
        }
        if (pull.running()) {
            actions.record(session, "pull-now", "1c", "refused: a pull is running");
            throw new ConsoleRefusal(409, pages.texts().get("con.onec.busy"));
        }
        actions.record(session, "pull-now", "1c", "started");
        // a first sync runs for many minutes: the page returns at once and shows its progress
        background.execute(() -> {
            String outcome;
            try {
                outcome = pull.runOnce().sets().toString();
            } catch (RuntimeException e) { // 1C away or refusing, or another pull won the start: the log says so
                outcome = "failed: " + e.getClass().getSimpleName() + ": " + Redaction.text(e.getMessage());
            }
            actions.record(session, "pull-now", "1c", "finished: " + outcome);
        });
        return ConsolePages.seeOther("/admin/console/1c");
    }
}
