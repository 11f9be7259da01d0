package ru.b24connector.testsupport;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionScoped;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Freezes the database (SIGSTOP) between a transaction's last statement and its COMMIT: the one moment whose failure
 * the transaction manager reports differently (why the COMMIT failed is only in the suppressed exceptions of its
 * {@code RollbackException}/{@code HeuristicMixedException}). Armed for one transaction: the one whose own uncommitted
 * writes a query finds, and no other, is caught. Quarkus fires {@code @BeforeDestroyed(TransactionScoped.class)} in {@code commit()} before the
 * transaction manager completes it, on the committing thread, with the transaction still active.
 */
@ApplicationScoped
public class FreezeAtCommit {

    private record Armed(String countQuery, Object parameter, Path dataDir) {
    }

    private static final AtomicReference<Armed> ARMED = new AtomicReference<>();
    private static volatile boolean fired;

    @Inject
    EntityManager em;

    /** The transaction that stores claim {@code dealerClaimId} will meet a database frozen at its COMMIT. */
    public static void armForClaim(String dealerClaimId, Path dataDir) {
        arm("SELECT COUNT(*) FROM reclamation WHERE dealer_claim_id = ?1", dealerClaimId, dataDir);
    }

    /**
     * The first transaction in which {@code countQuery} (a {@code SELECT COUNT(*)} with one parameter {@code ?1})
     * counts a row will meet a database frozen at its COMMIT: the query must see only that transaction's own writes.
     */
    public static void arm(String countQuery, Object parameter, Path dataDir) {
        fired = false;
        ARMED.set(new Armed(countQuery, parameter, dataDir));
    }

    /** Whether the armed freeze happened; disarms it either way. */
    public static boolean fired() {
        ARMED.set(null);
        return fired;
    }

    void beforeCommit(@Observes @BeforeDestroyed(TransactionScoped.class) Object transaction) {
        Armed armed = ARMED.get();
        if (armed == null) {
            return;
        }
        try {
            // the transaction's own connection sees its uncommitted row, and no other transaction does; the native
            // query also flushes whatever Hibernate still holds, so only the COMMIT is left to send
            Number own = (Number) em.createNativeQuery(armed.countQuery()).setParameter(1, armed.parameter())
                    .getSingleResult();
            if (own.longValue() > 0 && ARMED.compareAndSet(armed, null)) {
                MariaDbKiller.freeze(armed.dataDir());
                fired = true;
            }
        } catch (Exception notThisOne) {
            // a transaction without an entity manager to ask: not the armed one
        }
    }
}
