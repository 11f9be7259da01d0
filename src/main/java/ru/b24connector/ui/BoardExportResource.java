package ru.b24connector.ui;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The board's analytics tables as CSV: UTF-8 with a byte-order mark (Excel then reads Cyrillic), RFC 4180 quoting by
 * Commons CSV, the same rows as the page in the page's language. Reading only, within the board's session; it asks
 * the portal nothing but names it does not know yet (the opening read them; kept an hour).
 */
@Path("/ui/board/export")
@Tag(name = "Pages", description = "Pages the portal shows in its frame")
public class BoardExportResource {

    @Inject
    BoardResource boards;

    @Inject
    BoardReads reads;

    @Inject
    BoardAnalyticsPage analytics;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces("text/csv")
    @Operation(summary = "One analytics table of the board as CSV (form: session, table, days)")
    public Response exportForm(MultivaluedMap<String, String> form, @CookieParam(UiSessions.NAME) String cookie) {
        return export(boards.boardSession(form.getFirst(UiSessions.NAME), cookie), form.getFirst("table"),
                form.getFirst("days"));
    }

    @GET
    @Produces("text/csv")
    @Operation(summary = "One analytics table of the board as CSV, within the board's session (cookie)")
    public Response exportGet(@QueryParam("table") String table, @QueryParam("days") String days,
                              @CookieParam(UiSessions.NAME) String cookie) {
        return export(boards.boardSession(null, cookie), table, days);
    }

    private Response export(UiSession session, String table, String daysValue) {
        String name = table == null ? "" : table.trim();
        if (!BoardAnalyticsPage.TABLES.contains(name)) {
            throw UiRefusal.badRequest("table must be one of " + BoardAnalyticsPage.TABLES);
        }
        int days = BoardReads.days(daysValue);
        Texts t = Texts.of(session.lang());
        BoardAnalyticsView view = analytics.build(reads.get(session), days, t);
        byte[] body = csv(analytics.table(view, name, t));
        return Response.ok(body).type("text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"board-" + name + "-" + days + "d.csv\"")
                .header("Cache-Control", "no-store").build();
    }

    /** UTF-8 with BOM; text that a spreadsheet would take for a formula is prefixed with an apostrophe. */
    static byte[] csv(List<List<Object>> rows) {
        StringWriter out = new StringWriter();
        out.write('\uFEFF');
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.EXCEL)) {
            for (List<Object> row : rows) {
                printer.printRecord(row.stream().map(BoardExportResource::cell).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Object cell(Object value) {
        if (value instanceof String s && !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            return "'" + s;
        }
        return value;
    }
}
