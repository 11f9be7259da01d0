package ru.b24connector.ui;

import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * Claims with stage histories, dealers, items and decisions in the service's own tables, as the process engine, the
 * intake and the mailer leave them, with figures small enough to check by hand (see {@link BoardAnalyticsTests}).
 * Stages of pipeline 3: NEW → PREPARATION (review) → DECISION → WON/LOSE.
 */
final class AnalyticsFixtures {

    static final long IRINA = 21;
    static final long PAVEL = 22;
    static final long DENIS = 23;
    static final String TECHNOSNAB = "ООО «Техноснаб»";
    static final String SEVER = "АО \"Север, Запад\"";

    private AnalyticsFixtures() {
    }

    /** The three managers as portal users, for {@code user.get} by id (the board reads names it does not know). */
    static void seedManagers() {
        ru.b24connector.testsupport.FakeCrm.user(IRINA, "Ирина", "Соколова", true);
        ru.b24connector.testsupport.FakeCrm.user(PAVEL, "Павел", "Орлов", true);
        ru.b24connector.testsupport.FakeCrm.user(DENIS, "Денис", "Волков", true);
        io.quarkus.arc.Arc.container().instance(PortalUsers.class).get().forget();
    }

    /** Drops what other tests left in the analytics' tables. */
    static void reset() {
        run(em -> {
            for (String table : new String[]{"stage_move", "stage_move_intent", "claim_fact", "claim_item_fact"}) {
                em.createNativeQuery("DELETE FROM " + table).executeUpdate();
            }
            em.createNativeQuery("DELETE FROM tracked_task WHERE responsible_id IN (21, 22, 23)").executeUpdate();
        });
    }

    /**
     * Six claims (deal ids {@code base+1..base+6}):
     * A Техноснаб/Ирина 10 d ago: NEW 2 h, review 3 d, decision 1 d, WON, approved, 3 × GBX-24;
     * B Техноснаб/Ирина 20 d ago: NEW 4 h, review 5 d, decision 1 d, LOSE, rejected, GBX-24 + MTR-7;
     * C Север/Павел 15 d ago: NEW 6 h, review 1 d, decision 2 d, WON, approved, 2 × MTR-7 («Мотор MTR-7, 2 кВт»);
     * D Север/Павел 20 d ago: NEW 2 h, in review since (stuck), no decision;
     * E by hand/Денис 1 h ago: in NEW;
     * F Техноснаб/Денис 200 d ago: NEW 1 h, review 30 d, WON, approved.
     * Павел has one overdue task.
     */
    static void seed(long base, Instant now) {
        run(em -> {
            Instant a = now.minus(Duration.ofDays(10));
            closed(em, base + 1, a, IRINA, "7707083893", TECHNOSNAB, "APPROVED", "C3:WON", "S",
                    Duration.ofHours(2), Duration.ofDays(3), Duration.ofDays(1));
            item(em, base + 1, 0, "GBX-24", "Редуктор GBX-24", 3, a);
            Instant b = now.minus(Duration.ofDays(20));
            closed(em, base + 2, b, IRINA, "7707083893", TECHNOSNAB, "REJECTED", "C3:LOSE", "F",
                    Duration.ofHours(4), Duration.ofDays(5), Duration.ofDays(1));
            item(em, base + 2, 0, "GBX-24", "Редуктор GBX-24", 1, b);
            item(em, base + 2, 1, "MTR-7", "Мотор MTR-7", 1, b);
            Instant c = now.minus(Duration.ofDays(15));
            closed(em, base + 3, c, PAVEL, "7728168971", SEVER, "APPROVED", "C3:WON", "S",
                    Duration.ofHours(6), Duration.ofDays(1), Duration.ofDays(2));
            item(em, base + 3, 0, "MTR-7", "Мотор MTR-7, 2 кВт", 2, c);
            Instant d = now.minus(Duration.ofDays(20));
            move(em, base + 4, null, "C3:NEW", d, d.plus(Duration.ofHours(2)), "INTAKE", null, "created");
            move(em, base + 4, "C3:NEW", "C3:PREPARATION", d.plus(Duration.ofHours(2)), null, "USER", PAVEL, null);
            fact(em, base + 4, "C3:PREPARATION", "P", d.plus(Duration.ofHours(2)), PAVEL, "DEALER", "7728168971", SEVER,
                    d, null, null);
            Instant e = now.minus(Duration.ofHours(1));
            move(em, base + 5, null, "C3:NEW", e, null, "USER", DENIS, null);
            fact(em, base + 5, "C3:NEW", "P", e, DENIS, "MANUAL", null, null, e, null, null);
            Instant f = now.minus(Duration.ofDays(200));
            closed(em, base + 6, f, DENIS, "7707083893", TECHNOSNAB, "APPROVED", "C3:WON", "S",
                    Duration.ofHours(1), Duration.ofDays(30), null);
            sql(em, "INSERT INTO tracked_task (dedup_key, tag, task_id, deal_id, responsible_id, title, deadline, status, "
                    + "source, escalation_level, created_at, updated_at) VALUES (?1, 'an', NULL, ?2, 22, 'Позвонить дилеру', "
                    + "?3, 'OPEN', 'process:call', 0, ?3, ?3)", "analytics:" + base, base + 4,
                    ts(now.minus(Duration.ofHours(5))));
        });
    }

