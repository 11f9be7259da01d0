package ru.b24connector.onec;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * At start, checks every entity set, field and tabular-section field the service reads or filters on against 1C's
 * {@code $metadata} (17.4.7): 1C answers a {@code $filter} on a field its type lacks with an empty result, not an
 * error, so a misspelt setting would silently select nothing. One clear line per missing one, naming the setting.
 */
@ApplicationScoped
class OneCMetadataCheck {

    private static final Pattern FILTERED = Pattern.compile("([\\p{L}_][\\p{L}\\p{N}_]*)\\s+(?:eq|ne|gt|ge|lt|le)\\s");

    @Inject
    OneCConfig config;

    @Inject
    OneCODataClient odata;

    void onStart(@Observes StartupEvent start) {
        if (odata.configured()) {
            // in the background: a start never waits for 1C, nor fails because it is away
            CompletableFuture.runAsync(() -> {
                try {
                    check();
                } catch (RuntimeException e) {
                    Log.infof("1C's $metadata could not be read at start, fields not checked: %s", e.getMessage());
                }
            });
        }
    }

    /** The problems found, each logged as one line; empty when everything the service uses is published. */
    List<String> check() {
        Map<String, Set<String>> types = types(odata.metadata());
        List<String> problems = new ArrayList<>();
        OneCConfig.Fields f = config.fields();
        List<String[]> documentFields = new ArrayList<>(List.of(new String[]{"Ref_Key", null}, new String[]{"DataVersion", null},
                new String[]{"DeletionMark", null}, new String[]{"Number", null}, new String[]{"Date", null},
                new String[]{f.counterparty(), "ONEC_FIELDS_COUNTERPARTY"}, new String[]{f.status(), "ONEC_FIELDS_STATUS"},
                new String[]{f.description(), "ONEC_FIELDS_DESCRIPTION"}, new String[]{f.amount(), "ONEC_FIELDS_AMOUNT"},
                new String[]{f.lines(), "ONEC_FIELDS_LINES"}));
        if (config.postedOnly()) {
            documentFields.add(new String[]{"Posted", "ONEC_POSTED_ONLY"});
        }
        if (config.writeBack()) {
            documentFields.add(new String[]{f.decision(), "ONEC_FIELDS_DECISION"});
            documentFields.add(new String[]{f.decisionComment(), "ONEC_FIELDS_DECISION_COMMENT"});
            documentFields.add(new String[]{f.decisionDate(), "ONEC_FIELDS_DECISION_DATE"});
        }
        if (present(types, config.reclamationSet(), "ONEC_RECLAMATION_SET", problems)) {
            fields(types, config.reclamationSet(), documentFields, problems);
            section(types, config.reclamationSet(), f.lines(), List.of(new String[]{f.lineProduct(), "ONEC_FIELDS_LINE_PRODUCT"},
                    new String[]{f.lineQuantity(), "ONEC_FIELDS_LINE_QUANTITY"}, new String[]{f.lineSerial(), "ONEC_FIELDS_LINE_SERIAL"},
                    new String[]{f.lineDefect(), "ONEC_FIELDS_LINE_DEFECT"}, new String[]{f.lineAmount(), "ONEC_FIELDS_LINE_AMOUNT"}),
                    problems);
            config.scanFilter().ifPresent(filter -> fields(types, config.reclamationSet(), filtered(filter, "ONEC_SCAN_FILTER"), problems));
        }
        OneCConfig.CounterpartyFields c = config.counterpartyFields();
        if (present(types, config.counterpartySet(), "ONEC_COUNTERPARTY_SET", problems)) {
            fields(types, config.counterpartySet(), List.of(new String[]{"Description", null},
                    new String[]{c.fullName(), "ONEC_COUNTERPARTY_FIELDS_FULL_NAME"},
                    new String[]{c.legalForm(), "ONEC_COUNTERPARTY_FIELDS_LEGAL_FORM"},
                    new String[]{c.inn(), "ONEC_COUNTERPARTY_FIELDS_INN"}, new String[]{c.kpp(), "ONEC_COUNTERPARTY_FIELDS_KPP"},
                    new String[]{c.contactInformation(), "ONEC_COUNTERPARTY_FIELDS_CONTACT_INFORMATION"}), problems);
            section(types, config.counterpartySet(), c.contactInformation(), List.of(
                    new String[]{c.contactType(), "ONEC_COUNTERPARTY_FIELDS_CONTACT_TYPE"},
                    new String[]{c.contactPresentation(), "ONEC_COUNTERPARTY_FIELDS_CONTACT_PRESENTATION"}), problems);
            OneCPull.dealerCondition(config).ifPresent(filter -> fields(types, config.counterpartySet(),
                    filtered(filter, "ONEC_COUNTERPARTY_FILTER / ONEC_COUNTERPARTY_FOLDERS"), problems));
        }
        if (present(types, config.productSet(), "ONEC_PRODUCT_SET", problems)) {
            fields(types, config.productSet(), List.<String[]>of(new String[]{"Description", null}), problems);
        }
        if (config.exchangePlan().filter(p -> !p.isBlank()).isPresent()) {
            String plan = config.exchangePlan().get().trim();
            present(types, plan.startsWith("ExchangePlan_") ? plan : "ExchangePlan_" + plan, "ONEC_EXCHANGE_PLAN", problems);
        }
        problems.forEach(Log::warn);
        if (problems.isEmpty()) {
            Log.info("1C's $metadata has every entity set and field the service reads or filters on");
        }
        return problems;
    }

