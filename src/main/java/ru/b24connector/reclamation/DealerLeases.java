package ru.b24connector.reclamation;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import ru.b24connector.jobs.JobWorker;
import ru.b24connector.jobs.MissedReleases;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * INN leases ({@code dealer_lease}): while one caller creates a new dealer in the portal, no other caller (another
 * group, another replica) does the same. A lease is short and renewed at every job heartbeat while its caller is
 * alive, so a dead worker's leases free within a minute; a lease whose release the database missed (it was down or
 * frozen) is released as soon as it answers again, so the dealer's next claim does not wait for it to run out.
 */
@ApplicationScoped
class DealerLeases {

    static final Duration LEASE = Duration.ofSeconds(60);

    /** Lease owners (calls) alive in this replica. */
    private final Set<String> liveOwners = ConcurrentHashMap.newKeySet();

    @Inject
    MissedReleases missed;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    /** A call begins: its leases are renewed with the heartbeat until {@link #ended}. */
    void began(String owner) {
        missed.retry();
        liveOwners.add(owner);
    }

    void ended(String owner) {
        liveOwners.remove(owner);
    }

    /**
     * Takes the INN for this caller unless another holds an unexpired lease on it. Should the database's answer be
     * lost, the lease may be taken all the same: callers release every INN they tried, whatever the answer.
     */
    boolean take(String inn, String owner) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Timestamp now = Timestamp.from(clock.instant());
            Timestamp until = Timestamp.from(clock.instant().plus(LEASE));
            em.createNativeQuery("""
                            INSERT INTO dealer_lease (inn, owner, until) VALUES (?1, ?2, ?3)
                            ON DUPLICATE KEY UPDATE owner = IF(until < ?4, VALUES(owner), owner),
                                                    until = IF(until < ?4, VALUES(until), until)""")
                    .setParameter(1, inn).setParameter(2, owner).setParameter(3, until).setParameter(4, now)
                    .executeUpdate();
            Object holder = em.createNativeQuery("SELECT owner FROM dealer_lease WHERE inn = ?1").setParameter(1, inn)
                    .getSingleResult();
            return owner.equals(holder);
        });
    }

    /**
     * Releases the caller's leases (another's lease on one of the INNs stays). A release the database misses does
     * not fail the caller, whose work is done: it is made when the database answers (see {@link MissedReleases}).
     */
    void release(Collection<String> inns, String owner) {
        if (!inns.isEmpty()) {
            List<String> leased = List.copyOf(inns);
            // only this owner's rows are deleted: made late, the release never touches another caller's lease
            missed.release("dealer leases of " + owner, clock.instant().plus(LEASE), () -> delete(owner, leased));
        }
    }

    /** Renews the leases of the calls alive in this replica (they may wait long for the portal's limits). */
    void renew(@Observes JobWorker.Heartbeat beat) {
        if (liveOwners.isEmpty()) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "UPDATE dealer_lease SET until = ?1 WHERE owner IN (?2)")
                .setParameter(1, Timestamp.from(clock.instant().plus(LEASE)))
                .setParameter(2, new ArrayList<>(liveOwners)).executeUpdate());
    }

    private void delete(String owner, Collection<String> inns) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "DELETE FROM dealer_lease WHERE owner = ?1 AND inn IN (?2)")
                .setParameter(1, owner).setParameter(2, new ArrayList<>(inns)).executeUpdate());
    }
}