    /** A claim through NEW, review and (when {@code decision} is given) decision to a final stage. */
    private static void closed(EntityManager em, long deal, Instant received, long manager, String inn, String dealer,
                               String decisionValue, String finalStage, String semantic, Duration inNew,
                               Duration inReview, Duration inDecision) {
        Instant review = received.plus(inNew);
        Instant decision = review.plus(inReview);
        Instant end = inDecision == null ? decision : decision.plus(inDecision);
        move(em, deal, null, "C3:NEW", received, review, "INTAKE", null, "created");
        move(em, deal, "C3:NEW", "C3:PREPARATION", review, decision, "USER", manager, null);
        if (inDecision != null) {
            move(em, deal, "C3:PREPARATION", "C3:DECISION", decision, end, "SERVICE", null,
                    "rule:when all tasks of the stage are completed");
            move(em, deal, "C3:DECISION", finalStage, end, null, "ONEC", null, "onec:Утверждена");
        } else {
            move(em, deal, "C3:PREPARATION", finalStage, decision, null, "SERVICE", null, "timeout:PT720H");
        }
        fact(em, deal, finalStage, semantic, end, manager, "DEALER", inn, dealer, received, end, decisionValue);
    }

    static void move(EntityManager em, long deal, String from, String to, Instant at, Instant left, String mover,
                     Long user, String reason) {
        sql(em, "INSERT INTO stage_move (deal_id, category_id, from_stage, to_stage, moved_at, left_at, mover, user_id, "
                + "reason, source) VALUES (?1, 3, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'SEEN')", deal, from, to, ts(at),
                left == null ? null : ts(left), mover, user, reason);
    }

    private static void fact(EntityManager em, long deal, String stage, String semantic, Instant entered, long manager,
                             String channel, String inn, String dealer, Instant received, Instant decided,
                             String decision) {
        sql(em, "INSERT INTO claim_fact (deal_id, category_id, stage_id, semantic, stage_entered_at, manager_id, channel, "
                + "dealer_inn, dealer_name, received_at, decided_at, decision, sources_done, updated_at) VALUES "
                + "(?1, 3, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, TRUE, ?9)", deal, stage, semantic, ts(entered),
                manager, channel, inn, dealer, ts(received), decided == null ? null : ts(decided), decision);
    }

    private static void item(EntityManager em, long deal, int line, String sku, String name, int quantity,
                             Instant received) {
        sql(em, "INSERT INTO claim_item_fact (deal_id, line, sku, product_name, quantity, received_at) "
                + "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", deal, line, sku, name, quantity, ts(received));
    }

    static void sql(EntityManager em, String sql, Object... params) {
        var q = em.createNativeQuery(sql);
        for (int i = 0; i < params.length; i++) {
            q.setParameter(i + 1, params[i]);
        }
        q.executeUpdate();
    }

    static void run(java.util.function.Consumer<EntityManager> work) {
        QuarkusTransaction.requiringNew().run(() -> work.accept(Arc.container().instance(EntityManager.class).get()));
    }

    private static Timestamp ts(Instant i) {
        return Timestamp.from(i);
    }
}
