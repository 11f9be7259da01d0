package ru.b24connector.onec;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The change feed of an exchange plan (1C:Enterprise 8.3.27, 17.4.13.3): {@code POST SelectChanges} forms message n
 * for the service's node and answers an Atom feed, one entry per changed object ({@code deleted-entry} for deleted
 * ones, RFC 6721); the objects it names are noted in {@code onec_pending} and read by key, and only then is message n
 * acknowledged with {@code NotifyChangesReceived}. Until then 1C sends the same changes again (with newer ones), so a
 * run cut off anywhere loses nothing. A status changed long after the document's date is in the next message.
 */
@ApplicationScoped
class OneCExchangePlan {

    private static final String ATOM = "http://www.w3.org/2005/Atom";
    private static final String TOMBSTONES = "http://purl.org/atompub/tombstones/1.0";
    private static final Pattern ENTITY = Pattern.compile("([^/()]+)\\(guid'([0-9a-fA-F-]{36})'\\)\\s*$");

    @Inject
    OneCConfig config;

    @Inject
    OneCODataClient odata;

    @Inject
    OneCPending pending;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    private volatile String nodeRef;

    /** Set by tests, which share one configuration: the plan as if ONEC_EXCHANGE_PLAN named it. */
    private volatile String planOfTests;

    boolean configured() {
        return plan().isPresent();
    }

    private java.util.Optional<String> plan() {
        return planOfTests != null ? java.util.Optional.of(planOfTests) : config.exchangePlan().filter(p -> !p.isBlank());
    }

    void useInTests(String plan) {
        planOfTests = plan;
        nodeRef = null;
    }

    /** The plan's entity set, e.g. {@code ExchangePlan_ОбменСB24Connector}. */
    String name() {
        String plan = plan().orElseThrow().trim();
        return plan.startsWith("ExchangePlan_") ? plan : "ExchangePlan_" + plan;
    }

    private String key() {
        return name() + ":" + config.exchangeNode();
    }

    /** One exchange: the next message for the node, its objects noted and read, then acknowledged. */
    OneCPull.SetReport runOnce() {
        long messageNo = ackedNo() + 1;
        try {
            String point = "'" + root() + name() + "(guid'" + node() + "')'";
            Map<String, String> options = new LinkedHashMap<>();
            options.put("DataExchangePoint", point);
            options.put("MessageNo", String.valueOf(messageNo));
            Changes changes = parse(odata.postForText("SelectChanges", options));
            List<String> documents = new ArrayList<>();
            List<String> counterparties = new ArrayList<>();
            changes.changed().forEach((ref, set) -> {
                if (set.equals(config.reclamationSet())) {
                    documents.add(ref);
                } else if (set.equals(config.counterpartySet())) {
                    counterparties.add(ref);
                }
            });
            // stored before anything is acknowledged: should the service stop now, the next run reads them
            pending.add(OneCRecords.Kind.COUNTERPARTY, counterparties, "PLAN");
            pending.add(OneCRecords.Kind.RECLAMATION, documents, "PLAN");
            for (String deleted : changes.deleted()) {
                Log.infof("1C deleted %s (exchange message %d); its deal or company is left as it is", deleted, messageNo);
            }
            OneCPending.Result read = pending.readAll();
            odata.postForText("NotifyChangesReceived", options);
            acked(messageNo, null);
            Log.infof("Exchange message %d of %s: %d document(s), %d counterpart(y/ies), %d deleted; %d new versions, "
                            + "%d rejected, %d held", messageNo, key(), documents.size(), counterparties.size(),
                    changes.deleted().size(), read.received(), read.rejected(), read.held());
            return new OneCPull.SetReport(1, read.rows(), read.received(), read.rejected(), true, null);
        } catch (OneCODataClient.Unavailable | OneCODataClient.Refused | IllegalArgumentException e) {
            acked(messageNo - 1, e.getMessage());
            Log.warnf("Exchange message %d of %s not acknowledged, asked for again next run: %s", messageNo, key(), e.getMessage());
            return new OneCPull.SetReport(0, 0, 0, 0, false, e.getMessage());
        }
    }

