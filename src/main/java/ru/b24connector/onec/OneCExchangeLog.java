package ru.b24connector.onec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import ru.b24connector.jobs.JobQueue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The exchange log and the objects it knows. {@link #receive} is the one way in for a 1C record, pushed or
 * pulled: the record, its object row and the job that applies it commit together before anyone is answered,
 * and a version received before is answered with the first receipt and changes nothing.
 */
@ApplicationScoped
public class OneCExchangeLog {

    static final String APPLY_JOB = "onec.apply";

    /** What the sender learns: the log entry, and whether this version had arrived before. */
    public record Receipt(long exchangeId, OneCRecords.Kind kind, String ref, String status, boolean repeat) {
    }

    @Inject
    EntityManager em;

    @Inject
    JobQueue jobs;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    /** {@code connector_onec_records_total{direction,kind,outcome}}: what arrived from 1C and what became of it. */
    void count(OneCExchange.Direction direction, OneCRecords.Kind kind, String outcome) {
        metrics.counter("connector.onec.records", "direction", direction.name().toLowerCase(java.util.Locale.ROOT),
                "kind", kind.name().toLowerCase(java.util.Locale.ROOT), "outcome", outcome).increment();
    }

    /** Stores a valid record with its apply job; a version received before answers that first receipt. */
    public Receipt receive(OneCExchange.Direction direction, OneCRecords.Record record) {
        return receiveAll(direction, List.of(record), null).get(0);
    }

    /** The dedup key of the apply job {@link #receiveAll} enqueues for records whose first new entry is {@code id}. */
    static String applyJobKey(long firstNewExchangeId) {
        return "onec:" + firstNewExchangeId;
    }

    /**
     * Stores records of one kind (a pulled page) in one transaction with one apply job for those that are new: the
     * job applies them as a group. A version received before answers its first receipt and changes nothing.
     *
     * @param runAt when the job may start (null: now); the pull holds page jobs back while it gathers a group
     */
    public List<Receipt> receiveAll(OneCExchange.Direction direction, List<? extends OneCRecords.Record> records,
                                    Instant runAt) {
        if (records.isEmpty()) {
            return List.of();
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return receiveOnce(direction, records, runAt);
            } catch (RuntimeException e) {
                // simultaneous first pushes of one object may deadlock on its new row; InnoDB asks for a retry
                if (attempt == 3 || !deadlock(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean deadlock(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && ("40001".equals(sql.getSQLState()) || sql.getErrorCode() == 1213)) {
                return true;
            }
        }
        return false;
    }

    private List<Receipt> receiveOnce(OneCExchange.Direction direction, List<? extends OneCRecords.Record> records,
                                      Instant runAt) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Receipt> receipts = new ArrayList<>();
            List<String> refs = new ArrayList<>();
            List<Long> ids = new ArrayList<>();
            OneCRecords.Kind kind = records.get(0).kind();
            for (OneCRecords.Record record : records) {
                String version = version(record);
                OneCObject object = lockObject(record.kind(), record.ref());
                Optional<OneCExchange> earlier = firstReceipt(record.kind(), record.ref(), version);
                if (earlier.isPresent()) {
                    count(direction, record.kind(), "duplicate");
                    receipts.add(receipt(earlier.get(), true));
                    continue;
                }
                String payload = toJson(record);
                if (onlyVersionDiffers(object, payload)) {
                    // e.g. the echo of the service's own write back: 1C gave the document a new DataVersion, but
                    // nothing the service reads changed, so nothing may change in the portal (no stage set again)
                    OneCExchange same = entry(direction, record.kind(), record.ref(), version, record.label(),
                            OneCExchange.Status.IGNORED, payload, "differs from the version applied only in what the "
                                    + "service does not read (its own write back, or an attribute not exchanged)");
                    same.dealId = record.kind() == OneCRecords.Kind.RECLAMATION ? object.portalId : null;
                    same.companyId = record.kind() == OneCRecords.Kind.COUNTERPARTY ? object.portalId : object.companyId;
                    object.receivedExchangeId = same.id;
                    object.appliedExchangeId = same.id;
                    object.payload = payload;
                    object.updatedAt = same.createdAt;
                    count(direction, record.kind(), "ignored");
                    receipts.add(receipt(same, false));
                    continue;
                }
                OneCExchange entry = entry(direction, record.kind(), record.ref(), version, record.label(),
                        OneCExchange.Status.RECEIVED, payload, null);
                object.receivedExchangeId = entry.id;
                object.applyWaiting = true;
                object.payload = payload;
                object.updatedAt = entry.createdAt;
                count(direction, record.kind(), "received");
                // a pull logs one line per page (OneCPull), a push one line per request
                Log.debugf("Received 1C %s %s (%s) by %s as exchange %d", record.kind(), record.ref(), record.label(),
                        direction, entry.id);
                receipts.add(receipt(entry, false));
                refs.add(record.ref());
                ids.add(entry.id);
            }
            if (!ids.isEmpty()) {
                jobs.enqueue(APPLY_JOB, applyJobKey(ids.get(0)), Map.of("kind", kind.name(), "refs", refs,
                        "exchangeIds", ids), runAt, null);
            }
            return receipts;
        });
    }

    /**
     * True when the object's newest version was applied and the new one carries the same record but for its
     * DataVersion (compared as JSON trees without it).
     */
    private boolean onlyVersionDiffers(OneCObject object, String payload) {
        if (object.payload == null || object.applyWaiting || object.appliedExchangeId == null
                || !object.appliedExchangeId.equals(object.receivedExchangeId)) {
            return false;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode before = json.readTree(object.payload);
            com.fasterxml.jackson.databind.JsonNode now = json.readTree(payload);
            if (before instanceof com.fasterxml.jackson.databind.node.ObjectNode b
                    && now instanceof com.fasterxml.jackson.databind.node.ObjectNode n) {
                b.remove("dataVersion");
                n.remove("dataVersion");
                return b.equals(n);
            }
        } catch (JsonProcessingException e) {
            return false;
        }
        return false;
    }

    /**
     * Logs a record that broke rules; nothing else changes. A pulled record rejected before with the same version
     * and the same reason is not logged again (the pull meets it on every run until 1C fixes it).
     */
    public Optional<Long> reject(OneCExchange.Direction direction, OneCRecords.Kind kind, String ref, String version,
                                 String label, String error, String payload) {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (direction == OneCExchange.Direction.PULL && ref != null) {
                boolean known = !em.createQuery("""
                                select id from OneCExchange where kind = :k and ref = :r and dataVersion = :v
                                and status = :rejected and error = :e""", Long.class)
                        .setParameter("k", kind).setParameter("r", ref).setParameter("v", version)
                        .setParameter("rejected", OneCExchange.Status.REJECTED).setParameter("e", truncate(error, 4000))
                        .setMaxResults(1).getResultList().isEmpty();
                if (known) {
                    return Optional.<Long>empty();
                }
            }
            OneCExchange entry = entry(direction, kind, ref, version, label, OneCExchange.Status.REJECTED, payload, error);
            count(direction, kind, "rejected");
            Log.warnf("Rejected 1C %s %s by %s (exchange %d): %s", kind, ref == null ? "" : ref, direction, entry.id, error);
            return Optional.of(entry.id);
        });
    }

    /** True when this version of the object was received before (and not rejected): the pull skips it quietly. */
    public boolean known(OneCRecords.Kind kind, String ref, String version) {
        return QuarkusTransaction.requiringNew().call(() -> firstReceipt(kind, ref, version).isPresent());
    }

    /** The first log entry that received this version (pushed or pulled, not rejected), in the caller's transaction. */
    private Optional<OneCExchange> firstReceipt(OneCRecords.Kind kind, String ref, String version) {
        return em.createQuery("""
                        from OneCExchange where kind = :k and ref = :r and dataVersion = :v
                        and direction in (:push, :pull) and status <> :rejected order by id""", OneCExchange.class)
                .setParameter("k", kind).setParameter("r", ref).setParameter("v", version)
                .setParameter("push", OneCExchange.Direction.PUSH).setParameter("pull", OneCExchange.Direction.PULL)
                .setParameter("rejected", OneCExchange.Status.REJECTED).setMaxResults(1).getResultStream().findFirst();
    }

    /** Opens a write to 1C (status PENDING) in the caller's transaction. */
    OneCExchange openWrite(OneCRecords.Kind kind, String ref, String label, Long dealId, String payload) {
        OneCExchange entry = entry(OneCExchange.Direction.WRITE, kind, ref, null, label, OneCExchange.Status.PENDING,
                payload, null);
        entry.dealId = dealId;
        return entry;
    }

    /** Sets an entry's outcome (and its error, or clears it). */
    void finish(long exchangeId, OneCExchange.Status status, Long dealId, Long companyId, String error) {
        QuarkusTransaction.requiringNew().run(() -> {
            OneCExchange entry = em.find(OneCExchange.class, exchangeId);
            entry.status = status;
            entry.dealId = dealId != null ? dealId : entry.dealId;
            entry.companyId = companyId != null ? companyId : entry.companyId;
            entry.error = truncate(error, 4000);
            entry.updatedAt = clock.instant();
        });
    }

    /** Notes why the latest attempt failed; the entry keeps its status while the job retries. */
    void noteError(long exchangeId, String error) {
        QuarkusTransaction.requiringNew().run(() -> em.createQuery(
                        "update OneCExchange set error = :e, updatedAt = :t where id = :id")
                .setParameter("e", truncate(error, 4000)).setParameter("t", clock.instant()).setParameter("id", exchangeId)
                .executeUpdate());
    }

    /** A dead-lettered apply or write job: its entries (payload {@code exchangeId} or {@code exchangeIds}) are FAILED if still waiting. */
    void failJob(ru.b24connector.jobs.Job job, Exception cause) {
        try {
            com.fasterxml.jackson.databind.JsonNode payload = json.readTree(job.payload);
            if (payload.has("exchangeId")) {
                failIfWaiting(payload.path("exchangeId").asLong(), cause.getMessage());
            }
            for (com.fasterxml.jackson.databind.JsonNode id : payload.path("exchangeIds")) {
                failIfWaiting(id.asLong(), cause.getMessage());
            }
        } catch (Exception e) {
            Log.warnf("Could not mark the exchange of dead job %d failed: %s", job.id, e.getMessage());
        }
    }

    /**
     * Marks an entry FAILED if it is still waiting (its job was dead-lettered); the error its group noted (what the
     * portal said about this record) is kept over the job's.
     */
    void failIfWaiting(long exchangeId, String error) {
        QuarkusTransaction.requiringNew().run(() -> em.createQuery("""
                        update OneCExchange set status = :failed, error = coalesce(error, :e), updatedAt = :t
                        where id = :id and status in (:received, :pending)""")
                .setParameter("failed", OneCExchange.Status.FAILED).setParameter("e", truncate(error, 4000))
                .setParameter("t", clock.instant()).setParameter("id", exchangeId)
                .setParameter("received", OneCExchange.Status.RECEIVED).setParameter("pending", OneCExchange.Status.PENDING)
                .executeUpdate());
    }

    Optional<OneCExchange> find(long id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            OneCExchange entry = em.find(OneCExchange.class, id);
            if (entry != null) {
                em.detach(entry);
            }
            return Optional.ofNullable(entry);
        });
    }

    /** The object row, detached; empty when the service never received it. */
    public Optional<OneCObject> object(OneCRecords.Kind kind, String ref) {
        return QuarkusTransaction.requiringNew().call(() -> {
            OneCObject object = em.find(OneCObject.class, new OneCObject.Key(kind, ref));
            if (object != null) {
                em.detach(object);
            }
            return Optional.ofNullable(object);
        });
    }

    /** The object row, created empty when new, locked until the caller's transaction ends. */
    OneCObject lockObject(OneCRecords.Kind kind, String ref) {
        Timestamp now = Timestamp.from(clock.instant());
        // ON DUPLICATE KEY UPDATE takes the row's exclusive lock at once (INSERT IGNORE would take a shared one,
        // and two callers upgrading it to exclusive deadlock)
        em.createNativeQuery("INSERT INTO onec_object (kind, ref, comment_done, created_at, updated_at) "
                + "VALUES (?1, ?2, FALSE, ?3, ?3) ON DUPLICATE KEY UPDATE kind = kind").setParameter(1, kind.name()).setParameter(2, ref)
                .setParameter(3, now).executeUpdate();
        return em.find(OneCObject.class, new OneCObject.Key(kind, ref), LockModeType.PESSIMISTIC_WRITE);
    }

    /** Portal ids found or created for an object; null fields are left as they are. */
    record Link(OneCRecords.Kind kind, String ref, Long portalId, Long companyId, Long contactId, Boolean commentDone,
                String payloadIfNone) {
    }

    /** Records the portal ids found or created for an object, at once (a retry must not create them again). */
    void link(OneCRecords.Kind kind, String ref, Long portalId, Long companyId, Long contactId, Boolean commentDone,
              String payloadIfNone) {
        linkAll(List.of(new Link(kind, ref, portalId, companyId, contactId, commentDone, payloadIfNone)));
    }

    /** {@link #link} for a group's objects, in one transaction. */
    void linkAll(List<Link> links) {
        if (links.isEmpty()) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            for (Link l : links) {
                OneCObject object = lockObject(l.kind(), l.ref());
                object.portalId = l.portalId() != null ? l.portalId() : object.portalId;
                object.companyId = l.companyId() != null ? l.companyId() : object.companyId;
                object.contactId = l.contactId() != null ? l.contactId() : object.contactId;
                object.commentDone = l.commentDone() != null ? l.commentDone() : object.commentDone;
                if (object.payload == null) {
                    object.payload = l.payloadIfNone();
                }
                object.updatedAt = clock.instant();
            }
        });
    }

    private OneCExchange entry(OneCExchange.Direction direction, OneCRecords.Kind kind, String ref, String version,
                               String label, OneCExchange.Status status, String payload, String error) {
        Instant now = clock.instant();
        OneCExchange entry = new OneCExchange();
        entry.direction = direction;
        entry.kind = kind;
        entry.ref = ref;
        entry.dataVersion = version;
        entry.number = truncate(label, 255);
        entry.status = status;
        entry.payload = payload;
        entry.error = truncate(error, 4000);
        entry.createdAt = now;
        entry.updatedAt = now;
        em.persist(entry);
        em.flush();
        return entry;
    }

    /** 1C's DataVersion; without one, a hash of the record (the same content is the same version). */
    String version(OneCRecords.Record record) {
        if (record.dataVersion() != null) {
            return record.dataVersion();
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(toJson(record).getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Receipt receipt(OneCExchange entry, boolean repeat) {
        return new Receipt(entry.id, entry.kind, entry.ref, entry.status.name().toLowerCase(java.util.Locale.ROOT), repeat);
    }

    static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
