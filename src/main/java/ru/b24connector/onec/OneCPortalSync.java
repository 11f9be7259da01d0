package ru.b24connector.onec;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.portal.BatchResult;
import ru.b24connector.portal.PortalBatch;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalConfig;
import ru.b24connector.reclamation.CompanyContactResolver;
import ru.b24connector.reclamation.IntakeConfig;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts 1C records into the portal. Counterparties become companies (found by INN, e-mail or phone before one is
 * created, through the intake's resolver); reclamations become deals keyed by {@code ORIGINATOR_ID=1c},
 * {@code ORIGIN_ID=<Ref_Key>}: an update changes the deal, its product rows and status, never opens another.
 * Every portal id is recorded as soon as it is known, and a deal not yet recorded is looked up by ORIGIN_ID
 * before one is created, so a retry after a lost answer creates nothing twice.
 */
@ApplicationScoped
class OneCPortalSync {

    static final String ORIGINATOR = "1c";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd.MM.yyyy");

    /** What applying changed in the portal; {@code ignored} says why nothing was done. */
    record Outcome(Long dealId, Long companyId, String ignored) {
    }

    @Inject
    PortalClient portal;

    @Inject
    PortalConfig portalConfig;

    @Inject
    IntakeConfig intake;

    @Inject
    OneCConfig config;

    @Inject
    CompanyContactResolver resolver;

    @Inject
    OneCExchangeLog log;

    private volatile Map<String, String> stages;

    Outcome apply(OneCObject object, OneCRecords.Record record) {
        return record instanceof OneCRecords.Counterparty c ? counterparty(object, c)
                : reclamation(object, (OneCRecords.Reclamation) record);
    }

    private Outcome counterparty(OneCObject object, OneCRecords.Counterparty c) {
        if (c.deletionMark()) {
            return new Outcome(null, object.portalId, "marked for deletion in 1C; the company is left as it is");
        }
        long companyId = object.portalId != null ? object.portalId : company(c, c.contactName(), c.email(), c.phone());
        portal.call("crm.company.update", Map.of("id", companyId, "fields", Map.of("TITLE", c.name()),
                "params", Map.of("REGISTER_SONET_EVENT", "N")));
        return new Outcome(null, companyId, null);
    }

    private Outcome reclamation(OneCObject object, OneCRecords.Reclamation r) {
        OneCRecords.Counterparty cp = r.counterparty();
        Long companyId = object.companyId;
        Long contactId = object.contactId;
        if (companyId == null) {
            Optional<OneCObject> known = log.object(OneCRecords.Kind.COUNTERPARTY, cp.ref()).filter(o -> o.portalId != null);
            if (known.isPresent()) {
                companyId = known.get().portalId;
                contactId = known.get().contactId;
            } else {
                companyId = company(cp, r.contact().name(), r.contact().email(), r.contact().phone());
                contactId = log.object(OneCRecords.Kind.COUNTERPARTY, cp.ref()).map(o -> o.contactId).orElse(null);
            }
            log.link(OneCRecords.Kind.RECLAMATION, r.ref(), null, companyId, contactId, null, null);
        }
        Long dealId = object.portalId != null ? object.portalId : existingDeal(r.ref()).orElse(null);
        if (r.deletionMark()) {
            return new Outcome(dealId, companyId, "marked for deletion in 1C; the deal is left as it is");
        }
        boolean commentDone = object.commentDone;
        if (dealId != null && object.portalId == null) {
            // an earlier attempt created the deal and lost the answer: its comment may be on the deal already
            commentDone = hasComment(dealId, r);
            log.link(OneCRecords.Kind.RECLAMATION, r.ref(), dealId, null, null, commentDone, null);
        }
        PortalBatch batch = PortalBatch.create();
        Map<String, Object> fields = dealFields(r, companyId, contactId, dealId == null);
        Object dealRef = dealId != null ? dealId : PortalBatch.ref("deal");
        if (dealId == null) {
            batch.add("deal", "crm.deal.add", Map.of("fields", fields, "params", Map.of("REGISTER_SONET_EVENT", "Y")));
        } else {
            batch.add("deal", "crm.deal.update", Map.of("id", dealId, "fields", fields,
                    "params", Map.of("REGISTER_SONET_EVENT", "N")));
        }
        batch.add("rows", "crm.deal.productrows.set", Map.of("id", dealRef, "rows", rows(r)));
        if (!commentDone) {
            batch.add("note", "crm.timeline.comment.add", Map.of("fields", Map.of("ENTITY_ID", dealRef,
                    "ENTITY_TYPE", "deal", "COMMENT", comment(r))));
        }
        BatchResult result = portal.batch(batch);
        if (dealId == null) {
            dealId = result.result("deal").asLong(); // throws the portal's refusal: the job retries, nothing was created
            log.link(OneCRecords.Kind.RECLAMATION, r.ref(), dealId, null, null, null, null);
        } else {
            result.result("deal");
        }
        if (!commentDone && result.succeeded("note")) {
            log.link(OneCRecords.Kind.RECLAMATION, r.ref(), null, null, null, true, null);
        }
        result.result("rows");
        if (!commentDone) {
            result.result("note");
        }
        return new Outcome(dealId, companyId, null);
    }

    /** Finds or creates the counterparty's company (and contact) and records it under the counterparty's ref. */
    private long company(OneCRecords.Counterparty c, String contactName, String email, String phone) {
        CompanyContactResolver.CompanyContact ids = resolver.resolve(new CompanyContactResolver.Party(c.name(), c.inn(),
                c.kpp(), contactName, email, phone));
        log.link(OneCRecords.Kind.COUNTERPARTY, c.ref(), ids.companyId(), ids.companyId(), ids.contactId(), null,
                log.toJson(c));
        return ids.companyId();
    }

    private Optional<Long> existingDeal(String ref) {
        for (JsonNode deal : portal.list("crm.deal.list", Map.of("filter", Map.of("ORIGINATOR_ID", ORIGINATOR,
                "ORIGIN_ID", ref), "select", List.of("ID")))) {
            return Optional.of(deal.path("ID").asLong());
        }
        return Optional.empty();
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
        if (contactId != null) {
            fields.put("CONTACT_ID", contactId);
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
