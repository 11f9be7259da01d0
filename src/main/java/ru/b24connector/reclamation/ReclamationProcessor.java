package ru.b24connector.reclamation;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobDeferred;
import ru.b24connector.jobs.JobHandler;
import ru.b24connector.portal.BatchResult;
import ru.b24connector.portal.BudgetRoom;
import ru.b24connector.portal.PortalBatch;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalException;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Puts accepted claims into the CRM. A job takes its claim together with other waiting ones (a group), so that
 * a burst shares portal calls: the dealers of the group are resolved in a few batch calls (one of lookups, one of
 * creates for a group of up to 16 new dealers; see {@link CompanyContactResolver}), and the deals,
 * product rows and comments of the whole group go in one more. Every step is recorded, and a claim taken again
 * after an unanswered call first looks its deal up by ORIGIN_ID: nothing is created twice.
 */
@ApplicationScoped
public class ReclamationProcessor implements JobHandler {

    /** Deal, product rows and comment of one claim. */
    private static final int COMMANDS_PER_CLAIM = 3;
    private static final String[] DEAL_METHODS = {"crm.deal.add", "crm.deal.productrows.set", "crm.timeline.comment.add"};

    @Inject
    EntityManager em;

    @Inject
    ReclamationService reclamations;

    @Inject
    CompanyContactResolver resolver;

    @Inject
    PortalClient portal;

    @Inject
    IntakeConfig config;

    @Inject
    ClaimAsDeal asDeal;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    @Inject
    ClaimGroups groups;

    @Inject
    Clock clock;

    @Override
    public String type() {
        return ReclamationService.JOB;
    }

    /**
     * Takes the claim with others into a group and puts them into the CRM. A claim that has to wait for the portal's
     * time budget, or for another worker, is deferred to when that is over (a wait is not a failed attempt).
     */
    @Override
    public void handle(Job job) throws Exception {
        long id = json.readTree(job.payload).path("reclamationId").asLong();
        // a group is sized to what the deal methods' budgets have left, so it never overdraws them
        BudgetRoom room = portal.budgetRoom(1, DEAL_METHODS);
        if (room.items() == 0) {
            throw new JobDeferred(room.freeAt(), "waiting for the portal's time budget of " + String.join(", ", DEAL_METHODS));
        }
        List<Reclamation> group = groups.claim(id, Math.min(config.groupSize(), room.items()),
                resolver.newDealerRoom().items());
        if (group.isEmpty()) {
            return; // already in the CRM
        }
        Map<Long, Instant> waiting = new HashMap<>();
        try {
            process(group, waiting);
        } finally {
            groups.letGo(group, waiting, id);
        }
        Reclamation own = QuarkusTransaction.requiringNew().call(() -> em.find(Reclamation.class, id));
        if (own.status != Reclamation.Status.IN_CRM) {
            if (waiting.containsKey(id)) {
                throw new JobDeferred(waiting.get(id), own.lastError);
            }
            throw new IllegalStateException("reclamation " + id + " not completely in the CRM yet: " + own.lastError);
        }
    }

