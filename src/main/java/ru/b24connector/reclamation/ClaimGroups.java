package ru.b24connector.reclamation;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import ru.b24connector.jobs.JobDeferred;
import ru.b24connector.jobs.JobQueue;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.jobs.MissedReleases;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Groups of claims one worker puts into the CRM together ({@code reclamation.claimed_until}): taken in arrival order,
 * held while the group runs (renewed at every heartbeat, so a dead worker's group frees in a minute), and let go
 * when it ends by the group's token ({@code claim_group}). A release the database missed, and a claim whose answer it
 * lost, are let go as soon as it answers (see {@link MissedReleases}), not left to run out their minute.
 */
@ApplicationScoped
class ClaimGroups {

    /** How long a group holds its claims; renewed at every job heartbeat, so a dead worker's group frees in a minute. */
    private static final Duration HOLD = Duration.ofSeconds(60);
    /**
     * How soon a claim looks again when another worker holds what it needs (its dealer, or the claim itself in a
     * group); a group that lets its claims go moves their jobs up anyway, this is for when it could not.
     */
    static final Duration SHORTLY = Duration.ofSeconds(3);

    /** Claims held by groups alive in this replica. */
    private final Set<Long> held = ConcurrentHashMap.newKeySet();

    @Inject
    EntityManager em;

    @Inject
    JobQueue jobs;

    @Inject
    MissedReleases missedReleases;

    @Inject
    Clock clock;

    /**
     * Takes this claim and up to size-1 other waiting ones, in the order they came while the dealer lookups have
     * room for a whole group; else those of known dealers first (they need no lookups), and claims of new dealers
     * only while the lookups have some room. Empty when this one is done already.
     */
    List<Reclamation> claim(long id, int size, int newDealersFit) {
        missedReleases.retry(); // a group the database missed letting go holds claims this one may take
        String token = UUID.randomUUID().toString();
        Instant until = clock.instant().plus(HOLD);
        List<Reclamation> group;
        try {
            group = take(id, size, newDealersFit, token, until);
        } catch (JobDeferred wait) {
            throw wait;
        } catch (RuntimeException e) {
            // the database may have taken the claims and lost its answer: let go of whatever this token holds
            letGo(token, until);
            throw e;
        }
        group.forEach(r -> held.add(r.id));
        return group;
    }

    private List<Reclamation> take(long id, int size, int newDealersFit, String token, Instant until) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Timestamp now = Timestamp.from(clock.instant());
            @SuppressWarnings("unchecked")
            List<Number> own = em.createNativeQuery("SELECT id FROM reclamation WHERE id = ?1 AND status = 'ACCEPTED' "
                            + "AND (claimed_until IS NULL OR claimed_until < ?2) FOR UPDATE SKIP LOCKED")
                    .setParameter(1, id).setParameter(2, now).getResultList();
            if (own.isEmpty()) {
                Reclamation r = em.find(Reclamation.class, id);
                if (r == null || r.status == Reclamation.Status.IN_CRM) {
                    return List.<Reclamation>of();
                }
                // the group that holds it moves this job up when it lets the claim go
                Instant heldUntil = r.claimedUntil == null ? clock.instant() : r.claimedUntil;
                throw new JobDeferred(min(heldUntil, clock.instant().plus(SHORTLY)), "in a group of another worker");
            }
            List<Number> others;
            if (newDealersFit >= size) {
                others = pending("", now, id, size - 1);
            } else {
                others = new ArrayList<>(pending("AND inn IN (SELECT inn FROM dealer_party)", now, id, size - 1));
                if (newDealersFit > 0 && others.size() < size - 1) {
                    others.addAll(pending("AND inn NOT IN (SELECT inn FROM dealer_party)", now, id, size - 1 - others.size()));
                }
            }
            List<Reclamation> taken = new ArrayList<>();
            for (Number n : own.size() == 1 ? concat(own, others) : others) {
                Reclamation r = em.find(Reclamation.class, n.longValue());
                r.claimedUntil = until;
                r.claimGroup = token;
                r.claims++;
                taken.add(r);
            }
            em.flush();
            taken.forEach(em::detach);
            return taken;
        });
    }

    @SuppressWarnings("unchecked")
    private List<Number> pending(String dealerFilter, Timestamp now, long except, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return em.createNativeQuery("SELECT id FROM reclamation WHERE status = 'ACCEPTED' "
                        + "AND (claimed_until IS NULL OR claimed_until < ?1) AND id <> ?2 " + dealerFilter
                        + " ORDER BY status, claimed_until, id LIMIT ?3 FOR UPDATE SKIP LOCKED")
                .setParameter(1, now).setParameter(2, except).setParameter(3, limit).getResultList();
    }

    /**
     * Lets the group's claims go. The jobs of the other claims that have to wait were deferred while this group held
     * them: they are moved up to when their wait is over, so no claim waits longer than its budget or dealer does.
     */
    void letGo(List<Reclamation> group, Map<Long, Instant> waiting, long own) {
        group.forEach(r -> held.remove(r.id));
        letGo(group.get(0).claimGroup, group.get(0).claimedUntil);
        Map<Instant, List<String>> byTime = new HashMap<>();
        waiting.forEach((id, at) -> {
            if (id != own) {
                byTime.computeIfAbsent(at, k -> new ArrayList<>()).add(ReclamationService.jobKey(id));
            }
        });
        byTime.forEach((at, keys) -> jobs.runBy(ReclamationService.JOB, keys, at));
    }

    /** Frees the claims the group {@code token} holds; made later if the database misses it (the hold runs out then). */
    private void letGo(String token, Instant until) {
        missedReleases.release("claims of group " + token, until, () -> QuarkusTransaction.requiringNew().run(() ->
                em.createNativeQuery("UPDATE reclamation SET claimed_until = NULL, claim_group = NULL WHERE claim_group = ?1")
                        .setParameter(1, token).executeUpdate()));
    }

    /** Renews the hold of the groups alive in this replica (a group may wait long for the portal's limits). */
    void renewHolds(@Observes JobWorker.Heartbeat beat) {
        if (held.isEmpty()) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "UPDATE reclamation SET claimed_until = ?1 WHERE id IN (?2) AND claimed_until IS NOT NULL")
                .setParameter(1, Timestamp.from(clock.instant().plus(HOLD)))
                .setParameter(2, new ArrayList<>(held)).executeUpdate());
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static List<Number> concat(List<Number> a, List<Number> b) {
        List<Number> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
