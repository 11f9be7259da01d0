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
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import ru.b24connector.mail.DecisionMailService;
import ru.b24connector.onec.OneCExchangeLog;
import ru.b24connector.onec.OneCRecords;
import ru.b24connector.reclamation.ClaimQueries;
import ru.b24connector.ui.ReadOnlyCard;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Finding a claim's deal (deal id, dealer claim id, INN, 1C ref), its card, and resending its decision e-mail. */
@Path("/admin/console")
@Tag(name = "Console")
@Produces(MediaType.TEXT_HTML)
public class FindResource {

    private static final int LIMIT = 50;

    @Inject
    ClaimQueries claims;

    @Inject
    OneCExchangeLog onec;

    @Inject
    ReadOnlyCard card;

    @Inject
    DecisionMailService mail;

    @Inject
    ConsolePages pages;

    @Inject
    ActionLog actions;

    @Inject
    @Location("console/find.html")
    Template find;

    /** One match: the deal (null while the claim has none yet) and what led to it. */
    public record Match(Long dealId, String kind, String key, String inn, String status, String receivedAt) {
    }

    @GET
    @Path("find")
    @Operation(summary = "Find a deal by deal id, dealer claim id, INN or 1C ref")
    public Response find(@RestQuery String q, @RestQuery String notice) {
        String query = q == null ? "" : q.strip();
        if (query.length() > 100) {
            throw ConsoleRefusal.badRequest("q: at most 100 characters");
        }
        List<Match> matches = new ArrayList<>();
        if (!query.isEmpty()) {
            if (query.matches("\\d{1,15}")) {
                long dealId = Long.parseLong(query);
                claims.ofDeal(dealId).ifPresentOrElse(c -> matches.add(claim(c)),
                        () -> matches.add(new Match(dealId, "deal", query, "", "", "")));
            }
            claims.byClaimIdOrInn(query, LIMIT).stream().map(this::claim)
                    .filter(m -> matches.stream().noneMatch(o -> o.key().equals(m.key()) && o.kind().equals(m.kind())))
                    .forEach(matches::add);
            onec.object(OneCRecords.Kind.RECLAMATION, query.toLowerCase(Locale.ROOT)).ifPresent(o ->
                    matches.add(new Match(o.portalId, "1c", o.ref, "", "", "")));
        }
        return pages.ok(pages.page(find, "find").data("q", query).data("matches", matches).data("searched", !query.isEmpty())
                .data("notice", notice == null ? null : pages.texts().get(notice.equals("sent") ? "con.resend.done" : "con.resend.none")));
    }

    @GET
    @Path("deals/{dealId}")
    @Operation(summary = "A deal's reclamation card, read-only")
    public Response card(@RestPath long dealId) {
        if (dealId <= 0) {
            throw ConsoleRefusal.badRequest("dealId: must be a deal id");
        }
        return pages.rendered(card.html(dealId, pages.texts().lang()));
    }

    @POST
    @Path("deals/{dealId}/resend")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Send the deal's latest decision e-mail again")
    public Response resend(@RestPath long dealId, @RestForm String csrf) {
        ConsoleSession session = pages.checkCsrf(csrf);
        if (dealId <= 0) {
            throw ConsoleRefusal.badRequest("dealId: must be a deal id");
        }
        var request = mail.resendLatest(dealId, "console-resend:" + dealId + ":" + System.currentTimeMillis());
        actions.record(session, "resend", "deal:" + dealId,
                request.map(r -> "decision e-mail queued as outbox " + r.outboxId()).orElse("nothing to resend"));
        return ConsolePages.seeOther("/admin/console/find?q=" + dealId + "&notice=" + (request.isPresent() ? "sent" : "none"));
    }

    private Match claim(ClaimQueries.Claim c) {
        return new Match(c.dealId(), "claim", c.dealerClaimId(), c.inn(), c.status(), pages.time(c.receivedAt()));
    }
}
