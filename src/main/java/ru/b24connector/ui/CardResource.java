package ru.b24connector.ui;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import ru.b24connector.portal.BatchResult;
import ru.b24connector.portal.PortalBatch;
import ru.b24connector.reclamation.ClaimQueries;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The reclamation card: the deal-card tab ({@code CRM_DEAL_DETAIL_TAB}) the portal opens with a POST, its actions,
 * and the photos it shows.
 */
@Path("/ui")
@Tag(name = "Pages", description = "Pages the portal shows in its frame")
public class CardResource {

    private final TimedCache<BatchResult> lastReads = new TimedCache<>(5_000);

    @Inject
    PlacementGate gate;

    @Inject
    CardPage cards;

    @Inject
    CardActions actions;

    @Inject
    ClaimQueries claims;

    @Inject
    UiSessions sessions;

    @Inject
    UiPages pages;

    @Inject
    UiConfig config;

    @Inject
    ColleagueChoice colleagues;

    @Inject
    PortalUsers users;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    @Inject
    Clock clock;

    @Inject
    @Location("ui/card.html")
    Template card;

    @POST
    @Path("/card")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The deal-card tab, as the portal opens it (AUTH_ID, member_id, PLACEMENT_OPTIONS={\"ID\":..})")
    public Response open(MultivaluedMap<String, String> form, @QueryParam("DOMAIN") String domain,
                         @QueryParam("LANG") String lang) {
        FrameRequest request = FrameRequest.of(form, domain, lang);
        long dealId = request.entityId(json).orElseThrow(() -> UiRefusal.badRequest(
                "PLACEMENT_OPTIONS must be JSON with ID, the deal's id (as the portal sends {\"ID\":\"123\"})"));
        PortalBatch page = PortalBatch.create()
                .add("deal", "crm.deal.get", Map.of("id", dealId))
                .add("users", "user.get", CardPage.usersCommand(cards.userIdsOf(dealId)))
                .add("rows", "crm.deal.productrows.get", Map.of("id", dealId));
        cards.askStageNames(page, dealId);
        PlacementGate.PortalRead read = gate.open(request, "card:" + dealId, page);
        if (!read.result().succeeded("deal")) {
            throw UiRefusal.forbidden("user " + read.user().id() + " cannot open deal " + dealId);
        }
        if (read.result().succeeded("users")) {
            users.remember(read.result().result("users"));
        }
        UiSession session = sessions.open(read.user(), dealId, Texts.normalize(lang), request.authExpires());
        lastReads.put(readKey(session, dealId), read.result(), config.sessionTtl(), clock);
        return render(session, dealId, null);
    }

    @GET
    @Path("/card/{dealId}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The card again, within its page session (cookie)")
    public Response show(@PathParam("dealId") long dealId, @CookieParam(UiSessions.NAME) String cookie) {
        UiSession session = cardSession(dealId, null, cookie);
        return render(session, dealId, null);
    }

    @POST
    @Path("/card/{dealId}/find")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Find a colleague by name (who, 2 to 100 characters) for asking or handing over; changes nothing")
    public Response find(@PathParam("dealId") long dealId, MultivaluedMap<String, String> form,
                         @CookieParam(UiSessions.NAME) String cookie) {
        UiSession session = cardSession(dealId, form.getFirst(UiSessions.NAME), cookie);
        return render(session, dealId, null, 200, null, colleagues.search(form.getFirst("who"), Texts.of(session.lang())));
    }

    @POST
    @Path("/card/{dealId}/ask")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Ask a colleague about an item (as the request_info robot); needs the session and CSRF token")
    public Response ask(@PathParam("dealId") long dealId, MultivaluedMap<String, String> form,
                        @CookieParam(UiSessions.NAME) String cookie) {
        UiSession session = change(dealId, form, cookie);
        String question = trimmed(form.getFirst("question"));
        if (question.isEmpty() || question.length() > 2000) {
            throw UiRefusal.badRequest("question must be 1 to 2000 characters");
        }
        long askUser;
        try {
            askUser = colleagues.chosen(form.getFirst("askUser"), Texts.of(session.lang()));
        } catch (ColleagueChoice.Refused e) {
            return render(session, dealId, null, 400, e.getMessage(), null);
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("question", question);
        params.put("askUser", askUser);
        String item = trimmed(form.getFirst("item"));
        if (!item.isEmpty()) {
            if (!item.matches("[0-9]{1,3}")) {
                throw UiRefusal.badRequest("item must be an item number");
            }
            params.put("item", Integer.parseInt(item));
        }
        actions.submit(session, dealId, UiAction.Kind.ASK, params, form.getFirst("nonce"));
        return render(session, dealId, "notice.asked");
    }

    @POST
    @Path("/card/{dealId}/reassign")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Hand the claim to another manager (as the reassign robot); needs the session and CSRF token")
    public Response reassign(@PathParam("dealId") long dealId, MultivaluedMap<String, String> form,
                             @CookieParam(UiSessions.NAME) String cookie) {
        UiSession session = change(dealId, form, cookie);
        long to;
        try {
            to = colleagues.chosen(form.getFirst("newResponsible"), Texts.of(session.lang()));
        } catch (ColleagueChoice.Refused e) {
            return render(session, dealId, null, 400, e.getMessage(), null);
        }
        actions.submit(session, dealId, UiAction.Kind.REASSIGN, Map.of("newResponsible", to), form.getFirst("nonce"));
        return render(session, dealId, "notice.reassigned");
    }

    @POST
    @Path("/card/{dealId}/resend")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Resend the decision e-mail (confirm=yes); once per click; needs the session and CSRF token")
    public Response resend(@PathParam("dealId") long dealId, MultivaluedMap<String, String> form,
                           @CookieParam(UiSessions.NAME) String cookie) {
        UiSession session = change(dealId, form, cookie);
        if (!"yes".equals(form.getFirst("confirm"))) {
            throw UiRefusal.badRequest("confirm must be yes");
        }
        actions.submit(session, dealId, UiAction.Kind.RESEND, Map.of(), form.getFirst("nonce"));
        return render(session, dealId, "notice.resent");
    }

    @GET
    @Path("/photo/{dealId}/{item}/{n}")
    @Operation(summary = "A claim photo, through the service (signed link; allowed hosts only)")
    public Response photo(@PathParam("dealId") long dealId, @PathParam("item") int item, @PathParam("n") int n,
                          @QueryParam("exp") long expires, @QueryParam("sig") String signature) {
        String path = "/ui/photo/" + dealId + "/" + item + "/" + n;
        if (!sessions.linkValid(path, expires, signature)) {
            throw UiRefusal.unauthorized("photo link invalid or expired");
        }
        Optional<ClaimQueries.Photo> photo;
        try {
            photo = claims.photo(dealId, item, n);
        } catch (RuntimeException e) {
            photo = Optional.empty(); // a host not allowed, or not reachable: no photo
        }
        String type = photo.map(p -> ImageTypes.of(p.bytes())).orElse(null);
        if (type == null) {
            throw new UiRefusal(404, "no such photo");
        }
        return Response.ok(photo.get().bytes(), type).header("Cache-Control", "private, max-age=3600").build();
    }

    private UiSession change(long dealId, MultivaluedMap<String, String> form, String cookie) {
        UiSession session = cardSession(dealId, form.getFirst(UiSessions.NAME), cookie);
        pages.checkChange(session, form.getFirst("csrf"), form.getFirst("nonce"));
        return session;
    }

    private UiSession cardSession(long dealId, String formToken, String cookie) {
        UiSession session = pages.session(formToken, cookie);
        if (session.dealId() != dealId) {
            throw UiRefusal.forbidden("the session was opened for another deal");
        }
        return session;
    }

    private Response render(UiSession session, long dealId, String notice) {
        return render(session, dealId, notice, 200, null, null);
    }

    /**
     * The card with a notice, or with {@code error} (a refused choice, status 400); {@code search}: colleagues found,
     * offered in the ask and hand-over choices instead of the users the card names.
     */
    private Response render(UiSession session, long dealId, String notice, int status, String error,
                            ColleagueChoice.Search search) {
        Texts t = Texts.of(session.lang());
        UiPages.Form form = pages.form(session);
        Optional<BatchResult> read = lastReads.get(readKey(session, dealId), clock);
        CardView view = cards.build(dealId, read, t);
        String html = card.data("t", t).data("card", view).data("form", form).data("error", error)
                .data("search", search).data("choices", search != null && !search.found().isEmpty()
                        ? search.found() : view.users())
                .data("askNonce", pages.nonce()).data("reassignNonce", pages.nonce())
                .data("resendNonce", pages.nonce()).data("notice", notice == null ? null : t.get(notice))
                .data("readonly", false).data("bx24", pages.bx24()).data("user", session.userName()).render();
        return pages.html(status, html, session, form);
    }

    private static String readKey(UiSession session, long dealId) {
        return session.memberId() + "|" + session.userId() + "|" + dealId;
    }

    private static String trimmed(String s) {
        return s == null ? "" : s.trim();
    }
}
