package ru.b24connector.onec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.web.InvalidInputException;
import ru.b24connector.web.Problem;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads OData rows into records, whichever way they were found (a page of the pull, a changed document of the scan
 * or of the exchange plan): with the fields it reads named in {@code $select} (17.4.3: presentations come only when
 * named, never for tabular sections, so products are read by Ref_Key in groups), the document's counterparty as
 * stored or read from 1C, and its products' names from {@link OneCProducts}.
 */
@ApplicationScoped
class OneCRowReader {

    /** A reference the document needs could not be read (1C refused, or does not publish its set): try again later. */
    static final class ReferenceRefused extends RuntimeException {
        ReferenceRefused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Inject
    OneCConfig config;

    @Inject
    OneCODataClient odata;

    @Inject
    OneCRecordReader reader;

    @Inject
    OneCExchangeLog log;

    @Inject
    OneCProducts products;

    @Inject
    ObjectMapper json;

    /** {@code $select} of a reclamation document: the fields the service reads, its goods lines' fields only. */
    String documentSelect() {
        OneCConfig.Fields f = config.fields();
        Set<String> fields = new LinkedHashSet<>(List.of("Ref_Key", "DataVersion", "DeletionMark", "Posted", "Number", "Date",
                f.counterparty(), f.status(), f.description(), f.amount()));
        for (String line : List.of("LineNumber", f.lineProduct(), f.lineQuantity(), f.lineSerial(), f.lineDefect(), f.lineAmount())) {
            fields.add(f.lines() + "/" + line);
        }
        return String.join(",", fields);
    }

    /** {@code $select} of a counterparty (with its contact information's type and presentation). */
    String counterpartySelect() {
        OneCConfig.CounterpartyFields c = config.counterpartyFields();
        return String.join(",", new LinkedHashSet<>(List.of("Ref_Key", "DataVersion", "DeletionMark", "IsFolder", "Description",
                c.fullName(), c.legalForm(), c.inn(), c.kpp(), c.contactInformation() + "/" + c.contactType(),
                c.contactInformation() + "/" + c.contactPresentation())));
    }

    /**
     * Reads one entity into a record: empty when it needs nothing (a catalog folder, a version received before), null
     * when it broke a rule (logged rejected; the page goes on).
     *
     * @throws ReferenceRefused when a reference could not be read: the document is neither received nor rejected
     */
    Optional<OneCRecords.Record> take(OneCRecords.Kind kind, JsonNode row) {
        String ref = row.path("Ref_Key").asText("").toLowerCase(Locale.ROOT);
        String version = row.path("DataVersion").asText(null);
        if (row.path("IsFolder").asBoolean(false)) {
            return Optional.empty(); // a group of the catalog, not a counterparty
        }
        if (!ref.isEmpty() && version != null && log.known(kind, ref, version)) {
            return Optional.empty();
        }
        String label = kind == OneCRecords.Kind.COUNTERPARTY ? row.path("Description").asText("") : row.path("Number").asText("");
        try {
            return Optional.of(kind == OneCRecords.Kind.COUNTERPARTY
                    ? reader.counterparty(ODataShapes.counterparty(row, config.counterpartyFields()))
                    : reader.reclamation(ODataShapes.reclamation(row, config.fields(), counterpartyOf(row), productNames(row))));
        } catch (InvalidInputException e) {
            log.reject(OneCExchange.Direction.PULL, kind, ref.isEmpty() ? null : ref, version, label, describe(e.errors()),
                    row.toString());
            return null;
        }
    }

    /** The document's counterparty: as received before, or read from 1C now; unknown or invalid → rejected. */
    private OneCRecords.Counterparty counterpartyOf(JsonNode doc) {
        String field = config.fields().counterparty();
        String ref = doc.path(field).asText("").toLowerCase(Locale.ROOT);
        if (ref.isEmpty() || OneCInput.EMPTY_REF.equals(ref)) {
            throw new InvalidInputException(field, "required", "the document names no counterparty");
        }
        Optional<String> stored = log.object(OneCRecords.Kind.COUNTERPARTY, ref).map(o -> o.payload);
        if (stored.isPresent() && stored.get() != null) {
            try {
                return json.readValue(stored.get(), OneCRecords.Counterparty.class);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("stored counterparty " + ref + " is unreadable", e);
            }
        }
        List<JsonNode> found;
        try {
            // a collection read, so allowedOnly applies (17.4.5.4): a row the user may not see is simply not there
            found = odata.page(config.counterpartySet(), Map.of("$filter", "Ref_Key eq guid'" + ref + "'",
                    "$select", counterpartySelect()));
        } catch (OneCODataClient.Refused e) {
            throw new ReferenceRefused("the counterparty " + ref + " could not be read: " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            throw new InvalidInputException(field, "unknown-reference", "no counterparty " + ref
                    + " in 1C visible to the OData user");
        }
        JsonNode entity = found.get(0);
        try {
            OneCRecords.Counterparty counterparty = reader.counterparty(ODataShapes.counterparty(entity, config.counterpartyFields()));
            log.receive(OneCExchange.Direction.PULL, counterparty);
            return counterparty;
        } catch (InvalidInputException e) {
            log.reject(OneCExchange.Direction.PULL, OneCRecords.Kind.COUNTERPARTY, ref, entity.path("DataVersion").asText(null),
                    entity.path("Description").asText(""), describe(e.errors()), entity.toString());
            throw new InvalidInputException(field, "invalid-reference", "counterparty " + ref + " is invalid: " + describe(e.errors()));
        }
    }

    /** Names of the products the document's lines refer to (read in groups and cached by {@link OneCProducts}). */
    private Map<String, String> productNames(JsonNode doc) {
        OneCConfig.Fields f = config.fields();
        List<String> refs = new ArrayList<>();
        for (JsonNode line : doc.path(f.lines())) {
            String ref = line.path(f.lineProduct()).asText("").toLowerCase(Locale.ROOT);
            if (!ref.isEmpty() && !OneCInput.EMPTY_REF.equals(ref)) {
                refs.add(ref);
            }
        }
        Map<String, String> names;
        try {
            names = products.names(refs);
        } catch (OneCODataClient.Refused e) {
            throw new ReferenceRefused("the products of the document could not be read: " + e.getMessage(), e);
        }
        int i = 0;
        for (JsonNode line : doc.path(f.lines())) {
            String ref = line.path(f.lineProduct()).asText("").toLowerCase(Locale.ROOT);
            if (!ref.isEmpty() && !OneCInput.EMPTY_REF.equals(ref) && !names.containsKey(ref)) {
                throw new InvalidInputException(f.lines() + "[" + i + "]." + f.lineProduct(), "unknown-reference",
                        "no product " + ref + " in 1C visible to the OData user");
            }
            i++;
        }
        return names;
    }

    static String describe(List<Problem.FieldError> errors) {
        return errors.stream().map(e -> e.field() + " [" + e.rule() + "]: " + e.message()).collect(Collectors.joining("; "));
    }
}