    /** Puts the group into the CRM; claims that have to wait are added to {@code waiting} with when to look again. */
    private void process(List<Reclamation> group, Map<Long, Instant> waiting) {
        Map<Long, ReclamationRequest> requests = new LinkedHashMap<>();
        List<CompanyContactResolver.Party> parties = new ArrayList<>();
        boolean retried = false;
        for (Reclamation r : group) {
            ReclamationRequest request = reclamations.read(r);
            requests.put(r.id, request);
            ReclamationRequest.Dealer d = request.dealer();
            parties.add(new CompanyContactResolver.Party(d.companyName(), d.inn(), d.kpp(), d.contactName(), d.email(), d.phone()));
            retried |= r.claims > 1;
        }
        CompanyContactResolver.Resolution resolution = resolver.resolveAll(parties, retried);
        Set<Long> notLookedUp = new HashSet<>();
        Map<Long, Long> foundDeals = existingDeals(group, waiting, notLookedUp);

        // sized to the room the budgets had; if other workers took it meanwhile, the claims wait in the queue
        PortalBatch batch = PortalBatch.create().withoutWaitingForBudget(1);
        List<Reclamation> included = new ArrayList<>();
        for (Reclamation r : group) {
            if (notLookedUp.contains(r.id)) {
                continue;
            }
            ReclamationRequest request = requests.get(r.id);
            CompanyContactResolver.CompanyContact ids = resolution.dealers().get(r.inn);
            if (ids == null) {
                if (resolution.busy().contains(r.inn)) {
                    leaveWaiting(r, waiting, clock.instant().plus(ClaimGroups.SHORTLY), "the dealer is being created by another worker");
                } else if (resolution.noRoom().contains(r.inn)) {
                    leaveWaiting(r, waiting, resolution.room().freeAt(),
                            "waiting for the portal's time budget to look the new dealer up");
                } else {
                    note(r, "the dealer's company could not be created");
                }
                continue;
            }
            if (batch.size() + COMMANDS_PER_CLAIM > PortalBatch.MAX_COMMANDS) {
                leaveWaiting(r, waiting, clock.instant(), "left for the next group: the batch is full");
                continue;
            }
            r.companyId = ids.companyId();
            r.contactId = ids.contactId();
            if (r.dealId == null) {
                r.dealId = foundDeals.get(r.id);
            }
            Object dealRef = r.dealId != null ? r.dealId : PortalBatch.ref("deal" + r.id);
            if (r.dealId == null) {
                batch.add("deal" + r.id, "crm.deal.add", Map.of("fields", asDeal.fields(r, request, ids),
                        "params", Map.of("REGISTER_SONET_EVENT", "Y")));
            }
            if (!r.rowsDone) {
                batch.add("rows" + r.id, "crm.deal.productrows.set", Map.of("id", dealRef, "rows", ClaimAsDeal.rows(request)));
            }
            if (!r.commentDone) {
                batch.add("note" + r.id, "crm.timeline.comment.add", Map.of("fields", Map.of(
                        "ENTITY_ID", dealRef, "ENTITY_TYPE", "deal", "COMMENT", ClaimAsDeal.comment(request),
                        "FILES", asDeal.files(request))));
            }
            included.add(r);
        }
        if (batch.isEmpty()) {
            included.forEach(this::record);
            return;
        }
        markDealsRequested(included, true);
        BatchResult result;
        try {
            result = portal.batch(batch);
        } catch (PortalException.NoRoom e) {
            // nothing was sent: these deals cannot exist, so no lookup is needed before the next attempt
            markDealsRequested(included, false);
            included.forEach(r -> leaveWaiting(r, waiting, e.freeAt(), "waiting for the portal's time budget of the deal methods"));
            return;
        }
        for (Reclamation r : included) {
            if (r.dealId == null) {
                Optional<Instant> limited = result.limitedUntil("deal" + r.id);
                if (limited.isPresent()) {
                    // refused for the method's time budget inside the batch: not created, so no lookup next time
                    markDealsRequested(List.of(r), false);
                    leaveWaiting(r, waiting, limited.get(), "waiting for the portal's time budget of crm.deal.add");
                    continue;
                }
                if (!result.succeeded("deal" + r.id)) {
                    note(r, result.error("deal" + r.id).map(Throwable::getMessage).orElse("deal not created"));
                    continue;
                }
                r.dealId = result.result("deal" + r.id).asLong();
            }
            r.rowsDone |= result.succeeded("rows" + r.id);
            r.commentDone |= result.succeeded("note" + r.id);
            Optional<Instant> limited = result.limitedUntil("rows" + r.id).or(() -> result.limitedUntil("note" + r.id));
            if (!(r.rowsDone && r.commentDone) && limited.isPresent()) {
                leaveWaiting(r, waiting, limited.get(), "waiting for the portal's time budget of the deal's rows or comment");
                continue;
            }
            r.lastError = r.rowsDone && r.commentDone ? null
                    : result.errors().values().stream().map(Throwable::getMessage).findFirst().orElse(null);
            record(r);
        }
    }

