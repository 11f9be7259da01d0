package ru.b24connector.onec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobDeferred;
import ru.b24connector.jobs.JobHandler;
import ru.b24connector.portal.BudgetRoom;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.reclamation.CompanyContactResolver;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Applies received 1C records in groups that share portal calls, as the dealer intake does. A job names its own
 * records (one pushed record, or a pulled page); each group takes some of them together with other records of the
 * same kind waiting to be applied, sized to the room the portal's time budgets leave and to 1C's share of them
 * ({@link OneCPortalShare}). A record the portal refuses fails alone: the job retries it with backoff, the others
 * are applied. One worker at a time holds an object (a lease on its row, across replicas); the newest version
 * received is applied, and the versions in between are marked SUPERSEDED.
 */
@ApplicationScoped
class OneCApplyJob implements JobHandler {

    /** Deal, product rows and comment of one document. */
    static final String[] DEAL_METHODS = {"crm.deal.add", "crm.deal.productrows.set", "crm.timeline.comment.add"};

    @Inject
    OneCGroups groups;

    @Inject
    OneCCompanySync companies;

    @Inject
    OneCPortalSync deals;

    @Inject
    OneCPortalShare share;

    @Inject
    OneCExchangeLog log;

    @Inject
    OneCConfig config;

    @Inject
    PortalClient portal;

    @Inject
    CompanyContactResolver resolver;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @Override
    public String type() {
        return OneCExchangeLog.APPLY_JOB;
    }

    @Override
    public void handle(Job job) throws Exception {
        JsonNode payload = json.readTree(job.payload);
        OneCRecords.Kind kind = OneCRecords.Kind.valueOf(payload.path("kind").asText());
        List<String> own = new ArrayList<>();
        payload.path("refs").forEach(r -> own.add(r.asText()));
        if (payload.hasNonNull("ref")) {
            own.add(payload.path("ref").asText());
        }
        if (groups.stillWaiting(kind, own).isEmpty()) {
            return; // applied by other groups already
        }
        if (!share.tryEnter()) {
            throw new JobDeferred(clock.instant().plusSeconds(1), "1C takes at most ONEC_PORTAL_SHARE of the workers");
        }
        try {
            applyOwn(kind, own);
        } finally {
            share.leave();
        }
    }

    private void applyOwn(OneCRecords.Kind kind, List<String> own) {
        Set<String> tried = new HashSet<>();
        List<String> heldElsewhere = new ArrayList<>();
        Optional<Instant> again = Optional.empty();
        List<String> pending = groups.stillWaiting(kind, own);
        while (!pending.isEmpty()) {
            BudgetRoom room = room(kind);
            if (room.items() == 0) {
                throw new JobDeferred(room.freeAt(), "waiting for the portal's time budget");
            }
            int size = Math.max(1, Math.min(config.groupSize(), share.of(room.items())));
            String owner = UUID.randomUUID().toString();
            List<OneCGroups.Member> group = groups.claim(kind, pending.subList(0, Math.min(size, pending.size())),
                    size, owner, heldElsewhere);
            if (group.isEmpty()) {
                break;
            }
            try {
                Optional<Instant> wait = kind == OneCRecords.Kind.COUNTERPARTY ? companies.apply(group) : deals.apply(group);
                if (wait.isPresent()) {
                    again = OneCGroups.earliest(again, wait.get());
                }
            } finally {
                groups.release(kind, owner);
            }
            List<String> refs = group.stream().map(OneCGroups.Member::ref).toList();
            tried.addAll(refs);
            int left = groups.stillWaiting(kind, refs).size();
            Log.infof("Applied a group of %d 1C %s records: %d in the portal, %d left (waiting or failed)", group.size(),
                    kind, group.size() - left, left);
            pending = groups.stillWaiting(kind, own).stream().filter(r -> !tried.contains(r) && !heldElsewhere.contains(r))
                    .toList();
        }
        List<String> left = groups.stillWaiting(kind, own);
        if (left.isEmpty()) {
            return;
        }
        if (again.isPresent()) {
            throw new JobDeferred(again.get(), left.size() + " records wait for the portal's time budget or a dealer");
        }
        if (!heldElsewhere.isEmpty() && heldElsewhere.containsAll(left)) {
            throw new JobDeferred(clock.instant().plusSeconds(3), "in a group of another worker");
        }
        throw new IllegalStateException(left.size() + " of the job's 1C records are not in the portal yet; see the "
                + "exchange log for each one's error");
    }

    /** How many records one group may carry now without passing the budgets of the methods it calls. */
    private BudgetRoom room(OneCRecords.Kind kind) {
        // new dealers beyond the resolver's room are left waiting by the resolver itself
        return kind == OneCRecords.Kind.COUNTERPARTY
                ? resolver.newDealerRoom().and(portal.budgetRoom(1, "crm.company.update"))
                : portal.budgetRoom(1, DEAL_METHODS);
    }

    @Override
    public void onDead(Job job, Exception cause) {
        log.failJob(job, cause);
    }
}
