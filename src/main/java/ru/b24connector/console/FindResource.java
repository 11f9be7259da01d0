package ru.b24connector.console;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;
import ru.b24connector.onec.OneCExchangeLog;
import ru.b24connector.onec.OneCRecords;
import ru.b24connector.reclamation.ClaimQueries;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Finding a claim's deal by deal id, dealer claim id, INN or 1C ref. */
@Path("/admin/console/find")
@Tag(name = "Console")
@Produces(MediaType.TEXT_HTML)
public class FindResource {

    private static final int LIMIT = 50;

    @Inject
    ClaimQueries claims;

    @Inject
    OneCExchangeLog onec;

    @Inject
    ConsolePages pages;

    @Inject
    @Location("console/find.html")
    Template find;

    /** One match: the deal (null while the claim has none yet) and what led to it. */
    public record Match(Long dealId, String kind, String key, String inn, String status, String receivedAt) {
    }

    @GET
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

    private Match claim(ClaimQueries.Claim c) {
        return new Match(c.dealId(), "claim", c.dealerClaimId(), c.inn(), c.status(), pages.time(c.receivedAt()));
    }
}
