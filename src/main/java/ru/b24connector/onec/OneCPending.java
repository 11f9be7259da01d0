package ru.b24connector.onec;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * 1C objects known to have changed and not read yet ({@code onec_pending}): found by the DataVersion scan, carried by
 * an exchange plan's message, or held because a reference they need was refused. {@link #readAll} reads them by
 * Ref_Key, {@value #GROUP} per request, with the same {@code $select} and conditions as the pull, and receives them;
 * a row leaves the table only once its object is stored, rejected as invalid, or no longer shown by 1C.
 */
@ApplicationScoped
class OneCPending {

    static final int GROUP = 20;
    /** Most rows one run reads: a very large backlog is read over several runs. */
    private static final int MOST_PER_RUN = 5000;

    /** What a run of the pending objects did. */
    record Result(int rows, int received, int rejected, int held) {
        Result plus(Result other) {
            return new Result(rows + other.rows, received + other.received, rejected + other.rejected, held + other.held);
        }
    }

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    OneCConfig config;

    @Inject
    OneCODataClient odata;

    @Inject
    OneCRowReader rows;

    @Inject
    OneCExchangeLog log;

    /** Notes objects to read (stored before an exchange message that carried them is acknowledged). */
    void add(OneCRecords.Kind kind, Collection<String> refs, String source) {
        if (refs.isEmpty()) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            Timestamp now = Timestamp.from(clock.instant());
            for (String ref : refs) {
                em.createNativeQuery("INSERT INTO onec_pending (kind, ref, source, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4) "
                                + "ON DUPLICATE KEY UPDATE updated_at = ?4")
                        .setParameter(1, kind.name()).setParameter(2, ref.toLowerCase(Locale.ROOT)).setParameter(3, source)
                        .setParameter(4, now).executeUpdate();
            }
        });
    }

    /** Holds an object whose reference could not be read: it is read again by the next run. */
    void hold(OneCRecords.Kind kind, String ref, String reason) {
        add(kind, List.of(ref), "PULL");
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "UPDATE onec_pending SET reason = ?1, updated_at = ?2 WHERE kind = ?3 AND ref = ?4")
                .setParameter(1, OneCExchangeLog.truncate(reason, 2000)).setParameter(2, Timestamp.from(clock.instant()))
                .setParameter(3, kind.name()).setParameter(4, ref).executeUpdate());
    }

    private void remove(OneCRecords.Kind kind, Collection<String> refs) {
        if (!refs.isEmpty()) {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("DELETE FROM onec_pending WHERE kind = ?1 AND ref IN (?2)")
                    .setParameter(1, kind.name()).setParameter(2, new ArrayList<>(refs)).executeUpdate());
        }
    }

    @SuppressWarnings("unchecked")
    List<String> refs(OneCRecords.Kind kind, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "SELECT ref FROM onec_pending WHERE kind = ?1 ORDER BY created_at, ref")
                .setParameter(1, kind.name()).setMaxResults(limit).getResultList());
    }

    /** The objects held, with why, for the admin API and the console. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> held() {
        return QuarkusTransaction.requiringNew().call(() -> ((List<Object[]>) em.createNativeQuery(
                        "SELECT kind, ref, reason, updated_at FROM onec_pending WHERE reason IS NOT NULL ORDER BY updated_at DESC")
                .setMaxResults(100).getResultList()).stream().map(r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("kind", r[0]);
                    m.put("ref", r[1]);
                    m.put("reason", r[2]);
                    m.put("since", String.valueOf(r[3]));
                    return m;
                }).toList());
    }

    /**
     * Reads every pending object (counterparties first, as documents read theirs) and receives those that changed.
     * An outage stops the run (the rows stay for the next); a refused reference holds its document.
     */
    Result readAll() {
        Result counterparties = read(OneCRecords.Kind.COUNTERPARTY);
        return counterparties.plus(read(OneCRecords.Kind.RECLAMATION));
    }

    private Result read(OneCRecords.Kind kind) {
        List<String> refs = refs(kind, MOST_PER_RUN);
        Result total = new Result(0, 0, 0, 0);
        for (int from = 0; from < refs.size(); from += GROUP) {
            total = total.plus(readGroup(kind, refs.subList(from, Math.min(refs.size(), from + GROUP))));
        }
        if (!refs.isEmpty()) {
            Log.infof("Read %d changed 1C %s object(s) by key: %d new versions, %d rejected, %d held", total.rows(),
                    kind.name().toLowerCase(Locale.ROOT), total.received(), total.rejected(), total.held());
        }
        return total;
    }

    private Result readGroup(OneCRecords.Kind kind, List<String> group) {
        Set<String> done = new HashSet<>(group);
        List<String> wanted = new ArrayList<>(group);
        if (kind == OneCRecords.Kind.COUNTERPARTY && OneCPull.dealerCondition(config).isEmpty()) {
            // without a filter only counterparties documents referred to are the service's: others are left alone
            wanted.removeIf(ref -> log.object(kind, ref).isEmpty());
        }
        if (wanted.isEmpty()) {
            remove(kind, done);
            return new Result(0, 0, 0, 0);
        }
        String keys = wanted.stream().map(r -> "Ref_Key eq guid'" + r + "'").collect(Collectors.joining(" or ", "(", ")"));
        String filter = kind == OneCRecords.Kind.RECLAMATION ? keys + OneCPull.documentCondition(config)
                : keys + OneCPull.dealerCondition(config).map(f -> " and (" + f + ")").orElse("");
        String set = kind == OneCRecords.Kind.RECLAMATION ? config.reclamationSet() : config.counterpartySet();
        List<JsonNode> found = odata.page(set, Map.of("$filter", filter, "$select",
                kind == OneCRecords.Kind.RECLAMATION ? rows.documentSelect() : rows.counterpartySelect()));
        List<OneCRecords.Record> records = new ArrayList<>();
        int rejected = 0;
        int held = 0;
        for (JsonNode row : found) {
            String ref = row.path("Ref_Key").asText("").toLowerCase(Locale.ROOT);
            try {
                Optional<OneCRecords.Record> record = rows.take(kind, row);
                if (record == null) {
                    rejected++;
                } else {
                    record.ifPresent(records::add);
                }
            } catch (OneCRowReader.ReferenceRefused e) {
                held++;
                done.remove(ref);
                hold(kind, ref, e.getMessage());
                Log.warnf("1C %s %s held, read again by the next run: %s", kind, ref, e.getMessage());
            }
        }
        List<OneCExchangeLog.Receipt> receipts = log.receiveAll(OneCExchange.Direction.PULL, records, null);
        remove(kind, done);
        return new Result(found.size(), (int) receipts.stream().filter(r -> !r.repeat()).count(), rejected, held);
    }
}
