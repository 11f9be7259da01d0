package ru.b24connector.onec;

import com.fasterxml.jackson.databind.JsonNode;
import ru.b24connector.reclamation.Inn;
import ru.b24connector.reclamation.Phones;
import ru.b24connector.web.Problem;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads fields the way 1C code writes them and collects every broken rule with its JSON path: numbers as numbers
 * or strings ({@code "1"}), dates without a zone (read in the 1C zone), 1C's empty date and empty reference as
 * absent, GUIDs in any case.
 */
final class OneCInput {

    static final String EMPTY_REF = "00000000-0000-0000-0000-000000000000";
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern KPP = Pattern.compile("\\d{4}[0-9A-Z]{2}\\d{3}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private final List<Problem.FieldError> errors = new ArrayList<>();
    private final ZoneId zone;

    OneCInput(ZoneId zone) {
        this.zone = zone;
    }

    List<Problem.FieldError> errors() {
        return errors;
    }

    void fail(String field, String rule, String message) {
        errors.add(new Problem.FieldError(field, rule, message));
    }

    /** Trimmed text; null when absent or blank (an error if required). */
    String text(JsonNode node, String field, boolean required, int maxLength) {
        JsonNode value = node.path(last(field));
        if (value.isMissingNode() || value.isNull() || value.isTextual() && value.asText().isBlank()) {
            if (required) {
                fail(field, "required", "is required");
            }
            return null;
        }
        if (!value.isValueNode()) {
            fail(field, "type", "must be text");
            return null;
        }
        String text = value.asText().trim();
        if (text.length() > maxLength) {
            fail(field, "max-length", "must be at most " + maxLength + " characters");
            return null;
        }
        return text;
    }

    /** A 1C reference in lower case; the empty reference counts as absent. */
    String guid(JsonNode node, String field, boolean required) {
        String text = text(node, field, required, 64);
        if (text == null) {
            return null;
        }
        if (!GUID.matcher(text).matches()) {
            fail(field, "guid", "must be a 1C reference (GUID such as 3f2b6c1a-7d4e-11ee-b962-0242ac120002), not '" + text + "'");
            return null;
        }
        if (EMPTY_REF.equals(text)) {
            if (required) {
                fail(field, "required", "is the empty reference");
            }
            return null;
        }
        return text.toLowerCase(Locale.ROOT);
    }

    /**
     * A date as ISO-8601 with offset. Without a zone (as 1C writes local dates) it is read in the 1C zone;
     * 1C's empty date {@code 0001-01-01T00:00:00} counts as absent.
     */
    String date(JsonNode node, String field, boolean required) {
        String text = text(node, field, required, 40);
        if (text == null) {
            return null;
        }
        if (text.startsWith("0001-01-01")) {
            if (required) {
                fail(field, "required", "is 1C's empty date");
            }
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toString();
        } catch (DateTimeParseException withoutZone) {
            try {
                String local = text.length() == 10 ? text + "T00:00:00" : text;
                return LocalDateTime.parse(local).atZone(zone).toOffsetDateTime().toString();
            } catch (DateTimeParseException e) {
                fail(field, "date-time", "must be a date such as 2024-05-01T10:00:00, not '" + text + "'");
                return null;
            }
        }
    }

    /** A number written as a JSON number or a string ({@code 48500}, {@code "48500.00"}, {@code "1"}). */
    BigDecimal number(JsonNode node, String field, boolean required) {
        JsonNode value = node.path(last(field));
        if (value.isMissingNode() || value.isNull() || value.isTextual() && value.asText().isBlank()) {
            if (required) {
                fail(field, "required", "is required");
            }
            return null;
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isTextual()) {
            try {
                return new BigDecimal(value.asText().trim().replace(',', '.').replace(" ", "").replace("\u00a0", ""));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        fail(field, "number", "must be a number, not '" + value.asText() + "'");
        return null;
    }

    /** INN with its check digits (10 digits for organisations, 12 for individuals and entrepreneurs). */
    String inn(JsonNode node, String field) {
        String inn = text(node, field, true, 12 + 8);
        if (inn == null) {
            return null;
        }
        inn = inn.replace(" ", "");
        if (!Inn.isValid(inn) || inn.chars().allMatch(c -> c == '0')) {
            fail(field, "inn-checksum", "is not a valid INN (10 or 12 digits with check digits): '" + inn + "'");
            return null;
        }
        return inn;
    }

    /** KPP ({@code 4 digits, 2 digits or capitals, 3 digits}); absent for individuals. */
    String kpp(JsonNode node, String field) {
        String kpp = text(node, field, false, 9 + 8);
        if (kpp == null) {
            return null;
        }
        kpp = kpp.replace(" ", "").toUpperCase(Locale.ROOT);
        if (!KPP.matcher(kpp).matches()) {
            fail(field, "kpp", "is not a valid KPP (9 characters: 4 digits, 2 digits or letters, 3 digits): '" + kpp + "'");
            return null;
        }
        return kpp;
    }

    String email(JsonNode node, String field) {
        String email = text(node, field, false, 255);
        if (email == null) {
            return null;
        }
        if (!EMAIL.matcher(email).matches()) {
            fail(field, "email", "is not an e-mail address: '" + email + "'");
            return null;
        }
        return email.toLowerCase(Locale.ROOT);
    }

    String phone(JsonNode node, String field) {
        String phone = text(node, field, false, 40);
        if (phone == null) {
            return null;
        }
        return Phones.normalize(phone).orElseGet(() -> {
            fail(field, "phone", "is not a phone number: '" + phone + "'");
            return null;
        });
    }

    boolean flag(JsonNode node, String field) {
        JsonNode value = node.path(last(field));
        return value.isBoolean() ? value.asBoolean() : "true".equalsIgnoreCase(value.asText(""));
    }

    /** An object the field must hold; a missing node when absent (an error if required). */
    JsonNode object(JsonNode node, String field, boolean required) {
        JsonNode value = node.path(last(field));
        if (value.isObject()) {
            return value;
        }
        if (required || !value.isMissingNode() && !value.isNull()) {
            fail(field, value.isMissingNode() || value.isNull() ? "required" : "type",
                    value.isMissingNode() || value.isNull() ? "is required" : "must be an object");
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** The elements of an array field; empty when absent. */
    List<JsonNode> array(JsonNode node, String field) {
        JsonNode value = node.path(last(field));
        List<JsonNode> items = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(items::add);
        } else if (!value.isMissingNode() && !value.isNull()) {
            fail(field, "type", "must be an array");
        }
        return items;
    }

    /** {@code reclamation.counterparty.inn} → {@code inn}: the name within its object. */
    private static String last(String field) {
        int dot = field.lastIndexOf('.');
        String name = dot < 0 ? field : field.substring(dot + 1);
        int bracket = name.indexOf('[');
        return bracket < 0 ? name : name.substring(0, bracket);
    }
}
