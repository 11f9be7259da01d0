package ru.b24connector.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import ru.b24connector.events.PhpForm;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small CRM behind the portal stand-in's {@code batch}: companies with requisites, contacts, deals, looked up the
 * way the portal does (requisites by RQ_INN, {@code crm.duplicate.findbycomm}, lists by ORIGIN_ID). It answers
 * in the portal's batch envelope, substitutes {@code $result[...]} references, and remembers what was created,
 * so tests can count duplicates.
 */
public class FakeCrm implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "fake-crm-batch";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REF = Pattern.compile("\\$result\\[([^\\]]+)\\]((?:\\[[^\\]]+\\])*)");

    private static final AtomicLong ids = new AtomicLong(1000);
    public static final Map<String, Long> companyByInn = new ConcurrentHashMap<>();
    public static final Map<String, Long> companyByEmail = new ConcurrentHashMap<>();
    public static final Map<String, Long> contactByEmail = new ConcurrentHashMap<>();
    public static final Map<String, Long> dealByOrigin = new ConcurrentHashMap<>();
    public static final Map<String, AtomicLong> created = new ConcurrentHashMap<>();
    /** Stage ids per status entity ({@code DEAL_STAGE_7} → {@code C7:NEW}, ...) and deal user field names. */
    public static final Map<String, java.util.Set<String>> stages = new ConcurrentHashMap<>();
    public static final java.util.Set<String> dealFields = ConcurrentHashMap.newKeySet();
    /** Titles whose {@code crm.company.add} the portal refuses (a record rejected inside a batch). */
    public static final java.util.Set<String> refusedTitles = ConcurrentHashMap.newKeySet();
    /** The portal's users ({@code user.get}): ID, NAME, LAST_NAME, ACTIVE, as user/user-get.md shows them. */
    public static final Map<Long, ObjectNode> users = new java.util.concurrent.ConcurrentSkipListMap<>();
    /**
     * Methods whose time budget is spent: their commands come back in {@code result_error} as
     * {@code OPERATION_TIME_LIMIT} of a 200 answer (limits.md: each nested call is checked against its own method's
     * limit; _includes/system-errors.md: the code and its text).
     */
    public static final java.util.Set<String> limitedMethods = ConcurrentHashMap.newKeySet();
    /** Timeline comments by entity ({@code deal:1004}). */
    public static final Map<String, java.util.List<String>> comments = new ConcurrentHashMap<>();

    /** total/next of the last list answered on this thread (list methods page by 50, as the docs show). */
    private static final ThreadLocal<int[]> PAGING = new ThreadLocal<>();

    public static void reset() {
        companyByInn.clear();
        companyByEmail.clear();
        contactByEmail.clear();
        dealByOrigin.clear();
        created.clear();
        stages.clear();
        dealFields.clear();
        comments.clear();
        refusedTitles.clear();
        users.clear();
        limitedMethods.clear();
    }

    /** Adds a portal user. */
    public static void user(long id, String name, String lastName, boolean active) {
        users.put(id, JSON.createObjectNode().put("ID", String.valueOf(id)).put("ACTIVE", active).put("NAME", name)
                .put("LAST_NAME", lastName).put("EMAIL", "u" + id + "@acme.ru").put("USER_TYPE", "employee"));
    }

    public static long created(String method) {
        AtomicLong n = created.get(method);
        return n == null ? 0 : n.get();
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        try {
            String url = serveEvent.getRequest().getUrl();
            String method = url.substring(url.lastIndexOf('/') + 1);
            ObjectNode envelope = "batch".equals(method) ? answerBatch(serveEvent.getRequest().getBodyAsString())
                    : answerDirect(method, serveEvent.getRequest().getBodyAsString());
            // serialized here: WireMock's own (shaded) Jackson would not know our JsonNode
            // keep a delay the stub asked for (a test of an answer that arrives too late)
            return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder().withStatus(200)
                    .withFixedDelay(serveEvent.getResponseDefinition().getFixedDelayMilliseconds())
                    .withHeader("Content-Type", "application/json").withBody(JSON.writeValueAsString(envelope)).build();
        } catch (Exception e) {
            return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder().withStatus(500).withBody(e.toString()).build();
        }
    }

    /** The portal's answer to a single method called with a JSON body (not in a batch), in its envelope. */
    public static ObjectNode answerDirect(String method, String requestBody) throws java.io.IOException {
        StringBuilder query = new StringBuilder();
        flatten("", JSON.readTree(requestBody.isBlank() ? "{}" : requestBody), query);
        JsonNode result = execute(method, PhpForm.parse(query.toString()));
        ObjectNode envelope = JSON.createObjectNode();
        if (result == null) {
            return envelope.put("error", "ERROR_METHOD_NOT_FOUND").put("error_description", method);
        }
        envelope.set("result", result);
        int[] paging = PAGING.get();
        if (paging != null) {
            envelope.put("total", paging[0]);
            if (paging[1] >= 0) {
                envelope.put("next", paging[1]);
            }
        }
        envelope.set("time", JSON.createObjectNode().put("start", 1).put("finish", 1).put("operating", 0));
        return envelope;
    }

    /** {@code {"filter":{"A":1}}} → {@code filter[A]=1}, as the portal reads JSON bodies. */
    private static void flatten(String prefix, JsonNode node, StringBuilder out) {
        if (node.isContainerNode()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.isObject() ? node.fields() : null;
            if (fields != null) {
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> f = fields.next();
                    flatten(prefix.isEmpty() ? f.getKey() : prefix + "[" + f.getKey() + "]", f.getValue(), out);
                }
            } else {
                for (int i = 0; i < node.size(); i++) {
                    flatten(prefix + "[" + i + "]", node.get(i), out);
                }
            }
            return;
        }
        if (out.length() > 0) {
            out.append('&');
        }
        out.append(java.net.URLEncoder.encode(prefix, java.nio.charset.StandardCharsets.UTF_8)).append('=')
                .append(java.net.URLEncoder.encode(node.asText(), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The portal's answer to a {@code batch} body, in its envelope. */
    public static ObjectNode answerBatch(String requestBody) throws java.io.IOException {
        return answerBatch(requestBody, key -> false);
    }

    /**
     * As {@link #answerBatch(String)}; the commands {@code limitedKey} names (and those of {@link #limitedMethods})
     * are refused with {@code OPERATION_TIME_LIMIT} in {@code result_error}, as the portal refuses a nested call whose
     * method's time budget is spent.
     */
    public static ObjectNode answerBatch(String requestBody, java.util.function.Predicate<String> limitedKey)
            throws java.io.IOException {
        {
            JsonNode body = JSON.readTree(requestBody);
            ObjectNode results = JSON.createObjectNode();
            ObjectNode errors = JSON.createObjectNode();
            ObjectNode totals = JSON.createObjectNode();
            ObjectNode nexts = JSON.createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> cmds = body.path("cmd").fields();
            while (cmds.hasNext()) {
                Map.Entry<String, JsonNode> cmd = cmds.next();
                String query = substitute(cmd.getValue().asText(), results);
                int q = query.indexOf('?');
                String method = q < 0 ? query : query.substring(0, q);
                PhpForm params = PhpForm.parse(q < 0 ? "" : query.substring(q + 1));
                if (limitedKey.test(cmd.getKey()) || limitedMethods.contains(method)) {
                    errors.set(cmd.getKey(), JSON.createObjectNode().put("error", "OPERATION_TIME_LIMIT")
                            .put("error_description", "Method is blocked due to operation time limit"));
                    continue;
                }
                if ("crm.company.add".equals(method) && refusedTitles.contains(params.get("fields", "TITLE").orElse(""))) {
                    errors.set(cmd.getKey(), JSON.createObjectNode().put("error", "ERROR_CORE")
                            .put("error_description", "Недостаточно прав для добавления компании"));
                    continue;
                }
                JsonNode result;
                try {
                    result = execute(method, params);
                } catch (NumberFormatException e) {
                    // as the portal does with an id a refused earlier command left empty
                    errors.set(cmd.getKey(), JSON.createObjectNode().put("error", "ERROR_ARGUMENT")
                            .put("error_description", "invalid id: " + e.getMessage()));
                    continue;
                }
                if (result == null) {
                    errors.set(cmd.getKey(), JSON.createObjectNode().put("error", "ERROR_METHOD_NOT_FOUND")
                            .put("error_description", method));
                } else {
                    results.set(cmd.getKey(), result);
                    int[] paging = PAGING.get();
                    if (paging != null) {
                        totals.put(cmd.getKey(), paging[0]);
                        if (paging[1] >= 0) {
                            nexts.put(cmd.getKey(), paging[1]);
                        }
                    }
                }
            }
            ObjectNode inner = JSON.createObjectNode();
            inner.set("result", results);
            inner.set(errors.isEmpty() ? "result_error" : "result_error", errors.isEmpty() ? JSON.createArrayNode() : errors);
            inner.set("result_total", totals.isEmpty() ? JSON.createArrayNode() : totals);
            inner.set("result_next", nexts.isEmpty() ? JSON.createArrayNode() : nexts);
            inner.set("result_time", JSON.createArrayNode());
            ObjectNode envelope = JSON.createObjectNode();
            envelope.set("result", inner);
            envelope.set("time", JSON.createObjectNode().put("start", 1).put("finish", 1).put("operating", 0));
            return envelope;
        }
    }

    private static JsonNode execute(String method, PhpForm p) {
        PAGING.remove();
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (method) {
            case "crm.requisite.list": {
                Long company = companyByInn.get(p.get("filter", "RQ_INN").orElse(""));
                return company == null ? f.arrayNode() : f.arrayNode().add(f.objectNode().put("ENTITY_ID", String.valueOf(company)));
            }
            case "crm.requisite.preset.list":
                return f.arrayNode().add(f.objectNode().put("ID", "1").put("NAME", "Организация").put("COUNTRY_ID", "1"));
            case "crm.duplicate.findbycomm": {
                // up to 20 values; the answer lists the matching records, not which value matched
                String type = p.get("entity_type").orElse("");
                ArrayNode hits = f.arrayNode();
                for (int i = 0; p.get("values", String.valueOf(i)).isPresent(); i++) {
                    String value = p.get("values", String.valueOf(i)).orElse("");
                    Long id = "COMPANY".equals(type) ? companyByEmail.get(value) : "CONTACT".equals(type) ? contactByEmail.get(value) : null;
                    if (id != null) {
                        hits.add(id);
                    }
                }
                return hits.isEmpty() ? f.arrayNode() : f.objectNode().set(type, hits);
            }
            case "crm.company.list":
                return f.arrayNode();
            case "crm.deal.list": {
                Long deal = dealByOrigin.get(p.get("filter", "ORIGINATOR_ID").orElse("") + "/" + p.get("filter", "ORIGIN_ID").orElse(""));
                return deal == null ? f.arrayNode() : f.arrayNode().add(f.objectNode().put("ID", String.valueOf(deal)));
            }
            case "crm.company.add": {
                long id = create(method);
                p.get("fields", "EMAIL", "0", "VALUE").ifPresent(e -> companyByEmail.put(e, id));
                return f.numberNode(id);
            }
            case "crm.requisite.add": {
                long entity = Long.parseLong(p.get("fields", "ENTITY_ID").orElse("0"));
                long id = create(method);
                companyByInn.put(p.get("fields", "RQ_INN").orElse(""), entity);
                return f.numberNode(id);
            }
            case "crm.contact.add": {
                long id = create(method);
                p.get("fields", "EMAIL", "0", "VALUE").ifPresent(e -> contactByEmail.put(e, id));
                return f.numberNode(id);
            }
            case "crm.deal.add": {
                long id = create(method);
                dealByOrigin.put(p.get("fields", "ORIGINATOR_ID").orElse("") + "/" + p.get("fields", "ORIGIN_ID").orElse(""), id);
                return f.numberNode(id);
            }
            case "crm.deal.productrows.set", "crm.deal.update", "crm.company.update":
                create(method);
                return f.booleanNode(true);
            case "crm.status.list": {
                ArrayNode list = f.arrayNode();
                stages.getOrDefault(p.get("filter", "ENTITY_ID").orElse(""), java.util.Set.of())
                        .forEach(id -> list.add(f.objectNode().put("STATUS_ID", id)));
                return list;
            }
            case "crm.status.add": {
                String entity = p.get("fields", "ENTITY_ID").orElse("");
                String prefix = entity.startsWith("DEAL_STAGE_") ? "C" + entity.substring(11) + ":" : "";
                stages.computeIfAbsent(entity, e -> ConcurrentHashMap.newKeySet()).add(prefix + p.get("fields", "STATUS_ID").orElse(""));
                return f.numberNode(create(method));
            }
            case "crm.deal.userfield.list": {
                // crm/deals/user-defined-fields/crm-deal-userfield-list.md: 50 per page, total, next
                ArrayNode list = f.arrayNode();
                new java.util.TreeSet<>(dealFields).forEach(name -> list.add(f.objectNode()
                        .put("ENTITY_ID", "CRM_DEAL").put("FIELD_NAME", name).put("USER_TYPE_ID", "string")));
                return page(list, p);
            }
            case "crm.deal.userfield.add":
                dealFields.add("UF_CRM_" + p.get("fields", "FIELD_NAME").orElse(""));
                return f.numberNode(create(method));
            case "user.get", "user.search": {
                // user/user-get.md: FILTER fields may take arrays; NAME_SEARCH searches personal data; pages of 50
                java.util.Set<String> ids = new java.util.HashSet<>();
                p.get("FILTER", "ID").ifPresent(ids::add);
                for (int i = 0; p.get("FILTER", "ID", String.valueOf(i)).isPresent(); i++) {
                    ids.add(p.get("FILTER", "ID", String.valueOf(i)).orElse(""));
                }
                String search = p.get("FILTER", "NAME_SEARCH").or(() -> p.get("FILTER", "FIND")).orElse("")
                        .toLowerCase(java.util.Locale.ROOT);
                String active = p.get("FILTER", "ACTIVE").orElse("");
                ArrayNode list = f.arrayNode();
                for (ObjectNode u : users.values()) {
                    String name = (u.path("NAME").asText() + " " + u.path("LAST_NAME").asText()).toLowerCase(java.util.Locale.ROOT);
                    boolean isActive = u.path("ACTIVE").asBoolean();
                    if ((ids.isEmpty() || ids.contains(u.path("ID").asText()))
                            && (search.isEmpty() || java.util.Arrays.stream(name.split(" ")).anyMatch(w -> w.startsWith(search)))
                            && (active.isEmpty() || isActive == (active.equals("true") || active.equals("Y") || active.equals("1")))) {
                        list.add(u);
                    }
                }
                return page(list, p);
            }
            case "crm.timeline.comment.add": {
                long id = create(method);
                comments.computeIfAbsent(p.get("fields", "ENTITY_TYPE").orElse("") + ":" + p.get("fields", "ENTITY_ID").orElse(""),
                        k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(p.get("fields", "COMMENT").orElse(""));
                return f.numberNode(id);
            }
            case "crm.timeline.comment.list": {
                ArrayNode list = f.arrayNode();
                comments.getOrDefault(p.get("filter", "ENTITY_TYPE").orElse("") + ":" + p.get("filter", "ENTITY_ID").orElse(""),
                        java.util.List.of()).forEach(c -> list.add(f.objectNode().put("ID", "1").put("COMMENT", c)));
                return list;
            }
            default:
                return null;
        }
    }

    /** One page of 50 from {@code start}, with total and next remembered for the envelope. */
    private static ArrayNode page(ArrayNode all, PhpForm p) {
        int start = Integer.parseInt(p.get("start").filter(v -> !v.isBlank()).orElse("0"));
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (int i = Math.max(start, 0); i < all.size() && i < start + 50; i++) {
            out.add(all.get(i));
        }
        PAGING.set(new int[]{all.size(), start + 50 < all.size() ? start + 50 : -1});
        return out;
    }

    private static long create(String method) {
        created.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
        return ids.incrementAndGet();
    }

    private static String substitute(String query, ObjectNode results) {
        Matcher m = REF.matcher(query);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode value = results.path(m.group(1));
            Matcher part = Pattern.compile("\\[([^\\]]+)\\]").matcher(m.group(2));
            while (part.find()) {
                String key = part.group(1);
                value = value.isArray() ? value.path(Integer.parseInt(key)) : value.path(key);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value.asText()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