    private static List<String[]> filtered(String filter, String setting) {
        List<String[]> names = new ArrayList<>();
        Matcher m = FILTERED.matcher(filter + " ");
        while (m.find()) {
            names.add(new String[]{m.group(1), setting});
        }
        return names;
    }

    private static boolean present(Map<String, Set<String>> types, String set, String setting, List<String> problems) {
        if (types.containsKey(set)) {
            return true;
        }
        problems.add("1C does not publish " + set + " (" + setting + ") in its standard OData interface: add it with "
                + "УстановитьСоставСтандартногоИнтерфейсаOData (or the «Настройка стандартного интерфейса OData» data processor)");
        return false;
    }

    private static void fields(Map<String, Set<String>> types, String set, List<String[]> fields, List<String> problems) {
        for (String[] field : fields) {
            if (!types.get(set).contains(field[0])) {
                problems.add("1C's " + set + " has no field " + field[0] + (field[1] == null ? "" : " (" + field[1] + ")")
                        + ": a filter on it selects nothing and a read leaves it empty; check $metadata");
            }
        }
    }

    private static void section(Map<String, Set<String>> types, String set, String section, List<String[]> fields,
                                List<String> problems) {
        Set<String> row = new LinkedHashSet<>(types.getOrDefault(set + "_" + section + "_RowType", Set.of()));
        row.addAll(types.getOrDefault(set + "_" + section, Set.of()));
        if (row.isEmpty()) {
            return; // the section itself is reported missing above, or its row type is named otherwise
        }
        for (String[] field : fields) {
            if (!row.contains(field[0])) {
                problems.add("1C's " + set + "." + section + " has no field " + field[0] + " (" + field[1]
                        + "): the lines leave it empty; check $metadata");
            }
        }
    }

    /** Entity and complex type names (1C names an entity type as its set) with their property names. */
    static Map<String, Set<String>> types(String metadata) {
        Document xml;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            xml = factory.newDocumentBuilder().parse(new ByteArrayInputStream(metadata.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalArgumentException("$metadata is not CSDL XML: " + e.getMessage(), e);
        }
        Map<String, Set<String>> types = new HashMap<>();
        for (String kind : new String[]{"EntityType", "ComplexType"}) {
            NodeList found = xml.getElementsByTagNameNS("*", kind);
            for (int i = 0; i < found.getLength(); i++) {
                Element type = (Element) found.item(i);
                Set<String> properties = types.computeIfAbsent(type.getAttribute("Name"), n -> new LinkedHashSet<>());
                for (String child : new String[]{"Property", "NavigationProperty"}) {
                    NodeList props = type.getElementsByTagNameNS("*", child);
                    for (int p = 0; p < props.getLength(); p++) {
                        properties.add(((Element) props.item(p)).getAttribute("Name"));
                    }
                }
            }
        }
        return types;
    }
}
