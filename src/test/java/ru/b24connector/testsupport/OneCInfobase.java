package ru.b24connector.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-memory 1C infobase behind the standard OData interface, answering as 1C:Enterprise 8.3.27 chapter 17.4
 * documents and as clients tested on real УТ 11 / БП 3.0 report (reference/1c-integration.md §1.9–1.10):
 * <ul>
 * <li>collections with {@code $filter} (eq, ne, ge, gt, le, lt, and, or, parentheses; a field the type lacks selects
 * nothing, 17.4.5.2 / §1.10), {@code $orderby}, {@code $top}, {@code $skip}, {@code $select} (with
 * {@code Section/Field} for tabular sections, 17.4.3) and {@code <Set>/$count} (17.4.6.1);</li>
 * <li>presentation fields ({@code …____Presentation}) only when {@code $select} names them, never in tabular sections;</li>
 * <li>record-level access: a forbidden row fails the whole read with 401 / code 20 unless {@code allowedOnly=true},
 * which leaves it out (17.4.5.4, 17.4.10);</li>
 * <li>404 with Apache's page for an encoded slash ({@code %2F}, {@code AllowEncodedSlashes Off}); 404 for a set not
 * published; 404 / code 9 for a key not found;</li>
 * <li>PATCH merges attributes and gives the object a new DataVersion, seen by the next read;</li>
 * <li>an exchange plan with one node: every change of a document or counterparty is registered for it;
 * {@code POST SelectChanges} forms message n (all registrations not yet acknowledged, as an Atom feed with
 * {@code deleted-entry} for deletions) and {@code POST NotifyChangesReceived} deletes registrations of messages up to
 * n (17.4.13.3).</li>
 * </ul>
 * Where the docs are silent (the feed's exact elements) the Atom of OData v3 is assumed: {@code <entry><id>} is the
 * object's canonical URL.
 */
public final class OneCInfobase {

    /** An HTTP answer. */
    public record Answer(int status, String contentType, String body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json;odata=minimalmetadata;charset=utf-8";
    private static final Pattern KEY = Pattern.compile("^([^/(]+)\\(guid'([0-9a-fA-F-]{36})'\\)$");

    private final String root;
    private final Map<String, Map<String, ObjectNode>> sets = new ConcurrentHashMap<>();
    private final Set<String> forbidden = ConcurrentHashMap.newKeySet();
    private final AtomicLong versions = new AtomicLong(100);
    /** The exchange plan: its set, its one node's Ref_Key and code, the sets in its content. */
    private String planSet;
    private String nodeRef;
    private final Set<String> planContent = ConcurrentHashMap.newKeySet();
    /** Registered changes: canonical key (Set(guid'…')) → message number (null: not in a message yet). */
    private final Map<String, Long> registered = new ConcurrentHashMap<>();
    private final Set<String> deletedKeys = ConcurrentHashMap.newKeySet();
    private static final Long NONE = -1L;

    /** @param root the service root's URL as 1C names it in canonical URLs, ending in {@code /odata/standard.odata/} */
    public OneCInfobase(String root) {
        this.root = root;
    }

    public synchronized void clear() {
        sets.clear();
        forbidden.clear();
        registered.clear();
        deletedKeys.clear();
        planSet = null;
        planContent.clear();
    }

    /** Publishes an entity set (empty). */
    public void publish(String set) {
        sets.computeIfAbsent(set, s -> new ConcurrentHashMap<>());
    }

    /** Adds or replaces an object as 1C's user would write it: a new DataVersion, registered for the exchange plan. */
    public void put(String set, String json) {
        try {
            ObjectNode object = (ObjectNode) JSON.readTree(json);
            write(set, object);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Changes attributes of an object as a 1C user would (say, the status a month after the document's date). */
    public void change(String set, String ref, Map<String, Object> attributes) {
        ObjectNode object = object(set, ref).deepCopy();
        attributes.forEach((k, v) -> object.set(k, JSON.valueToTree(v)));
        write(set, object);
    }

    /** Deletes an object (a deleted-entry in the next exchange message). */
    public void delete(String set, String ref) {
        sets.getOrDefault(set, Map.of()).remove(ref.toLowerCase(Locale.ROOT));
        String key = set + "(guid'" + ref.toLowerCase(Locale.ROOT) + "')";
        if (planContent.contains(set)) {
            registered.put(key, NONE);
            deletedKeys.add(key);
        }
    }

    /** The OData user may not see this object (record-level access restriction). */
    public void forbid(String ref) {
        forbidden.add(ref.toLowerCase(Locale.ROOT));
    }

    public ObjectNode object(String set, String ref) {
        ObjectNode object = sets.getOrDefault(set, Map.of()).get(ref.toLowerCase(Locale.ROOT));
        if (object == null) {
            throw new IllegalArgumentException("no " + set + " " + ref);
        }
        return object;
    }

    /** An exchange plan with one node for the service; changes of {@code content} sets are registered from now on. */
    public void exchangePlan(String set, String nodeRef, String nodeCode, String... content) {
        planSet = set;
        this.nodeRef = nodeRef;
        planContent.addAll(List.of(content));
        publish(set);
        sets.get(set).put(nodeRef, (ObjectNode) JSON.createObjectNode().put("Ref_Key", nodeRef).put("Code", nodeCode)
                .put("Description", "b24-connector").put("DataVersion", "AAAAAQAAAAA="));
    }

    /** Changes registered for the node and not yet acknowledged. */
    public int registeredChanges() {
        return registered.size();
    }

    private synchronized void write(String set, ObjectNode object) {
        String ref = object.path("Ref_Key").asText().toLowerCase(Locale.ROOT);
        object.put("DataVersion", "AAAA" + versions.incrementAndGet() + "AAA=");
        publish(set);
        sets.get(set).put(ref, object);
        if (planContent.contains(set)) {
            registered.put(set + "(guid'" + ref + "')", NONE);
        }
    }

    /** Answers one request; {@code rawPath} is after the service root, still percent-encoded. */
    public synchronized Answer handle(String method, String rawPath, String rawQuery, String body) {
        if (rawPath.toUpperCase(Locale.ROOT).contains("%2F")) {
            // Apache's AllowEncodedSlashes Off: the request never reaches 1C
            return new Answer(404, "text/html", "<html><body><h1>Not Found</h1></body></html>");
        }
        String path = URLDecoder.decode(rawPath, StandardCharsets.UTF_8);
        Map<String, String> q = query(rawQuery);
        if (method.equals("POST") && (path.equals("SelectChanges") || path.equals("NotifyChangesReceived"))) {
            return exchange(path, q);
        }
        if (path.isEmpty()) {
            ArrayNode value = JSON.createArrayNode();
            sets.keySet().stream().sorted().forEach(s -> value.addObject().put("name", s).put("url", s));
            return json(200, JSON.createObjectNode().put("odata.metadata", root + "$metadata").set("value", value));
        }
        if (path.equals("$metadata")) {
            return new Answer(200, "application/xml;charset=utf-8", metadata());
        }
        Matcher key = KEY.matcher(path);
        if (key.matches()) {
            return keyed(method, key.group(1), key.group(2).toLowerCase(Locale.ROOT), q, body);
        }
        boolean count = path.endsWith("/$count");
        String set = count ? path.substring(0, path.length() - "/$count".length()) : path;
        if (!sets.containsKey(set) || !method.equals("GET")) {
            return error(404, "6", "Неверный URL: " + set);
        }
        List<ObjectNode> rows = new ArrayList<>(sets.get(set).values());
        Predicate<JsonNode> filter = q.containsKey("$filter") ? new Filter(q.get("$filter")).parse() : r -> true;
        rows.removeIf(filter.negate());
        boolean allowedOnly = "true".equals(q.get("allowedOnly"));
        if (!allowedOnly && rows.stream().anyMatch(r -> forbidden.contains(r.path("Ref_Key").asText()))) {
            return error(401, "20", "Ошибка прав доступа: нарушение прав доступа к записи");
        }
        rows.removeIf(r -> forbidden.contains(r.path("Ref_Key").asText()));
        if (count) {
            return new Answer(200, "text/plain;charset=utf-8", String.valueOf(rows.size()));
        }
        if (q.containsKey("$orderby")) {
            Comparator<JsonNode> order = null;
            for (String field : q.get("$orderby").split(",")) {
                String name = field.trim().split(" ")[0];
                Comparator<JsonNode> by = Comparator.comparing(r -> r.path(name).asText(""));
                order = order == null ? by : order.thenComparing(by);
            }
            rows.sort(order);
        }
        int skip = Integer.parseInt(q.getOrDefault("$skip", "0"));
        int top = Integer.parseInt(q.getOrDefault("$top", String.valueOf(Integer.MAX_VALUE)));
        ArrayNode value = JSON.createArrayNode();
        rows.stream().skip(skip).limit(top).forEach(r -> value.add(select(r, q.get("$select"))));
        return json(200, JSON.createObjectNode().put("odata.metadata", root + "$metadata#" + set).set("value", value));
    }

    private Answer keyed(String method, String set, String ref, Map<String, String> q, String body) {
        if (!sets.containsKey(set)) {
            return error(404, "6", "Неверный URL: " + set);
        }
        ObjectNode object = sets.get(set).get(ref);
        if (object == null) {
            return error(404, "9", "Экземпляр сущности \"" + set + "\" не найден по переданному ключу.");
        }
        if (forbidden.contains(ref)) {
            return error(401, "20", "Ошибка прав доступа");
        }
        if (method.equals("PATCH")) {
            try {
                ObjectNode changed = object.deepCopy();
                changed.setAll((ObjectNode) JSON.readTree(body));
                write(set, changed);
                object = changed;
            } catch (java.io.IOException e) {
                return error(400, "2", "Неверный формат запроса");
            }
        }
        ObjectNode answer = select(object, q.get("$select"));
        answer.put("odata.metadata", root + "$metadata#" + set + "/@Element");
        return json(200, answer);
    }

    /** 17.4.3: without $select everything but presentations; with it, what it names (Section/Field for sections). */
    private static ObjectNode select(ObjectNode row, String select) {
        ObjectNode out = JSON.createObjectNode();
        if (select == null || select.isBlank() || select.trim().equals("*")) {
            row.fields().forEachRemaining(f -> {
                if (!f.getKey().endsWith("____Presentation")) {
                    out.set(f.getKey(), withoutPresentations(f.getValue()));
                }
            });
            return out;
        }
        Map<String, List<String>> sections = new LinkedHashMap<>();
        for (String item : select.split(",")) {
            String name = item.trim();
            int slash = name.indexOf('/');
            if (slash > 0) {
                sections.computeIfAbsent(name.substring(0, slash), s -> new ArrayList<>()).add(name.substring(slash + 1));
            } else if (row.has(name)) {
                out.set(name, withoutPresentations(row.get(name)));
            }
        }
        sections.forEach((section, fields) -> {
            ArrayNode lines = out.putArray(section);
            for (JsonNode line : row.path(section)) {
                ObjectNode l = lines.addObject();
                fields.stream().filter(line::has).filter(f -> !f.endsWith("____Presentation")).forEach(f -> l.set(f, line.get(f)));
            }
        });
        return out;
    }

    private static JsonNode withoutPresentations(JsonNode value) {
        if (!value.isArray()) {
            return value;
        }
        ArrayNode lines = JSON.createArrayNode();
        for (JsonNode line : value) {
            ObjectNode l = lines.addObject();
            line.fields().forEachRemaining(f -> {
                if (!f.getKey().endsWith("____Presentation")) {
                    l.set(f.getKey(), f.getValue());
                }
            });
        }
        return lines;
    }

    private Answer exchange(String operation, Map<String, String> q) {
        String point = q.getOrDefault("DataExchangePoint", "");
        if (planSet == null || !point.equals("'" + root + planSet + "(guid'" + nodeRef + "')'")) {
            return error(400, "12", "Отсутствует обязательный аргумент метода: DataExchangePoint");
        }
        long n = Long.parseLong(q.getOrDefault("MessageNo", "0"));
        if (operation.equals("NotifyChangesReceived")) {
            registered.entrySet().removeIf(e -> e.getValue() != NONE && e.getValue() <= n);
            deletedKeys.removeIf(k -> !registered.containsKey(k));
            return new Answer(200, JSON_TYPE, "");
        }
        StringBuilder feed = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""
                + " xmlns:d=\"http://schemas.microsoft.com/ado/2007/08/dataservices\""
                + " xmlns:m=\"http://schemas.microsoft.com/ado/2007/08/dataservices/metadata\""
                + " xmlns:at=\"http://purl.org/atompub/tombstones/1.0\">\n<id>" + root + "SelectChanges</id>\n");
        for (Map.Entry<String, Long> change : registered.entrySet()) {
            if (change.getValue() == NONE) {
                change.setValue(n);
            }
            String key = change.getKey();
            if (deletedKeys.contains(key)) {
                feed.append("<at:deleted-entry ref=\"").append(root).append(key).append("\" when=\"2026-12-01T00:00:00Z\"/>\n");
                continue;
            }
            Matcher m = KEY.matcher(key);
            m.matches();
            ObjectNode object = sets.get(m.group(1)).get(m.group(2));
            feed.append("<entry><id>").append(root).append(key).append("</id><category term=\"StandardODATA.")
                    .append(m.group(1)).append("\" scheme=\"http://schemas.microsoft.com/ado/2007/08/dataservices/scheme\"/>")
                    .append("<title type=\"text\"/><updated>2026-12-01T00:00:00Z</updated><author/><summary/>")
                    .append("<content type=\"application/xml\"><m:properties><d:Ref_Key>").append(m.group(2))
                    .append("</d:Ref_Key><d:DataVersion>").append(object.path("DataVersion").asText())
                    .append("</d:DataVersion></m:properties></content></entry>\n");
        }
        return new Answer(200, "application/atom+xml;type=feed;charset=utf-8", feed.append("</feed>").toString());
    }

    /** A CSDL document naming each set's entity type and properties (from the objects it holds). */
    private String metadata() {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><edmx:Edmx Version=\"1.0\" "
                + "xmlns:edmx=\"http://schemas.microsoft.com/ado/2007/06/edmx\"><edmx:DataServices><Schema "
                + "Namespace=\"StandardODATA\" xmlns=\"http://schemas.microsoft.com/ado/2009/11/edm\">");
        sets.forEach((set, objects) -> {
            Set<String> fields = new LinkedHashSet<>(List.of("Ref_Key", "DataVersion", "DeletionMark"));
            Map<String, Set<String>> sections = new LinkedHashMap<>();
            for (ObjectNode o : objects.values()) {
                o.fields().forEachRemaining(f -> {
                    fields.add(f.getKey());
                    if (f.getValue().isArray()) {
                        Set<String> row = sections.computeIfAbsent(f.getKey(), k -> new LinkedHashSet<>());
                        f.getValue().forEach(line -> line.fieldNames().forEachRemaining(row::add));
                    }
                });
            }
            xml.append("<EntityType Name=\"").append(set).append("\">");
            fields.forEach(f -> xml.append("<Property Name=\"").append(f).append("\" Type=\"")
                    .append(sections.containsKey(f) ? "Collection(StandardODATA." + set + "_" + f + "_RowType)" : "Edm.String")
                    .append("\"/>"));
            xml.append("</EntityType>");
            sections.forEach((section, row) -> {
                xml.append("<ComplexType Name=\"").append(set).append('_').append(section).append("_RowType\">");
                row.forEach(f -> xml.append("<Property Name=\"").append(f).append("\" Type=\"Edm.String\"/>"));
                xml.append("</ComplexType>");
            });
        });
        return xml.append("</Schema></edmx:DataServices></edmx:Edmx>").toString();
    }

    private static Answer json(int status, JsonNode body) {
        return new Answer(status, JSON_TYPE, body.toString());
    }

    private static Answer error(int status, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("odata.error");
        error.put("code", code);
        error.putObject("message").put("lang", "ru").put("value", message);
        return json(status, body);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1).replace("+", "%2B"), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    /** $filter: or / and / parentheses over {@code field op literal}; a field the row lacks matches nothing. */
    private static final class Filter {
        private static final Pattern TOKEN = Pattern.compile("\\s*(\\(|\\)|guid'[^']*'|datetime'[^']*'|'(?:[^']|'')*'|[^\\s()]+)");
        private final List<String> tokens = new ArrayList<>();
        private int at;

        Filter(String text) {
            Matcher m = TOKEN.matcher(text);
            while (m.find()) {
                tokens.add(m.group(1));
            }
        }

        Predicate<JsonNode> parse() {
            Predicate<JsonNode> p = or();
            if (at != tokens.size()) {
                throw new IllegalArgumentException("cannot read $filter at " + tokens.subList(at, tokens.size()));
            }
            return p;
        }

        private Predicate<JsonNode> or() {
            Predicate<JsonNode> p = and();
            while (at < tokens.size() && tokens.get(at).equals("or")) {
                at++;
                p = p.or(and());
            }
            return p;
        }

        private Predicate<JsonNode> and() {
            Predicate<JsonNode> p = factor();
            while (at < tokens.size() && tokens.get(at).equals("and")) {
                at++;
                p = p.and(factor());
            }
            return p;
        }

        private Predicate<JsonNode> factor() {
            if (tokens.get(at).equals("(")) {
                at++;
                Predicate<JsonNode> p = or();
                at++; // ")"
                return p;
            }
            String field = tokens.get(at++);
            String op = tokens.get(at++);
            String literal = tokens.get(at++);
            String value = literal.replaceAll("^(guid|datetime)?'(.*)'$", "$2").replace("''", "'");
            return row -> {
                if (!row.has(field)) {
                    return false; // 1C: an unknown field selects nothing rather than failing
                }
                String actual = row.get(field).asText();
                int c = field.equals("Ref_Key") || literal.startsWith("guid") ? actual.compareToIgnoreCase(value) : actual.compareTo(value);
                return switch (op) {
                    case "eq" -> c == 0;
                    case "ne" -> c != 0;
                    case "ge" -> c >= 0;
                    case "gt" -> c > 0;
                    case "le" -> c <= 0;
                    case "lt" -> c < 0;
                    default -> throw new IllegalArgumentException("operator " + op);
                };
            };
        }
    }
}