    /** What a message names: changed objects (Ref_Key → entity set) and deleted ones (their canonical URLs). */
    record Changes(Map<String, String> changed, List<String> deleted) {
    }

    /** Reads 1C's Atom feed; entries are named by their canonical URL ({@code <id>}), deleted ones by {@code ref}. */
    static Changes parse(String feed) {
        Map<String, String> changed = new LinkedHashMap<>();
        List<String> deleted = new ArrayList<>();
        if (feed == null || feed.isBlank()) {
            return new Changes(changed, deleted);
        }
        Document xml;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            xml = factory.newDocumentBuilder().parse(new ByteArrayInputStream(feed.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalArgumentException("1C's exchange message is not an Atom feed: " + e.getMessage(), e);
        }
        NodeList entries = xml.getElementsByTagNameNS(ATOM, "entry");
        for (int i = 0; i < entries.getLength(); i++) {
            Element entry = (Element) entries.item(i);
            NodeList ids = entry.getElementsByTagNameNS(ATOM, "id");
            if (ids.getLength() > 0) {
                Matcher m = ENTITY.matcher(URLDecoder.decode(ids.item(0).getTextContent().trim(), StandardCharsets.UTF_8));
                if (m.find()) {
                    changed.put(m.group(2).toLowerCase(Locale.ROOT), m.group(1));
                }
            }
        }
        NodeList tombstones = xml.getElementsByTagNameNS(TOMBSTONES, "deleted-entry");
        for (int i = 0; i < tombstones.getLength(); i++) {
            deleted.add(URLDecoder.decode(((Element) tombstones.item(i)).getAttribute("ref"), StandardCharsets.UTF_8));
        }
        return new Changes(changed, deleted);
    }

    /** The service's node of the plan, found by its code once. */
    private String node() {
        String known = nodeRef;
        if (known == null) {
            var found = odata.page(name(), Map.of("$filter", "Code eq '" + config.exchangeNode().replace("'", "''") + "'",
                    "$select", "Ref_Key,Code"));
            if (found.isEmpty()) {
                throw new IllegalArgumentException("the exchange plan " + name() + " has no node with code '"
                        + config.exchangeNode() + "' (ONEC_EXCHANGE_NODE): create it in 1C (docs/1c-exchange.md)");
            }
            known = found.get(0).path("Ref_Key").asText();
            nodeRef = known;
        }
        return known;
    }

    /** The canonical root of the service, as the node's canonical URL starts (17.4.13.3). */
    private String root() {
        String base = config.odataUrl().orElseThrow().toString();
        base = URLDecoder.decode(base, StandardCharsets.UTF_8);
        return base.endsWith("/") ? base : base + "/";
    }

    private long ackedNo() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<?> rows = em.createNativeQuery("SELECT acked_no FROM onec_exchange_node WHERE plan_node = ?1")
                    .setParameter(1, key()).getResultList();
            return rows.isEmpty() ? 0L : ((Number) rows.get(0)).longValue();
        });
    }

    private void acked(long messageNo, String error) {
        QuarkusTransaction.requiringNew().run(() -> {
            Timestamp now = Timestamp.from(clock.instant());
            em.createNativeQuery("""
                            INSERT INTO onec_exchange_node (plan_node, acked_no, last_error, acked_at, updated_at)
                            VALUES (?1, ?2, ?3, ?4, ?5)
                            ON DUPLICATE KEY UPDATE acked_no = ?2, last_error = ?3, acked_at = COALESCE(?4, acked_at), updated_at = ?5""")
                    .setParameter(1, key()).setParameter(2, Math.max(0, messageNo))
                    .setParameter(3, OneCExchangeLog.truncate(error, 2000)).setParameter(4, error == null ? now : null)
                    .setParameter(5, now).executeUpdate();
        });
    }

    /** Where the exchange with the node stands, for the admin API. */
    Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", key());
        m.put("acknowledgedMessage", ackedNo());
        return m;
    }

    /** Forgets the node's Ref_Key (tests; a node created again in 1C). */
    void forgetNode() {
        nodeRef = null;
    }
}
