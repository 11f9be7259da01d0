package ru.b24connector.onec;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.web.InvalidInputException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the push bodies of reference/1c-integration.md §7.4 into {@link OneCRecords}. The pull translates what
 * OData returns into the same shape and comes through here too, so both directions obey the same rules.
 * Every broken rule is reported at once, with the field's JSON path.
 */
@ApplicationScoped
public class OneCRecordReader {

    @Inject
    OneCConfig config;

    /** {@code {"reclamation": {...}}} (or the document object itself). */
    public OneCRecords.Reclamation reclamation(JsonNode body) {
        OneCInput in = new OneCInput(config.zone());
        JsonNode doc = body.has("reclamation") || !body.has("ref") ? in.object(body, "reclamation", true) : body;
        String p = body.has("reclamation") || !body.has("ref") ? "reclamation." : "";
        String ref = in.guid(doc, p + "ref", true);
        String dataVersion = in.text(doc, p + "dataVersion", false, 128);
        String number = in.text(doc, p + "number", true, 64);
        String date = in.date(doc, p + "date", true);
        String status = in.text(doc, p + "status", false, 100);

        JsonNode cp = in.object(doc, p + "counterparty", true);
        JsonNode ct = in.object(doc, p + "contact", false);
        OneCRecords.Contact contact = new OneCRecords.Contact(in.text(ct, p + "contact.name", false, 255),
                in.phone(ct, p + "contact.phone"), in.email(ct, p + "contact.email"));
        OneCRecords.Counterparty counterparty = new OneCRecords.Counterparty(
                in.guid(cp, p + "counterparty.ref", true), null, in.text(cp, p + "counterparty.name", true, 255),
                in.text(cp, p + "counterparty.fullName", false, 500), in.text(cp, p + "counterparty.legalForm", false, 64),
                in.inn(cp, p + "counterparty.inn"), in.kpp(cp, p + "counterparty.kpp"),
                contact.name(), contact.email(), contact.phone(), false);

        String description = in.text(doc, p + "defectDescription", false, 20_000);
        BigDecimal amount = in.number(doc, p + "amountClaimed", false);
        if (amount != null && amount.signum() < 0) {
            in.fail(p + "amountClaimed", "min", "must not be negative");
        }
        String currency = in.text(doc, p + "currency", false, 3);
        if (currency != null && !currency.matches("[A-Za-z]{3}")) {
            in.fail(p + "currency", "currency", "must be a three-letter code such as RUB");
        }

        List<OneCRecords.Line> lines = new ArrayList<>();
        List<JsonNode> lineNodes = in.array(doc, p + "lines");
        if (lineNodes.isEmpty()) {
            in.fail(p + "lines", "not-empty", "must hold at least one goods line");
        }
        for (int i = 0; i < lineNodes.size(); i++) {
            lines.add(line(in, lineNodes.get(i), p + "lines[" + i + "]", i + 1));
        }
        List<OneCRecords.Attachment> attachments = new ArrayList<>();
        List<JsonNode> files = in.array(doc, p + "attachments");
        for (int i = 0; i < files.size(); i++) {
            String f = p + "attachments[" + i + "]";
            String url = in.text(files.get(i), f + ".url", true, 2000);
            if (url != null && !url.matches("(?i)https?://\\S+")) {
                in.fail(f + ".url", "url", "must be an http or https address");
            }
            attachments.add(new OneCRecords.Attachment(in.text(files.get(i), f + ".fileName", false, 255),
                    in.text(files.get(i), f + ".mimeType", false, 100), url));
        }
        boolean deleted = in.flag(doc, p + "deletionMark");
        throwIfInvalid(in);
        return new OneCRecords.Reclamation(ref, dataVersion, number, date, status, counterparty, contact, description,
                amount, currency == null ? "RUB" : currency.toUpperCase(Locale.ROOT), lines, attachments, deleted);
    }

    private OneCRecords.Line line(OneCInput in, JsonNode line, String f, int position) {
        BigDecimal lineNumber = in.number(line, f + ".lineNumber", false);
        BigDecimal quantity = in.number(line, f + ".quantity", true);
        if (quantity != null && quantity.signum() <= 0) {
            in.fail(f + ".quantity", "positive", "must be more than 0");
        }
        JsonNode product = in.object(line, f + ".product", true);
        String productRef = in.guid(product, f + ".product.ref", false);
        String code = in.text(product, f + ".product.code", false, 64);
        String article = in.text(product, f + ".product.article", false, 100);
        String name = in.text(product, f + ".product.name", false, 500);
        if (name == null && article == null && code == null && product.isObject()) {
            in.fail(f + ".product.name", "required", "is required (or an article or a code)");
        }
        List<String> serials = new ArrayList<>();
        for (JsonNode serial : in.array(line, f + ".serialNumbers")) {
            if (!serial.asText().isBlank()) {
                serials.add(serial.asText().trim());
            }
        }
        return new OneCRecords.Line(lineNumber == null ? position : lineNumber.intValue(), quantity, serials,
                productRef, code, article, name != null ? name : article != null ? article : code,
                in.text(line, f + ".defect", false, 2000), in.number(line, f + ".amount", false));
    }

    /** {@code {"counterparty": {...}}} (or the counterparty object itself). */
    public OneCRecords.Counterparty counterparty(JsonNode body) {
        OneCInput in = new OneCInput(config.zone());
        boolean wrapped = body.has("counterparty") || !body.has("ref");
        JsonNode cp = wrapped ? in.object(body, "counterparty", true) : body;
        String p = wrapped ? "counterparty." : "";
        String ref = in.guid(cp, p + "ref", true);
        String dataVersion = in.text(cp, p + "dataVersion", false, 128);
        String name = in.text(cp, p + "name", true, 255);
        String fullName = in.text(cp, p + "fullName", false, 500);
        String legalForm = in.text(cp, p + "legalForm", false, 64);
        String inn = in.inn(cp, p + "inn");
        String kpp = in.kpp(cp, p + "kpp");
        if (inn != null && inn.length() == 12 && kpp != null) {
            in.fail(p + "kpp", "kpp-individual", "must be empty for a 12-digit INN (individuals and entrepreneurs have no KPP)");
        }
        OneCRecords.Counterparty counterparty = new OneCRecords.Counterparty(ref, dataVersion, name, fullName, legalForm,
                inn, kpp, in.text(cp, p + "contactName", false, 255), in.email(cp, p + "email"), in.phone(cp, p + "phone"),
                in.flag(cp, p + "deletionMark"));
        throwIfInvalid(in);
        return counterparty;
    }

    private static void throwIfInvalid(OneCInput in) {
        if (!in.errors().isEmpty()) {
            throw new InvalidInputException(in.errors());
        }
    }
}
