package ru.b24connector.ui;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import ru.b24connector.portal.BatchResult;

import java.util.Map;

/**
 * The supervisor's board: the application's own page in the portal's left menu ({@code LEFT_MENU}, or the app's
 * main page, {@code PLACEMENT=DEFAULT}). Administrators and heads of a department only.
 */
@Path("/ui/board")
@Tag(name = "Pages", description = "Pages the portal shows in its frame")
public class BoardResource {

    @Inject
    PlacementGate gate;

    @Inject
    BoardPage boards;

    @Inject
    BoardAnalyticsPage analytics;

    @Inject
    BoardReads reads;

    @Inject
    CardActions actions;

    @Inject
    ColleagueChoice colleagues;

    @Inject
    UiSessions sessions;

    @Inject
    UiPages pages;

    @Inject
    @Location("ui/board.html")
    Template board;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The supervisor's board, as the portal opens it (AUTH_ID, member_id)")
    public Response open(MultivaluedMap<String, String> form, @QueryParam("DOMAIN") String domain,
                         @QueryParam("LANG") String lang) {
        FrameRequest request = FrameRequest.of(form, domain, lang);
        PlacementGate.PortalRead read = gate.open(request, "board", boards.commands());
        if (!read.user().supervisor()) {
            throw UiRefusal.forbidden("user " + read.user().id() + " is neither an administrator nor a head");
        }
        UiSession session = sessions.open(read.user(), 0, Texts.normalize(lang), request.authExpires());
        reads.put(session, read.result());
        return render(session, new BoardView.Filters("", "", ""), BoardReads.days(null), null);
    }

    @POST
    @Path("/view")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The board with filters (manager, dealer, stage), the analytics' period (days) and, with who,"
            + " colleagues found by name for the hand-over, within its page session")
    public Response filtered(MultivaluedMap<String, String> form, @CookieParam(UiSessions.NAME) String cookie) {
        UiSession session = boardSession(form.getFirst(UiSessions.NAME), cookie);
        BoardView.Filters filters = filters(form.getFirst("manager"), form.getFirst("dealer"), form.getFirst("stage"));
        ColleagueChoice.Search search = form.containsKey("who")
                ? colleagues.search(form.getFirst("who"), Texts.of(session.lang())) : null;
        return render(session, filters, BoardReads.days(form.getFirst("days")), null, 200, null, search);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The board with filters, within its page session (cookie)")
    public Response show(@QueryParam("manager") String manager, @QueryParam("dealer") String dealer,
                         @QueryParam("stage") String stage, @QueryParam("days") String days,
                         @CookieParam(UiSessions.NAME) String cookie) {
        return render(boardSession(null, cookie), filters(manager, dealer, stage), BoardReads.days(days), null);
    }

    @POST
    @Path("/reassign")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Hand a claim to another manager from the board; needs the session and CSRF token")
    public Response reassign(MultivaluedMap<String, String> form, @CookieParam(UiSessions.NAME) String cookie) {
        UiSession session = boardSession(form.getFirst(UiSessions.NAME), cookie);
        pages.checkChange(session, form.getFirst("csrf"), form.getFirst("nonce"));
        long dealId = id(form.getFirst("dealId"), "dealId");
        long to;
        try {
            to = colleagues.chosen(form.getFirst("newResponsible"), Texts.of(session.lang()));
        } catch (ColleagueChoice.Refused e) {
            return render(session, new BoardView.Filters("", "", ""), BoardReads.days(null), null, 400, e.getMessage(),
                    null);
        }
        actions.submit(session, dealId, UiAction.Kind.REASSIGN, Map.of("newResponsible", to), form.getFirst("nonce"));
        return render(session, new BoardView.Filters("", "", ""), BoardReads.days(null), "notice.reassigned");
    }

    UiSession boardSession(String formToken, String cookie) {
        UiSession session = pages.session(formToken, cookie);
        if (session.dealId() != 0 || !session.user().supervisor()) {
            throw UiRefusal.forbidden("not a board session of a supervisor");
        }
        return session;
    }

    private Response render(UiSession session, BoardView.Filters filters, int days, String notice) {
        return render(session, filters, days, notice, 200, null, null);
    }

    /** The board with a notice, or with {@code error} (a refused choice, 400); {@code search}: colleagues found. */
    private Response render(UiSession session, BoardView.Filters filters, int days, String notice, int status,
                            String error, ColleagueChoice.Search search) {
        Texts t = Texts.of(session.lang());
        UiPages.Form form = pages.form(session);
        BatchResult read = reads.get(session);
        BoardView view = boards.build(read, filters, t);
        String html = board.data("t", t).data("board", view).data("form", form)
                .data("analytics", analytics.build(read, days, t))
                .data("notice", notice == null ? null : t.get(notice)).data("error", error).data("search", search)
                .data("choices", search != null && !search.found().isEmpty() ? search.found() : view.managers())
                .data("bx24", pages.bx24())
                .data("user", session.userName()).render();
        return pages.html(status, html, session, form);
    }

    private static BoardView.Filters filters(String manager, String dealer, String stage) {
        String m = manager == null ? "" : manager.trim();
        String s = stage == null ? "" : stage.trim();
        String d = dealer == null ? "" : dealer.trim();
        if (!m.matches("[0-9]{0,18}") || !s.matches("[A-Za-z0-9:_]{0,64}") || d.length() > 200) {
            throw UiRefusal.badRequest("filters: manager is a user id, stage a stage id, dealer up to 200 characters");
        }
        return new BoardView.Filters(m, d, s);
    }

    private static long id(String value, String field) {
        String v = value == null ? "" : value.trim();
        if (!v.matches("[1-9][0-9]{0,17}")) {
            throw UiRefusal.badRequest(field + " must be an id");
        }
        return Long.parseLong(v);
    }
}
