package ru.b24connector.mail;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.jobs.PermanentJobFailure;
import ru.b24connector.portal.BatchResult;
import ru.b24connector.portal.PortalBatch;
import ru.b24connector.portal.PortalClient;
import ru.b24connector.portal.PortalException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what a decision mail shows from the portal in one {@code batch}: the deal, its product rows, the
 * responsible manager and (when no address was given) the deal's contact; then renders the mail.
 */
@ApplicationScoped
class DecisionMailComposer {

    /** A rendered mail and where it goes. */
    record Composed(String recipient, String language, String subject, String html) {
    }

    @Inject
    PortalClient portal;

    @Inject
    MailConfig config;

    @Inject
    MailTemplates templates;

    Composed compose(MailOutbox row) {
        PortalBatch batch = PortalBatch.create()
                .add("deal", "crm.deal.get", Map.of("id", row.dealId))
                .add("rows", "crm.deal.productrows.get", Map.of("id", row.dealId))
                .add("manager", "user.get", Map.of("ID", PortalBatch.ref("deal", "ASSIGNED_BY_ID")));
        if (row.requestedEmail == null) {
            // the deal's CONTACT_ID is deprecated (crm-deal-get.md): its contacts come from crm.deal.contact.items.get,
            // ordered by SORT with the primary first as in that page's example (the docs do not promise the order)
            batch.add("contacts", "crm.deal.contact.items.get", Map.of("id", row.dealId));
            batch.add("contact", "crm.contact.get", Map.of("id", PortalBatch.ref("contacts", 0, "CONTACT_ID")));
        }
        BatchResult result = portal.batch(batch).waitIfLimited(); // a refused contact read is not "no e-mail"
        JsonNode deal;
        try {
            deal = result.result("deal");
        } catch (PortalException.CommandFailed e) {
            if (e.getMessage().contains("Not found")) {
                throw new PermanentJobFailure("deal " + row.dealId + " does not exist in the portal", e);
            }
            throw e;
        }
        String recipient = row.requestedEmail != null ? row.requestedEmail
                : result.succeeded("contact") ? firstEmail(result.result("contact")).orElse(null) : null;
        if (recipient == null) {
            throw new PermanentJobFailure("deal " + row.dealId + " has no contact e-mail and none was given");
        }
        String language = language(deal);
        DecisionMail mail = new DecisionMail(language, row.dealId, text(deal, "TITLE"),
                text(deal, config.claimNumberField()), row.decision, row.decision.label(language),
                row.comment == null ? "" : row.comment.trim(), withoutBbCode(text(deal, "COMMENTS")),
                items(result), manager(result));
        MailTemplates.Rendered rendered = templates.render(mail);
        return new Composed(recipient, language, rendered.subject(), rendered.html());
    }

    private String language(JsonNode deal) {
        String chosen = config.languageField().map(field -> text(deal, field).toLowerCase(Locale.ROOT)).orElse("");
        if (chosen.startsWith("en")) {
            return "en";
        }
        return chosen.startsWith("ru") ? "ru" : config.language();
    }

    private static List<DecisionMail.Item> items(BatchResult result) {
        List<DecisionMail.Item> items = new ArrayList<>();
        if (result.succeeded("rows")) {
            for (JsonNode row : PortalClient.itemsOf(result.result("rows"))) {
                items.add(new DecisionMail.Item(text(row, "PRODUCT_NAME"), quantity(text(row, "QUANTITY")),
                        text(row, "MEASURE_NAME")));
            }
        }
        return items;
    }

    private static DecisionMail.Manager manager(BatchResult result) {
        if (result.succeeded("manager")) {
            for (JsonNode user : PortalClient.itemsOf(result.result("manager"))) {
                String name = (text(user, "NAME") + " " + text(user, "LAST_NAME")).trim();
                String phone = text(user, "WORK_PHONE").isEmpty() ? text(user, "PERSONAL_MOBILE") : text(user, "WORK_PHONE");
                return new DecisionMail.Manager(name, text(user, "EMAIL"), phone);
            }
        }
        return new DecisionMail.Manager("", "", "");
    }

    private static Optional<String> firstEmail(JsonNode contact) {
        for (JsonNode email : contact.path("EMAIL")) {
            String value = email.path("VALUE").asText("").trim();
            if (!value.isEmpty()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** "1.00" → "1": the portal sends quantities as decimals. */
    private static String quantity(String value) {
        try {
            return new BigDecimal(value).stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            return value;
        }
    }

    private static String withoutBbCode(String text) {
        return text.replaceAll("\\[/?[A-Za-z*]+(=[^\\]]*)?]", "").trim();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText("").trim() : "";
    }

    static Map<String, Object> timelineComment(long dealId, String comment) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("ENTITY_ID", dealId);
        fields.put("ENTITY_TYPE", "deal");
        fields.put("COMMENT", comment);
        return Map.of("fields", fields);
    }
}
