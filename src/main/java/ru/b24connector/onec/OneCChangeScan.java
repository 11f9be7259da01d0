package ru.b24connector.onec;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import ru.b24connector.cluster.PeriodGate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Without an exchange plan, how a change to an old document is found: a document's {@code Date} is its business date,
 * and its status changes weeks later, outside any date window (reference/1c-integration.md §1.9). Every
 * {@code ONEC_SCAN_EVERY} the documents still open are listed with {@code $select=Ref_Key,DataVersion} only (a few
 * dozen bytes a row), the versions the service has not received are noted in {@code onec_pending}, and only those
 * documents are read, by key.
 */
@ApplicationScoped
class OneCChangeScan {

    static final String GATE = "onec-scan";

    /** What one scan did. */
    record Report(int listed, int changed, OneCPending.Result read, boolean complete, String error) {
    }

    @Inject
    OneCConfig config;

    @Inject
    OneCODataClient odata;

    @Inject
    OneCPending pending;

    @Inject
    OneCExchangePlan plan;

    @Inject
    EntityManager em;

    @Inject
    PeriodGate gate;

    private final AtomicBoolean running = new AtomicBoolean();

    // SKIP: a long scan is not overlapped by the next on this replica; the gate keeps other replicas out
    @Scheduled(identity = "onec-scan", every = "${onec.scan-every:1h}", delayed = "90s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = OneCChangeScan.NotWanted.class)
    void trigger() {
        if (gate.tryStart(GATE, DurationConverter.parseDuration(config.scanEvery()))) {
            runOnce();
        }
    }

    /** Lists the open documents' versions, notes the changed ones and reads them. */
    Report runOnce() {
        if (!running.compareAndSet(false, true)) {
            return new Report(0, 0, new OneCPending.Result(0, 0, 0, 0), false, "a scan is already running in this replica");
        }
        int listed = 0;
        int changed = 0;
        try {
            String filter = "DeletionMark eq false" + OneCPull.documentCondition(config)
                    + config.scanFilter().filter(f -> !f.isBlank()).map(f -> " and (" + f + ")").orElse("");
            for (int skip = 0; ; skip += config.pageSize()) {
                Map<String, String> options = new LinkedHashMap<>();
                options.put("$select", "Ref_Key,DataVersion");
                options.put("$filter", filter);
                options.put("$orderby", "Ref_Key");
                options.put("$top", String.valueOf(config.pageSize()));
                options.put("$skip", String.valueOf(skip));
                List<JsonNode> page = odata.page(config.reclamationSet(), options);
                listed += page.size();
                List<String> news = unreceived(page);
                changed += news.size();
                pending.add(OneCRecords.Kind.RECLAMATION, news, "SCAN");
                if (page.size() < config.pageSize()) {
                    break;
                }
            }
            OneCPending.Result read = pending.readAll();
            Log.infof("Scanned %d open 1C document(s) for changes: %d changed, %d new versions stored", listed, changed,
                    read.received());
            return new Report(listed, changed, read, true, null);
        } catch (OneCODataClient.Unavailable | OneCODataClient.Refused e) {
            // what was found so far is in onec_pending: the next pull or scan reads it
            Log.warnf("Scan of 1C documents stopped after %d row(s), %d changed noted: %s", listed, changed, e.getMessage());
            return new Report(listed, changed, new OneCPending.Result(0, 0, 0, 0), false, e.getMessage());
        } finally {
            running.set(false);
        }
    }

    /** Refs of the page whose listed DataVersion the service has not received (one query per page). */
    private List<String> unreceived(List<JsonNode> page) {
        Map<String, String> versions = new LinkedHashMap<>();
        for (JsonNode row : page) {
            String ref = row.path("Ref_Key").asText("").toLowerCase(Locale.ROOT);
            if (!ref.isEmpty()) {
                versions.put(ref, row.path("DataVersion").asText(""));
            }
        }
        if (versions.isEmpty()) {
            return List.of();
        }
        Set<String> known = new HashSet<>(QuarkusTransaction.requiringNew().call(() -> em.createQuery("""
                        select concat(ref, '|', dataVersion) from OneCExchange where kind = :k and ref in :refs
                        and direction in (:push, :pull) and status <> :rejected""", String.class)
                .setParameter("k", OneCRecords.Kind.RECLAMATION).setParameter("refs", new ArrayList<>(versions.keySet()))
                .setParameter("push", OneCExchange.Direction.PUSH).setParameter("pull", OneCExchange.Direction.PULL)
                .setParameter("rejected", OneCExchange.Status.REJECTED).getResultList()));
        return versions.entrySet().stream().filter(e -> !known.contains(e.getKey() + "|" + e.getValue()))
                .map(Map.Entry::getKey).toList();
    }

    /** Off while ONEC_ODATA_URL is unset, and when an exchange plan carries the changes. */
    @Singleton
    static class NotWanted implements Scheduled.SkipPredicate {
        @Inject
        OneCODataClient odata;

        @Inject
        OneCExchangePlan plan;

        @Override
        public boolean test(ScheduledExecution execution) {
            return !odata.configured() || plan.configured();
        }
    }
}
