package ru.b24connector.onec;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Takes 1C objects waiting to be applied into a group (a lease on their rows, across replicas) and records what
 * became of each member: applied, ignored, left waiting, or failed. A member that fails is no longer offered to
 * other groups; its own job retries it.
 */
@ApplicationScoped
class OneCGroups {

    private static final Duration LEASE = Duration.ofMinutes(5);

    /** One object of a group with the newest version received (the one to apply). */
    record Member(OneCObject object, long exchangeId, OneCExchange.Direction direction, OneCRecords.Record record) {
        String ref() {
            return object.ref;
        }
    }

    /** What applying changed in the portal for one member; {@code ignored} says why nothing was done. */
    record Outcome(Long dealId, Long companyId, String ignored) {
    }

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    OneCExchangeLog log;

    @Inject
    Clock clock;

    /**
     * Leases the job's own objects that still wait (whatever failed before) and up to {@code size} in all with other
     * waiting objects of the kind, oldest first. Own objects another group holds are returned in {@code heldElsewhere}.
     */
    List<Member> claim(OneCRecords.Kind kind, Collection<String> own, int size, String owner, List<String> heldElsewhere) {
        List<String> refs = QuarkusTransaction.requiringNew().call(() -> {
            Timestamp now = Timestamp.from(clock.instant());
            Timestamp until = Timestamp.from(clock.instant().plus(LEASE));
            List<String> taken = new ArrayList<>();
            if (!own.isEmpty()) {
                em.createNativeQuery("""
                                UPDATE onec_object SET lease_owner = ?1, lease_until = ?2
                                WHERE kind = ?3 AND ref IN (?4) AND received_exchange_id IS NOT NULL
                                  AND (applied_exchange_id IS NULL OR applied_exchange_id <> received_exchange_id)
                                  AND (lease_until IS NULL OR lease_until < ?5)""")
                        .setParameter(1, owner).setParameter(2, until).setParameter(3, kind.name())
                        .setParameter(4, new ArrayList<>(own)).setParameter(5, now).executeUpdate();
                taken.addAll(leasedBy(kind, owner));
                @SuppressWarnings("unchecked")
                List<String> held = em.createNativeQuery("""
                                SELECT ref FROM onec_object WHERE kind = ?1 AND ref IN (?2) AND lease_until >= ?3
                                  AND (lease_owner IS NULL OR lease_owner <> ?4)
                                  AND (applied_exchange_id IS NULL OR applied_exchange_id <> received_exchange_id)""")
                        .setParameter(1, kind.name()).setParameter(2, new ArrayList<>(own)).setParameter(3, now)
                        .setParameter(4, owner).getResultList();
                heldElsewhere.addAll(held);
            }
            int more = size - taken.size();
            if (more > 0) {
                @SuppressWarnings("unchecked")
                List<String> others = em.createNativeQuery("""
                                SELECT ref FROM onec_object WHERE kind = ?1 AND apply_waiting = TRUE
                                  AND (lease_until IS NULL OR lease_until < ?2)
                                ORDER BY kind, apply_waiting, received_exchange_id LIMIT ?3 FOR UPDATE SKIP LOCKED""")
                        .setParameter(1, kind.name()).setParameter(2, now).setParameter(3, more).getResultList();
                if (!others.isEmpty()) {
                    em.createNativeQuery("UPDATE onec_object SET lease_owner = ?1, lease_until = ?2 WHERE kind = ?3 AND ref IN (?4)")
                            .setParameter(1, owner).setParameter(2, until).setParameter(3, kind.name())
                            .setParameter(4, others).executeUpdate();
                    taken.addAll(others);
                }
            }
            return taken;
        });
        return members(kind, refs);
    }

    @SuppressWarnings("unchecked")
    private List<String> leasedBy(OneCRecords.Kind kind, String owner) {
        return em.createNativeQuery("SELECT ref FROM onec_object WHERE kind = ?1 AND lease_owner = ?2")
                .setParameter(1, kind.name()).setParameter(2, owner).getResultList();
    }

