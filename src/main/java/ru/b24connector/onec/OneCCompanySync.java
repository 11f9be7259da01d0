package ru.b24connector.onec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.portal.BatchResult;
import ru.b24connector.portal.PortalBatch;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.reclamation.CompanyContactResolver;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts a group of 1C counterparties into the portal as companies, sharing calls: the intake's resolver finds or
 * creates all of them at once (lookups in one batch, creates in batches of 50 commands), and the titles of companies
 * that were found rather than created follow 1C's names in batches of 50 updates. A counterparty the portal refuses
 * fails alone; the others of its group are applied.
 */
@ApplicationScoped
class OneCCompanySync {

    @Inject
    CompanyContactResolver resolver;

    @Inject
    PortalClient portal;

    @Inject
    OneCGroups groups;

    @Inject
    OneCExchangeLog log;

    @Inject
    java.time.Clock clock;

    /** What resolving a group's dealers found: companies by counterparty ref, and when the left-out ones may go. */
    record Companies(Map<String, CompanyContactResolver.CompanyContact> byRef, Map<String, Instant> waitingUntil,
                     Map<String, String> failed, java.util.Set<String> created) {
    }

    /**
     * Finds or creates the companies of these counterparties in one resolution and records each under its
     * counterparty's ref. Each is keyed by the ref of the member it belongs to ({@code memberRef}).
     */
    Companies resolve(Map<String, OneCRecords.Counterparty> byMember, Map<String, OneCRecords.Contact> contacts,
                      boolean mayExistFromEarlierAttempt) {
        List<CompanyContactResolver.Party> parties = new ArrayList<>();
        byMember.forEach((member, c) -> {
            OneCRecords.Contact contact = contacts.get(member);
            parties.add(new CompanyContactResolver.Party(c.name(), c.inn(), c.kpp(),
                    contact == null ? c.contactName() : contact.name(),
                    contact == null ? c.email() : contact.email(),
                    contact == null ? c.phone() : contact.phone()));
        });
        CompanyContactResolver.Resolution resolution = parties.isEmpty()
                ? new CompanyContactResolver.Resolution(Map.of(), java.util.Set.of(), java.util.Set.of(), null, java.util.Set.of())
                : resolver.resolveAll(parties, mayExistFromEarlierAttempt);
        Map<String, CompanyContactResolver.CompanyContact> byRef = new LinkedHashMap<>();
        Map<String, Instant> waiting = new HashMap<>();
        Map<String, String> failed = new HashMap<>();
        java.util.Set<String> created = new java.util.HashSet<>();
        List<OneCExchangeLog.Link> links = new ArrayList<>();
        byMember.forEach((member, c) -> {
            CompanyContactResolver.CompanyContact ids = resolution.dealers().get(c.inn());
            if (ids != null) {
                byRef.put(member, ids);
                if (resolution.created().contains(c.inn())) {
                    created.add(member);
                }
                links.add(new OneCExchangeLog.Link(OneCRecords.Kind.COUNTERPARTY, c.ref(), ids.companyId(), ids.companyId(),
                        ids.contactId(), null, log.toJson(c)));
            } else if (resolution.busy().contains(c.inn())) {
                waiting.put(member, clock.instant().plusSeconds(3));
            } else if (resolution.noRoom().contains(c.inn())) {
                waiting.put(member, resolution.room().freeAt());
            } else {
                failed.put(member, "the portal did not create the company of INN " + c.inn());
            }
        });
        log.linkAll(links);
        return new Companies(byRef, waiting, failed, created);
    }

    /**
     * Applies a group of counterparties; returns when members left waiting may go again (empty when none waits).
     */
    Optional<Instant> apply(List<OneCGroups.Member> members) {
        Map<String, OneCRecords.Counterparty> toResolve = new LinkedHashMap<>();
        Map<String, Long> known = new LinkedHashMap<>();
        boolean requestedBefore = false;
        List<String> requested = new ArrayList<>();
        for (OneCGroups.Member m : members) {
            OneCRecords.Counterparty c = (OneCRecords.Counterparty) m.record();
            if (c.deletionMark()) {
                groups.applied(m, new OneCGroups.Outcome(null, m.object().portalId,
                        "marked for deletion in 1C; the company is left as it is"));
            } else if (m.object().portalId != null && m.object().appliedExchangeId == null) {
                // a document's group made (or found) its company from this very record: nothing to change
                groups.applied(m, new OneCGroups.Outcome(null, m.object().portalId, null));
            } else if (m.object().portalId != null) {
                known.put(m.ref(), m.object().portalId);
            } else {
                toResolve.put(m.ref(), c);
                requestedBefore |= m.object().portalRequested;
                requested.add(m.ref());
            }
        }
        groups.markRequested(OneCRecords.Kind.COUNTERPARTY, requested);
        Companies companies = resolve(toResolve, Map.of(), requestedBefore);
        Optional<Instant> again = Optional.empty();
        List<OneCGroups.Applied> created = new ArrayList<>();
        for (OneCGroups.Member m : members) {
            if (companies.waitingUntil().containsKey(m.ref())) {
                groups.waiting(m, "waiting for the portal's time budget, or for another worker creating the company");
                again = OneCGroups.earliest(again, companies.waitingUntil().get(m.ref()));
            } else if (companies.failed().containsKey(m.ref())) {
                groups.failed(m, companies.failed().get(m.ref()));
            } else if (companies.byRef().containsKey(m.ref()) && !companies.created().contains(m.ref())) {
                known.put(m.ref(), companies.byRef().get(m.ref()).companyId());
            } else if (companies.created().contains(m.ref())) {
                // created with 1C's name as its title: nothing to update
                long companyId = companies.byRef().get(m.ref()).companyId();
                created.add(new OneCGroups.Applied(m, new OneCGroups.Outcome(null, companyId, null), companyId, null));
            }
        }
        groups.appliedAll(created);
        updateTitles(members, known);
        return again;
    }

    /** Found companies take 1C's name as their title: one command each, 50 a call. */
    private void updateTitles(List<OneCGroups.Member> members, Map<String, Long> companyOf) {
        if (companyOf.isEmpty()) {
            return;
        }
        PortalBatch batch = PortalBatch.create();
        Map<String, String> keyOf = new HashMap<>();
        for (OneCGroups.Member m : members) {
            Long id = companyOf.get(m.ref());
            if (id != null) {
                String key = "t" + keyOf.size();
                keyOf.put(m.ref(), key);
                batch.add(key, "crm.company.update", Map.of("id", id, "fields",
                        Map.of("TITLE", ((OneCRecords.Counterparty) m.record()).name()),
                        "params", Map.of("REGISTER_SONET_EVENT", "N")));
            }
        }
        BatchResult result = portal.batch(batch);
        List<OneCGroups.Applied> done = new ArrayList<>();
        for (OneCGroups.Member m : members) {
            String key = keyOf.get(m.ref());
            if (key == null) {
                continue;
            }
            if (result.succeeded(key)) {
                done.add(new OneCGroups.Applied(m, new OneCGroups.Outcome(null, companyOf.get(m.ref()), null), null, null));
            } else {
                groups.failed(m, result.error(key).map(Throwable::getMessage).orElse("the company was not updated"));
            }
        }
        groups.appliedAll(done);
    }
}
