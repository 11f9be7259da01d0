package ru.b24connector.onec;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.history.Mover;
import ru.b24connector.history.StageMoves;
import ru.b24connector.portal.BatchResult;
import ru.b24connector.portal.PortalBatch;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalConfig;
import ru.b24connector.reclamation.IntakeConfig;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts groups of 1C reclamation documents into the portal as deals keyed by {@code ORIGINATOR_ID=1c},
 * {@code ORIGIN_ID=<Ref_Key>}: an update changes the deal, its product rows and status, never opens another. Their
 * counterparties become companies through {@link OneCCompanySync} (the intake's resolver). Every portal id is
 * recorded as soon as it is known, and a document whose create was sent without an answer is looked up by ORIGIN_ID
 * before one is created again, so a lost answer creates nothing twice.
 */
@ApplicationScoped
class OneCPortalSync {

    static final String ORIGINATOR = "1c";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd.MM.yyyy");

    @Inject
    PortalClient portal;

    @Inject
    PortalConfig portalConfig;

    @Inject
    IntakeConfig intake;

    @Inject
    OneCConfig config;

    @Inject
    OneCCompanySync companies;

    @Inject
    OneCGroups groups;

    @Inject
    OneCExchangeLog log;

    @Inject
    Clock clock;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    @Inject
    StageMoves stageMoves;

    private volatile Map<String, String> stages;

    /**
     * Applies a group of reclamation documents; returns when members left waiting may go again (empty when none
     * waits). Calls: one resolution of the dealers not known yet, one batch of deal lookups (only for documents whose
     * create may have been sent before), and the deals, product rows and comments in batches of 50 commands.
     */
    Optional<Instant> apply(List<OneCGroups.Member> members) {
        Map<String, Long> companyOf = new HashMap<>();
        Map<String, Long> contactOf = new HashMap<>();
        Map<String, OneCRecords.Counterparty> toResolve = new LinkedHashMap<>();
        Map<String, OneCRecords.Contact> contacts = new HashMap<>();
        boolean requestedBefore = false;
        for (OneCGroups.Member m : members) {
            OneCRecords.Reclamation r = (OneCRecords.Reclamation) m.record();
            if (m.object().companyId != null) {
                companyOf.put(m.ref(), m.object().companyId);
                contactOf.put(m.ref(), m.object().contactId);
                continue;
            }
            Optional<OneCObject> known = log.object(OneCRecords.Kind.COUNTERPARTY, r.counterparty().ref())
                    .filter(o -> o.portalId != null);
            if (known.isPresent() && (r.contact().email() == null || known.get().contactId != null)) {
                companyOf.put(m.ref(), known.get().portalId);
                contactOf.put(m.ref(), known.get().contactId);
            } else {
                toResolve.put(m.ref(), r.counterparty());
                contacts.put(m.ref(), r.contact());
                requestedBefore |= m.object().portalRequested;
            }
        }
        groups.markRequested(OneCRecords.Kind.RECLAMATION, toResolve.keySet());
        OneCCompanySync.Companies resolved = companies.resolve(toResolve, contacts, requestedBefore);
        Optional<Instant> again = Optional.empty();
        List<OneCGroups.Member> ready = new ArrayList<>();
        List<OneCExchangeLog.Link> links = new ArrayList<>();
        for (OneCGroups.Member m : members) {
            if (resolved.waitingUntil().containsKey(m.ref())) {
                groups.waiting(m, "waiting for the portal's time budget, or for another worker creating the company");
                again = OneCGroups.earliest(again, resolved.waitingUntil().get(m.ref()));
                continue;
            }
            if (resolved.failed().containsKey(m.ref())) {
                groups.failed(m, resolved.failed().get(m.ref()));
                continue;
            }
            if (resolved.byRef().containsKey(m.ref())) {
                var ids = resolved.byRef().get(m.ref());
                companyOf.put(m.ref(), ids.companyId());
                contactOf.put(m.ref(), ids.contactId());
                links.add(new OneCExchangeLog.Link(OneCRecords.Kind.RECLAMATION, m.ref(), null, ids.companyId(),
                        ids.contactId(), null, null));
            }
            ready.add(m);
        }
        log.linkAll(links);
        java.util.Set<String> notLookedUp = new java.util.HashSet<>();
        Map<String, Long> dealOf = existingDeals(ready, notLookedUp);
        List<OneCGroups.Member> deals = new ArrayList<>();
        for (OneCGroups.Member m : ready) {
            OneCRecords.Reclamation r = (OneCRecords.Reclamation) m.record();
            if (notLookedUp.contains(m.ref())) {
                continue; // its deal may exist: never create blind
            }
            if (r.deletionMark()) {
                groups.applied(m, new OneCGroups.Outcome(dealOf.get(m.ref()), companyOf.get(m.ref()),
                        "marked for deletion in 1C; the deal is left as it is"));
            } else {
                deals.add(m);
            }
        }
        writeDeals(deals, dealOf, companyOf, contactOf);
        return again;
    }

    /**
     * Deal ids: as recorded, or, for documents whose create may have been sent by an attempt whose answer was lost,
     * looked up by ORIGIN_ID (one batch). A document whose lookup fails is failed here and retried by its job.
     */
    private Map<String, Long> existingDeals(List<OneCGroups.Member> members, java.util.Set<String> notLookedUp) {
        Map<String, Long> dealOf = new HashMap<>();
        PortalBatch lookup = PortalBatch.create();
        Map<String, String> keyOf = new HashMap<>();
        for (OneCGroups.Member m : members) {
            if (m.object().portalId != null) {
                dealOf.put(m.ref(), m.object().portalId);
            } else if (m.object().portalRequested) {
                String key = "f" + keyOf.size();
                keyOf.put(m.ref(), key);
                lookup.add(key, "crm.deal.list", Map.of("filter", Map.of("ORIGINATOR_ID", ORIGINATOR,
                        "ORIGIN_ID", m.ref()), "select", List.of("ID")));
            }
        }
        if (lookup.isEmpty()) {
            return dealOf;
        }
        BatchResult found = portal.batch(lookup);
        for (OneCGroups.Member m : members) {
            String key = keyOf.get(m.ref());
            if (key == null) {
                continue;
            }
            if (!found.succeeded(key)) {
                notLookedUp.add(m.ref());
                groups.failed(m, found.error(key).map(Throwable::getMessage).orElse("deal lookup not answered"));
                continue;
            }
            for (JsonNode deal : PortalClient.itemsOf(found.result(key))) {
                long dealId = deal.path("ID").asLong();
                dealOf.put(m.ref(), dealId);
                // an earlier attempt created the deal and lost the answer: its comment may be on the deal already
                boolean commentDone = hasComment(dealId, (OneCRecords.Reclamation) m.record());
                m.object().commentDone = commentDone;
                log.link(OneCRecords.Kind.RECLAMATION, m.ref(), dealId, null, null, commentDone, null);
                break;
            }
        }
        return dealOf;
    }

    /** Deal (add or update), product rows and comment of each document; a document's commands share one call. */
    private void writeDeals(List<OneCGroups.Member> members, Map<String, Long> dealOf, Map<String, Long> companyOf,
                            Map<String, Long> contactOf) {
        List<PortalBatch> calls = new ArrayList<>();
        List<List<OneCGroups.Member>> membersOf = new ArrayList<>();
        PortalBatch batch = PortalBatch.create();
        List<OneCGroups.Member> inBatch = new ArrayList<>();
        Map<String, String> keyOf = new HashMap<>();
        for (OneCGroups.Member m : members) {
            OneCRecords.Reclamation r = (OneCRecords.Reclamation) m.record();
            if (batch.size() + 4 > PortalBatch.MAX_COMMANDS) {
                calls.add(batch);
                membersOf.add(inBatch);
                batch = PortalBatch.create();
                inBatch = new ArrayList<>();
            }
            String k = "r" + keyOf.size();
            keyOf.put(m.ref(), k);
            Long dealId = dealOf.get(m.ref());
            Map<String, Object> fields = dealFields(r, companyOf.get(m.ref()), contactOf.get(m.ref()), dealId == null);
            if (dealId != null && java.util.Objects.equals(appliedStatus(m), r.status())) {
                // the status did not change in 1C: the stage stays where the portal moved it
                fields.remove("STAGE_ID");
            }
            Object dealRef = dealId != null ? dealId : PortalBatch.ref(k + "deal");
            if (dealId == null) {
                batch.add(k + "deal", "crm.deal.add", Map.of("fields", fields, "params", Map.of("REGISTER_SONET_EVENT", "Y")));
            } else {
                if (fields.containsKey("STAGE_ID")) { // the deal's history shows 1C's status as the mover
                    stageMoves.expect(dealId, (String) fields.get("STAGE_ID"), Mover.ONEC, "onec:" + r.status());
                }
                batch.add(k + "deal", "crm.deal.update", Map.of("id", dealId, "fields", fields,
                        "params", Map.of("REGISTER_SONET_EVENT", "N")));
                Long contactId = contactOf.get(m.ref());
                if (contactId != null) {
                    // adds the counterparty's contact and keeps the others a manager linked (CONTACT_IDS would replace
                    // them all); a contact already linked answers false, not an error (crm-deal-contact-add.md)
                    batch.add(k + "contact", "crm.deal.contact.add", Map.of("id", dealId,
                            "fields", Map.of("CONTACT_ID", contactId, "IS_PRIMARY", "Y")));
                }
            }
            batch.add(k + "rows", "crm.deal.productrows.set", Map.of("id", dealRef, "rows", rows(r)));
            if (!m.object().commentDone) {
                batch.add(k + "note", "crm.timeline.comment.add", Map.of("fields", Map.of("ENTITY_ID", dealRef,
                        "ENTITY_TYPE", "deal", "COMMENT", comment(r))));
            }
            inBatch.add(m);
        }
        if (!batch.isEmpty()) {
            calls.add(batch);
            membersOf.add(inBatch);
        }
        for (int i = 0; i < calls.size(); i++) {
            List<OneCGroups.Member> sent = membersOf.get(i);
            // recorded before the call goes: if its answer is lost, the next attempt looks these deals up first
            groups.markRequested(OneCRecords.Kind.RECLAMATION,
                    sent.stream().filter(m -> !dealOf.containsKey(m.ref())).map(OneCGroups.Member::ref).toList());
            BatchResult result = portal.batch(calls.get(i));
            List<OneCGroups.Applied> done = new ArrayList<>();
            for (OneCGroups.Member m : sent) {
                record(m, keyOf.get(m.ref()), result, dealOf.get(m.ref()), companyOf.get(m.ref()), done);
            }
            groups.appliedAll(done);
        }
    }

    /**
     * What the batch did for one document: failed at once, or added to {@code done} with its deal id (recorded with
     * the whole call's documents in one transaction).
     */
    private void record(OneCGroups.Member m, String k, BatchResult result, Long knownDeal, Long companyId,
                        List<OneCGroups.Applied> done) {
        Long dealId = knownDeal;
        if (dealId == null) {
            if (!result.succeeded(k + "deal")) {
                groups.failed(m, result.error(k + "deal").map(Throwable::getMessage).orElse("deal not created"));
                return;
            }
            dealId = result.result(k + "deal").asLong();
        } else if (!result.succeeded(k + "deal")) {
            groups.failed(m, result.error(k + "deal").map(Throwable::getMessage).orElse("deal not updated"));
            return;
        }
        boolean noteSent = !m.object().commentDone;
        boolean commentDone = !noteSent || result.succeeded(k + "note");
        if (!result.succeeded(k + "rows") || !commentDone) {
            // the deal exists: recorded, so the retry updates it instead of creating another
            log.link(OneCRecords.Kind.RECLAMATION, m.ref(), dealId, null, null, commentDone, null);
            String error = result.error(k + "rows").or(() -> result.error(k + "note")).map(Throwable::getMessage)
                    .orElse("product rows or comment not answered");
            groups.failed(m, error);
            return;
        }
        done.add(new OneCGroups.Applied(m, new OneCGroups.Outcome(dealId, companyId, null), dealId, true));
    }

    /** The 1C status of the version applied before (null when none was). */
    private String appliedStatus(OneCGroups.Member m) {
        Long applied = m.object().appliedExchangeId;
        if (applied == null || applied == m.exchangeId()) {
            return null;
        }
        return log.find(applied).map(e -> e.payload).map(payload -> {
            try {
                return json.readTree(payload).path("status").asText(null);
            } catch (java.io.IOException e) {
                return null;
            }
        }).orElse(null);
    }

    private boolean hasComment(long dealId, OneCRecords.Reclamation r) {
        String heading = commentHeading(r);
        for (JsonNode comment : portal.list("crm.timeline.comment.list", Map.of("filter", Map.of("ENTITY_ID", dealId,
                "ENTITY_TYPE", "deal"), "select", List.of("ID", "COMMENT")))) {
            if (comment.path("COMMENT").asText("").startsWith(heading)) {
                return true;
            }
        }
        return false;
    }

    private static String commentHeading(OneCRecords.Reclamation r) {
        return "Рекламация 1С " + r.number() + " от " + OffsetDateTime.parse(r.date()).format(DAY);
    }

    private Map<String, Object> dealFields(OneCRecords.Reclamation r, Long companyId, Long contactId, boolean create) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("TITLE", "Рекламация " + r.number() + " — " + r.counterparty().name());
        if (create) {
            portalConfig.reclamationCategoryId().ifPresent(c -> fields.put("CATEGORY_ID", c));
            fields.put("ORIGINATOR_ID", ORIGINATOR);
            fields.put("ORIGIN_ID", r.ref());
            fields.put("SOURCE_ID", "OTHER");
            fields.put("SOURCE_DESCRIPTION", "1С");
            // the intake's managers; picked by the ref, so a retried create picks the same one
            intake.assignees().filter(a -> !a.isEmpty())
                    .ifPresent(a -> fields.put("ASSIGNED_BY_ID", a.get(Math.floorMod(r.ref().hashCode(), a.size()))));
        }
        fields.put("COMPANY_ID", companyId);
        if (contactId != null && create) {
            fields.put("CONTACT_IDS", List.of(contactId)); // CONTACT_ID is deprecated (crm-deal-add.md)
        }
        fields.put("BEGINDATE", r.date());
        if (r.amountClaimed() != null) {
            fields.put("OPPORTUNITY", r.amountClaimed().stripTrailingZeros().toPlainString());
            fields.put("CURRENCY_ID", r.currency());
        }
        fields.put("COMMENTS", r.description() == null ? "" : r.description());
        fields.put(intake.claimIdField(), r.number());
        fields.put(config.statusField(), r.status() == null ? "" : r.status());
        if (r.status() != null && stages().containsKey(r.status())) {
            fields.put("STAGE_ID", stages().get(r.status()));
        }
        return fields;
    }

    private static List<Map<String, Object>> rows(OneCRecords.Reclamation r) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (OneCRecords.Line line : r.lines()) {
            StringBuilder name = new StringBuilder(line.productName());
            if (line.productArticle() != null && !line.productArticle().equals(line.productName())) {
                name.append(" (").append(line.productArticle()).append(')');
            }
            if (!line.serialNumbers().isEmpty()) {
                name.append(", S/N ").append(String.join(", ", line.serialNumbers()));
            }
            BigDecimal price = line.amount() == null ? BigDecimal.ZERO
                    : line.amount().divide(line.quantity(), 2, RoundingMode.HALF_UP);
            rows.add(Map.of("PRODUCT_ID", 0, "PRODUCT_NAME", name.toString(), "PRICE", price.toPlainString(),
                    "QUANTITY", line.quantity().stripTrailingZeros().toPlainString(), "SORT", line.lineNumber() * 10));
        }
        return rows;
    }

    private static String comment(OneCRecords.Reclamation r) {
        StringBuilder text = new StringBuilder(commentHeading(r)).append('\n');
        if (r.description() != null) {
            text.append(r.description()).append('\n');
        }
        for (OneCRecords.Line line : r.lines()) {
            text.append("• ").append(line.productName()).append(" × ").append(line.quantity().stripTrailingZeros().toPlainString());
            if (line.defect() != null) {
                text.append(": ").append(line.defect());
            }
            text.append('\n');
        }
        for (OneCRecords.Attachment file : r.attachments()) {
            text.append("Файл: ").append(file.fileName() == null ? "" : file.fileName() + " ").append(file.url()).append('\n');
        }
        return text.toString();
    }

    /** {@code ONEC_STATUS_STAGES}: 1C status → stage id. */
    private Map<String, String> stages() {
        Map<String, String> known = stages;
        if (known == null) {
            known = new HashMap<>();
            for (String pair : config.statusStages().orElse("").split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    known.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
            stages = known;
        }
        return known;
    }
}
