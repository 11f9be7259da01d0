package ru.b24connector.onec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import ru.b24connector.jobs.Job;
import ru.b24connector.jobs.JobHandler;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Applies the newest received version of a 1C object to the portal. One worker at a time holds an object (a lease
 * on its row, across replicas); a job whose version was overtaken by a newer one applies the newer one, and the
 * versions in between are marked SUPERSEDED: the portal ends with what 1C sent last, applied once.
 */
@ApplicationScoped
class OneCApplyJob implements JobHandler {

    private static final Duration LEASE = Duration.ofMinutes(5);

    @Inject
    OneCExchangeLog log;

    @Inject
    OneCPortalSync sync;

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @Override
    public String type() {
        return OneCExchangeLog.APPLY_JOB;
    }

    @Override
    public void handle(Job job) throws Exception {
        JsonNode payload = json.readTree(job.payload);
        OneCRecords.Kind kind = OneCRecords.Kind.valueOf(payload.path("kind").asText());
        String ref = payload.path("ref").asText();
        String owner = UUID.randomUUID().toString();
        if (!lease(kind, ref, owner)) {
            throw new IllegalStateException("1C " + kind + " " + ref + " is being applied by another worker");
        }
        try {
            OneCObject object = log.object(kind, ref).orElseThrow();
            if (object.receivedExchangeId == null || Objects.equals(object.appliedExchangeId, object.receivedExchangeId)) {
                supersede(kind, ref, object.appliedExchangeId);
                return;
            }
            long exchangeId = object.receivedExchangeId;
            OneCExchange entry = log.find(exchangeId).orElseThrow();
            Class<? extends OneCRecords.Record> type = kind == OneCRecords.Kind.COUNTERPARTY
                    ? OneCRecords.Counterparty.class : OneCRecords.Reclamation.class;
            OneCRecords.Record record = json.readValue(entry.payload, type);
            OneCPortalSync.Outcome outcome;
            try {
                outcome = sync.apply(object, record);
            } catch (RuntimeException e) {
                log.noteError(exchangeId, e.getMessage());
                throw e;
            }
            applied(kind, ref, exchangeId, outcome);
            log.count(entry.direction, kind, outcome.ignored() == null ? "applied" : "ignored");
            Log.infof("Applied 1C %s %s (%s) from exchange %d: deal %s, company %s%s", kind, ref, record.label(),
                    exchangeId, outcome.dealId(), outcome.companyId(),
                    outcome.ignored() == null ? "" : " — " + outcome.ignored());
        } finally {
            release(kind, ref, owner);
        }
    }

    @Override
    public void onDead(Job job, Exception cause) {
        log.failJob(job, cause);
    }

    /** Marks the version applied, and the older versions still waiting superseded by it. */
    private void applied(OneCRecords.Kind kind, String ref, long exchangeId, OneCPortalSync.Outcome outcome) {
        QuarkusTransaction.requiringNew().run(() -> {
            OneCObject object = log.lockObject(kind, ref);
            object.appliedExchangeId = exchangeId;
            object.updatedAt = clock.instant();
            OneCExchange entry = em.find(OneCExchange.class, exchangeId);
            entry.status = outcome.ignored() == null ? OneCExchange.Status.APPLIED : OneCExchange.Status.IGNORED;
            entry.dealId = outcome.dealId();
            entry.companyId = outcome.companyId();
            entry.error = outcome.ignored();
            entry.updatedAt = clock.instant();
        });
        supersede(kind, ref, exchangeId);
    }

    private void supersede(OneCRecords.Kind kind, String ref, Long appliedId) {
        if (appliedId == null) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> em.createQuery("""
                        update OneCExchange set status = :superseded, error = null, updatedAt = :t
                        where kind = :k and ref = :r and status = :received and id < :applied""")
                .setParameter("superseded", OneCExchange.Status.SUPERSEDED).setParameter("t", clock.instant())
                .setParameter("k", kind).setParameter("r", ref).setParameter("received", OneCExchange.Status.RECEIVED)
                .setParameter("applied", appliedId).executeUpdate());
    }

    private boolean lease(OneCRecords.Kind kind, String ref, String owner) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                        UPDATE onec_object SET lease_owner = ?1, lease_until = ?2
                        WHERE kind = ?3 AND ref = ?4 AND (lease_until IS NULL OR lease_until < ?5)""")
                .setParameter(1, owner).setParameter(2, Timestamp.from(clock.instant().plus(LEASE)))
                .setParameter(3, kind.name()).setParameter(4, ref).setParameter(5, Timestamp.from(clock.instant()))
                .executeUpdate() == 1);
    }

    private void release(OneCRecords.Kind kind, String ref, String owner) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "UPDATE onec_object SET lease_owner = NULL, lease_until = NULL WHERE kind = ?1 AND ref = ?2 AND lease_owner = ?3")
                .setParameter(1, kind.name()).setParameter(2, ref).setParameter(3, owner).executeUpdate());
    }
}