    /**
     * Deals an earlier, unanswered attempt may have created: by ORIGINATOR_ID/ORIGIN_ID. A claim whose lookup got no
     * answer is added to {@code notLookedUp} and left out of this group: its deal must not be created blind.
     */
    private Map<Long, Long> existingDeals(List<Reclamation> group, Map<Long, Instant> waiting, Set<Long> notLookedUp) {
        PortalBatch lookup = PortalBatch.create().withoutWaitingForBudget(1);
        for (Reclamation r : group) {
            if (r.dealId == null && r.dealRequested) {
                lookup.add("find" + r.id, "crm.deal.list", Map.of("filter", Map.of("ORIGINATOR_ID", ClaimAsDeal.originator(r),
                        "ORIGIN_ID", r.dealerClaimId), "select", List.of("ID")));
            }
        }
        Map<Long, Long> found = new LinkedHashMap<>();
        if (lookup.isEmpty()) {
            return found;
        }
        BatchResult result;
        try {
            result = portal.batch(lookup);
        } catch (PortalException.NoRoom e) {
            for (Reclamation r : group) {
                if (r.dealId == null && r.dealRequested) {
                    notLookedUp.add(r.id);
                    leaveWaiting(r, waiting, e.freeAt(), "waiting for the portal's time budget to look up its deal");
                }
            }
            return found;
        }
        for (Reclamation r : group) {
            if (r.dealId != null || !r.dealRequested) {
                continue;
            }
            Optional<Instant> limited = result.limitedUntil("find" + r.id);
            if (limited.isPresent()) {
                notLookedUp.add(r.id);
                leaveWaiting(r, waiting, limited.get(), "waiting for the portal's time budget to look up its deal");
                continue;
            }
            if (!result.succeeded("find" + r.id)) {
                notLookedUp.add(r.id);
                note(r, result.error("find" + r.id).map(Throwable::getMessage).orElse("deal lookup not answered"));
                continue;
            }
            for (JsonNode deal : PortalClient.itemsOf(result.result("find" + r.id))) {
                found.put(r.id, deal.path("ID").asLong());
                break;
            }
        }
        return found;
    }

    private void note(Reclamation r, String error) {
        r.lastError = error;
        record(r);
    }

    /** The claim is left for later, not failed: its job runs again at {@code until}. */
    private void leaveWaiting(Reclamation r, Map<Long, Instant> waiting, Instant until, String why) {
        waiting.put(r.id, until);
        note(r, why);
    }

    /** Recorded before the call goes: if its answer is lost, the next attempt looks these deals up first. */
    private void markDealsRequested(List<Reclamation> included, boolean requested) {
        List<Long> ids = included.stream().filter(r -> r.dealId == null).map(r -> r.id).toList();
        if (!ids.isEmpty()) {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                    "UPDATE reclamation SET deal_requested = ?1 WHERE id IN (?2)").setParameter(1, requested)
                    .setParameter(2, ids).executeUpdate());
        }
    }

    private void record(Reclamation r) {
        QuarkusTransaction.requiringNew().run(() -> {
            Reclamation row = em.find(Reclamation.class, r.id);
            row.companyId = r.companyId;
            row.contactId = r.contactId;
            row.dealId = r.dealId;
            row.rowsDone = r.rowsDone;
            row.commentDone = r.commentDone;
            row.lastError = r.lastError;
            if (r.dealId != null && r.rowsDone && r.commentDone) {
                row.status = Reclamation.Status.IN_CRM;
            }
            row.updatedAt = clock.instant();
        });
    }
}
