package ru.b24connector.onec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Turns OData entities (1C's own attribute names, mostly Cyrillic) into the push bodies of
 * reference/1c-integration.md §7.4, so that pulled records are read, validated and applied exactly as pushed ones.
 */
final class ODataShapes {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ODataShapes() {
    }

    /** A {@code Catalog_Контрагенты} entity as a counterparty push body, its attributes named as configured. */
    static ObjectNode counterparty(JsonNode e, OneCConfig.CounterpartyFields c) {
        ObjectNode cp = F.objectNode();
        copy(e, "Ref_Key", cp, "ref");
        copy(e, "DataVersion", cp, "dataVersion");
        copy(e, "Description", cp, "name");
        copy(e, c.fullName(), cp, "fullName");
        copy(e, c.legalForm(), cp, "legalForm");
        copy(e, c.inn(), cp, "inn");
        copy(e, c.kpp(), cp, "kpp");
        cp.put("deletionMark", e.path("DeletionMark").asBoolean(false));
        for (JsonNode info : e.path(c.contactInformation())) {
            String type = info.path(c.contactType()).asText("");
            String value = info.path(c.contactPresentation()).asText("");
            if ("Телефон".equals(type) && !cp.has("phone") && !value.isBlank()) {
                cp.put("phone", value);
            } else if ("АдресЭлектроннойПочты".equals(type) && !cp.has("email") && !value.isBlank()) {
                cp.put("email", value);
            }
        }
        return F.objectNode().set("counterparty", cp);
    }

    /**
     * A reclamation document entity as a reclamation push body.
     *
     * @param counterparty the document's counterparty as the service knows it (a stored {@link OneCRecords.Counterparty})
     * @param products     product names by Ref_Key, for lines without a presentation
     */
    static ObjectNode reclamation(JsonNode e, OneCConfig.Fields f, OneCRecords.Counterparty counterparty,
                                  Map<String, String> products) {
        ObjectNode doc = F.objectNode();
        copy(e, "Ref_Key", doc, "ref");
        copy(e, "DataVersion", doc, "dataVersion");
        copy(e, "Number", doc, "number");
        copy(e, "Date", doc, "date");
        copy(e, f.status(), doc, "status");
        copy(e, f.description(), doc, "defectDescription");
        copy(e, f.amount(), doc, "amountClaimed");
        doc.put("deletionMark", e.path("DeletionMark").asBoolean(false));
        ObjectNode cp = doc.putObject("counterparty");
        cp.put("ref", counterparty.ref());
        cp.put("name", counterparty.name());
        cp.put("inn", counterparty.inn());
        if (counterparty.kpp() != null) {
            cp.put("kpp", counterparty.kpp());
        }
        ObjectNode contact = doc.putObject("contact");
        putIfSet(contact, "name", counterparty.contactName());
        putIfSet(contact, "phone", counterparty.phone());
        putIfSet(contact, "email", counterparty.email());
        ArrayNode lines = doc.putArray("lines");
        for (JsonNode row : e.path(f.lines())) {
            ObjectNode line = lines.addObject();
            copy(row, "LineNumber", line, "lineNumber");
            copy(row, f.lineQuantity(), line, "quantity");
            String serial = row.path(f.lineSerial()).asText("");
            if (!serial.isBlank()) {
                line.putArray("serialNumbers").add(serial);
            }
            ObjectNode product = line.putObject("product");
            String productRef = row.path(f.lineProduct()).asText("");
            product.put("ref", productRef);
            String presentation = row.path(f.lineProduct().replaceAll("_Key$", "") + "____Presentation").asText("");
            putIfSet(product, "name", presentation.isBlank() ? products.get(productRef.toLowerCase(java.util.Locale.ROOT)) : presentation);
            copy(row, f.lineDefect(), line, "defect");
            copy(row, f.lineAmount(), line, "amount");
        }
        return F.objectNode().set("reclamation", doc);
    }

    private static void copy(JsonNode from, String name, ObjectNode to, String as) {
        JsonNode value = from.path(name);
        if (!value.isMissingNode() && !value.isNull()) {
            to.set(as, value);
        }
    }

    private static void putIfSet(ObjectNode to, String name, String value) {
        if (value != null && !value.isBlank()) {
            to.put(name, value);
        }
    }
}