    /** The objects with the record of their newest version, read in one query each. */
    private List<Member> members(OneCRecords.Kind kind, List<String> refs) {
        if (refs.isEmpty()) {
            return List.of();
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            List<OneCObject> objects = em.createQuery("from OneCObject where kind = :k and ref in :r", OneCObject.class)
                    .setParameter("k", kind).setParameter("r", refs).getResultList();
            objects.forEach(em::detach);
            List<Long> ids = objects.stream().map(o -> o.receivedExchangeId).toList();
            Map<Long, OneCExchange> entries = new HashMap<>();
            em.createQuery("from OneCExchange where id in :ids", OneCExchange.class).setParameter("ids", ids)
                    .getResultList().forEach(e -> {
                        em.detach(e);
                        entries.put(e.id, e);
                    });
            Class<? extends OneCRecords.Record> type = kind == OneCRecords.Kind.COUNTERPARTY
                    ? OneCRecords.Counterparty.class : OneCRecords.Reclamation.class;
            List<Member> members = new ArrayList<>();
            for (OneCObject o : objects) {
                OneCExchange entry = entries.get(o.receivedExchangeId);
                try {
                    members.add(new Member(o, entry.id, entry.direction, json.readValue(entry.payload, type)));
                } catch (IOException e) {
                    throw new IllegalStateException("stored 1C record " + entry.id + " is unreadable", e);
                }
            }
            return members;
        });
    }

    /** Marks that a call which may create the members' company or deal is about to go. */
    void markRequested(OneCRecords.Kind kind, Collection<String> refs) {
        if (!refs.isEmpty()) {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                            "UPDATE onec_object SET portal_requested = TRUE WHERE kind = ?1 AND ref IN (?2)")
                    .setParameter(1, kind.name()).setParameter(2, new ArrayList<>(refs)).executeUpdate());
        }
    }

    /** The member's version is in the portal: marks it applied (or ignored), and older versions superseded. */
    void applied(Member m, Outcome outcome) {
        appliedAll(List.of(new Applied(m, outcome, null, null)));
    }

    /** A member done, with the portal ids to record on its object (null: leave as they are). */
    record Applied(Member member, Outcome outcome, Long portalId, Boolean commentDone) {
    }

    /**
     * Marks members applied (or ignored) with the ids the portal gave them, and their older versions superseded, in one
     * transaction: a group commits once, not once per record. Should the service stop before it, the members stay
     * waiting with {@code portal_requested} set, and their next attempt looks them up before creating anything.
     */
    void appliedAll(List<Applied> done) {
        if (done.isEmpty()) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            for (Applied a : done) {
                Member m = a.member();
                OneCObject object = log.lockObject(m.object().kind, m.ref());
                object.portalId = a.portalId() != null ? a.portalId() : object.portalId;
                object.commentDone = a.commentDone() != null ? a.commentDone() : object.commentDone;
                object.appliedExchangeId = m.exchangeId();
                object.applyWaiting = !Long.valueOf(m.exchangeId()).equals(object.receivedExchangeId);
                object.portalRequested = false;
                object.updatedAt = clock.instant();
                OneCExchange entry = em.find(OneCExchange.class, m.exchangeId());
                entry.status = a.outcome().ignored() == null ? OneCExchange.Status.APPLIED : OneCExchange.Status.IGNORED;
                entry.dealId = a.outcome().dealId();
                entry.companyId = a.outcome().companyId();
                entry.error = a.outcome().ignored();
                entry.updatedAt = clock.instant();
                em.createQuery("""
                                update OneCExchange set status = :superseded, error = null, updatedAt = :t
                                where kind = :k and ref = :r and status = :received and id < :applied""")
                        .setParameter("superseded", OneCExchange.Status.SUPERSEDED).setParameter("t", clock.instant())
                        .setParameter("k", m.object().kind).setParameter("r", m.ref())
                        .setParameter("received", OneCExchange.Status.RECEIVED).setParameter("applied", m.exchangeId())
                        .executeUpdate();
            }
        });
        done.forEach(a -> log.count(a.member().direction(), a.member().object().kind,
                a.outcome().ignored() == null ? "applied" : "ignored"));
    }

    /**
     * The portal refused the member (or could not take it): the error is on its log entry, and it is left to its own
     * job, which retries it with backoff; other groups no longer take it.
     */
    void failed(Member m, String error) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "UPDATE onec_object SET apply_waiting = FALSE WHERE kind = ?1 AND ref = ?2 AND received_exchange_id = ?3")
                .setParameter(1, m.object().kind.name()).setParameter(2, m.ref()).setParameter(3, m.exchangeId())
                .executeUpdate());
        log.noteError(m.exchangeId(), error);
    }

    /** Notes why the member waits (no room in the budgets, its dealer being created elsewhere); it stays offered. */
    void waiting(Member m, String why) {
        log.noteError(m.exchangeId(), why);
    }

    /** Lets the group's objects go. */
    void release(OneCRecords.Kind kind, String owner) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "UPDATE onec_object SET lease_owner = NULL, lease_until = NULL WHERE kind = ?1 AND lease_owner = ?2")
                .setParameter(1, kind.name()).setParameter(2, owner).executeUpdate());
    }

    /** The objects of {@code refs} that still have a version to apply. */
    List<String> stillWaiting(OneCRecords.Kind kind, Collection<String> refs) {
        if (refs.isEmpty()) {
            return List.of();
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<String> rows = em.createNativeQuery("""
                            SELECT ref FROM onec_object WHERE kind = ?1 AND ref IN (?2) AND received_exchange_id IS NOT NULL
                              AND (applied_exchange_id IS NULL OR applied_exchange_id <> received_exchange_id)""")
                    .setParameter(1, kind.name()).setParameter(2, new ArrayList<>(refs)).getResultList();
            return rows;
        });
    }

    /** How many objects of the kind wait to be applied (for the pull's progress and its back-pressure). */
    long waitingCount(OneCRecords.Kind kind) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                        "SELECT COUNT(*) FROM onec_object WHERE kind = ?1 AND apply_waiting = TRUE")
                .setParameter(1, kind.name()).getSingleResult()).longValue());
    }

    static Optional<Instant> earliest(Optional<Instant> a, Instant b) {
        return Optional.of(a.isEmpty() || b.isBefore(a.get()) ? b : a.get());
    }
}
