package ru.b24connector.onec;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads of the 1C exchange log for the pages, the console, the admin API and the analytics: entries by object, status
 * or deal, and the 1C document a deal was opened for. Reading only; {@link OneCExchangeLog} writes.
 */
@ApplicationScoped
public class OneCExchangeQueries {

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    /** Log entries, newest first, optionally of one object, status or direction. */
    public List<OneCExchange> list(String ref, OneCExchange.Status status, OneCExchange.Direction direction, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            StringBuilder q = new StringBuilder("from OneCExchange where 1 = 1");
            if (ref != null) {
                q.append(" and ref = :ref");
            }
            if (status != null) {
                q.append(" and status = :status");
            }
            if (direction != null) {
                q.append(" and direction = :direction");
            }
            var query = em.createQuery(q.append(" order by id desc").toString(), OneCExchange.class).setMaxResults(limit);
            if (ref != null) {
                query.setParameter("ref", ref);
            }
            if (status != null) {
                query.setParameter("status", status);
            }
            if (direction != null) {
                query.setParameter("direction", direction);
            }
            List<OneCExchange> entries = query.getResultList();
            entries.forEach(em::detach);
            return entries;
        });
    }

    /** Log entries of a deal (its own id, or its 1C document's ref), oldest first. */
    public List<OneCExchange> forDeal(long dealId, int limit) {
        Optional<String> ref = reclamationOfDeal(dealId).map(o -> o.ref);
        return QuarkusTransaction.requiringNew().call(() -> {
            List<OneCExchange> entries = em.createQuery("from OneCExchange where dealId = :d or (kind = :k and ref = :r) "
                            + "order by id", OneCExchange.class).setParameter("d", dealId)
                    .setParameter("k", OneCRecords.Kind.RECLAMATION).setParameter("r", ref.orElse("-"))
                    .setMaxResults(limit).getResultList();
            entries.forEach(em::detach);
            return entries;
        });
    }

    /** The newest version of the 1C document a deal was opened for, as received; empty for other deals. */
    public Optional<OneCRecords.Reclamation> reclamationRecordOfDeal(long dealId) {
        return reclamationOfDeal(dealId).filter(o -> o.payload != null).flatMap(o -> {
            try {
                return Optional.of(json.readValue(o.payload, OneCRecords.Reclamation.class));
            } catch (java.io.IOException e) {
                return Optional.empty();
            }
        });
    }

    /** When each 1C reclamation the service knows was first received since {@code since}. */
    public List<java.time.Instant> reclamationsReceivedSince(java.time.Instant since) {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                        "select createdAt from OneCObject where kind = :k and createdAt >= :s", java.time.Instant.class)
                .setParameter("k", OneCRecords.Kind.RECLAMATION).setParameter("s", since).getResultList());
    }

    /** The 1C reclamation a deal was opened for, if any. */
    public Optional<OneCObject> reclamationOfDeal(long dealId) {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                        "from OneCObject where kind = :k and portalId = :d", OneCObject.class)
                .setParameter("k", OneCRecords.Kind.RECLAMATION).setParameter("d", dealId).setMaxResults(1)
                .getResultStream().peek(em::detach).findFirst());
    }
}
