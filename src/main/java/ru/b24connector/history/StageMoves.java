package ru.b24connector.history;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import ru.b24connector.jobs.JobQueue;
import ru.b24connector.process.DealStays;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stage history of deals as the service sees it happen: written where the process engine notices a stage change
 * (from an event, the scan or its own move) and where the service itself moves a deal, so every move carries who or
 * what made it. What happened before the service saw a deal, or while it was down, comes from the portal's own stage
 * history ({@link StageHistoryJob}).
 */
@ApplicationScoped
public class StageMoves {

    /** An intent older than this is not taken for the mover of a change seen now. */
    static final Duration INTENT_WINDOW = Duration.ofHours(1);

    /** A move seen this long after it happened was seen late (an outage, missed events): the history is read. */
    static final Duration LATE = Duration.ofMinutes(10);

    @Inject
    EntityManager em;

    @Inject
    JobQueue queue;

    @Inject
    DealStays stays;

    @Inject
    Clock clock;

    /**
     * The service is about to move {@code dealId} to {@code toStage} (before its {@code crm.deal.update}): the change
     * it then sees is recorded as made by {@code mover} for {@code reason}. Its own transaction. Nothing is expected
     * when the deal is already in that stage (1C sends its status with every change of the document).
     */
    public void expect(long dealId, String toStage, Mover mover, String reason) {
        if (stays.of(dealId).filter(s -> s.stageId().equals(toStage)).isPresent()) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("DELETE FROM stage_move_intent WHERE deal_id = ?1 AND to_stage = ?2")
                    .setParameter(1, dealId).setParameter(2, toStage).executeUpdate();
            em.createNativeQuery("""
                            INSERT INTO stage_move_intent (deal_id, to_stage, mover, reason, created_at)
                            VALUES (?1, ?2, ?3, ?4, ?5)""")
                    .setParameter(1, dealId).setParameter(2, toStage).setParameter(3, mover.name())
                    .setParameter(4, cut(reason)).setParameter(5, Timestamp.from(clock.instant())).executeUpdate();
        });
    }

    /**
     * The service saw the deal for the first time, in {@code stage} (inside the caller's transaction); a deal that
     * lived before (created earlier than {@link #LATE} ago) has its portal history read in a job. Returns when the
     * deal entered the stage.
     */
    public Instant seenFirst(JsonNode deal, long dealId, int category, String stage) {
        Instant at = movedAt(deal);
        String originator = deal.path("ORIGINATOR_ID").asText("");
        Mover mover;
        String reason = null;
        Long user = null;
        if ("1c".equals(originator)) {
            mover = Mover.ONEC;
            reason = "created";
        } else if (originator.startsWith("dealer:")) {
            mover = Mover.INTAKE;
            reason = "created";
        } else {
            user = userOf(deal, "MOVED_BY_ID").or(() -> userOf(deal, "CREATED_BY_ID")).orElse(null);
            mover = user == null ? Mover.ROBOT : Mover.USER;
        }
        insert(dealId, category, null, stage, at, mover, user, reason, StageMove.SEEN, null);
        Instant created = time(deal.path("DATE_CREATE").asText(""));
        Instant since = created == Instant.EPOCH || created.isAfter(at) ? at : created;
        if (Duration.between(since, clock.instant()).compareTo(LATE) > 0) {
            // the deal lived before the service saw it: what happened meanwhile is in the portal's history
            queue.enqueue(StageHistoryJob.TYPE, "stage-history:" + dealId + ":first", new StageHistoryJob.Work(dealId));
        }
        return at;
    }

    /**
     * The service saw the deal move {@code from} → {@code to} (inside the caller's transaction): the mover is the
     * service when it meant to make this move, else the person who moved it, else the portal's automation. A move
     * seen late makes the portal's history be read, for moves in between. Returns when the deal entered the stage.
     */
    public Instant seenChange(JsonNode deal, long dealId, int category, String from, String to, int transition) {
        Instant now = clock.instant();
        Instant at = movedAt(deal);
        Mover mover;
        Long user = null;
        String reason = null;
        Optional<Object[]> intent = intent(dealId, to, now);
        if (intent.isPresent()) {
            mover = Mover.valueOf((String) intent.get()[1]);
            reason = (String) intent.get()[2];
            em.createNativeQuery("DELETE FROM stage_move_intent WHERE id = ?1")
                    .setParameter(1, ((Number) intent.get()[0]).longValue()).executeUpdate();
        } else {
            user = userOf(deal, "MOVED_BY_ID").orElse(null);
            mover = user == null ? Mover.ROBOT : Mover.USER;
        }
        record(dealId, category, from, to, at, mover, user, reason);
        if (Duration.between(at, now).compareTo(LATE) > 0) {
            Log.infof("Deal %d: move to %s seen %s late; reading the portal's stage history", dealId, to,
                    Duration.between(at, now));
            queue.enqueue(StageHistoryJob.TYPE, "stage-history:" + dealId + ":" + transition,
                    new StageHistoryJob.Work(dealId));
        }
        return at;
    }

    /** Records a move the service made itself and already knows of (inside the caller's transaction), at now. */
    public void recordOwn(long dealId, int category, String from, String to, Mover mover, String reason) {
        record(dealId, category, from, to, clock.instant(), mover, null, reason);
    }

    private void record(long dealId, int category, String from, String to, Instant at, Mover mover, Long user,
                        String reason) {
        em.createNativeQuery("UPDATE stage_move SET left_at = ?2 WHERE deal_id = ?1 AND left_at IS NULL")
                .setParameter(1, dealId).setParameter(2, Timestamp.from(at)).executeUpdate();
        insert(dealId, category, from, to, at, mover, user, reason, StageMove.SEEN, null);
    }

    /** The deal's stage moves, oldest first. */
    public List<StageMove> ofDeal(long dealId) {
        return QuarkusTransaction.requiringNew().call(() -> rows(dealId));
    }

    /**
     * Merges the portal's stage history of a deal ({@code crm.stagehistory.list} items, any order) into the moves:
     * an item matching a move the service saw (same stage, close in time) is linked to it; the others are added as
     * {@code HISTORY} moves; then each move's previous stage and end are set from the order. Its own transaction.
     */
    public int merge(long dealId, List<JsonNode> items) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<JsonNode> sorted = new ArrayList<>(items);
            sorted.sort(java.util.Comparator.comparing((JsonNode i) -> time(i.path("CREATED_TIME").asText("")))
                    .thenComparingLong(i -> i.path("ID").asLong()));
            List<StageMove> known = rows(dealId);
            int added = 0;
            for (JsonNode item : sorted) {
                long historyId = item.path("ID").asLong();
                Instant at = time(item.path("CREATED_TIME").asText(""));
                String stage = item.path("STAGE_ID").asText("");
                if (historyId <= 0 || at == Instant.EPOCH || stage.isEmpty()
                        || known.stream().anyMatch(m -> Long.valueOf(historyId).equals(m.historyId()))) {
                    continue;
                }
                Optional<StageMove> same = known.stream().filter(m -> m.toStage().equals(stage)
                        && m.historyId() == null
                        && Duration.between(m.movedAt(), at).abs().compareTo(LATE) <= 0).findFirst();
                if (same.isPresent()) {
                    em.createNativeQuery("UPDATE stage_move SET history_id = ?2 WHERE id = ?1")
                            .setParameter(1, same.get().id()).setParameter(2, historyId).executeUpdate();
                    known = rows(dealId);
                    continue;
                }
                int type = item.path("TYPE_ID").asInt(2);
                insert(dealId, item.path("CATEGORY_ID").asInt(0), null, stage, at, Mover.PORTAL, null,
                        type == 1 ? "created" : type == 5 ? "pipeline changed" : null, StageMove.HISTORY, historyId);
                added++;
                known = rows(dealId);
            }
            rechain(dealId);
            return added;
        });
    }

    /** Sets each move's previous stage (where unknown) and its end from the order of the deal's moves. */
    private void rechain(long dealId) {
        List<StageMove> moves = rows(dealId);
        for (int i = 0; i < moves.size(); i++) {
            StageMove m = moves.get(i);
            Instant left = i + 1 < moves.size() ? moves.get(i + 1).movedAt() : null;
            String from = m.fromStage() != null || i == 0 ? m.fromStage() : moves.get(i - 1).toStage();
            if (!java.util.Objects.equals(left, m.leftAt()) || !java.util.Objects.equals(from, m.fromStage())) {
                em.createNativeQuery("UPDATE stage_move SET left_at = ?2, from_stage = ?3 WHERE id = ?1")
                        .setParameter(1, m.id()).setParameter(2, left == null ? null : Timestamp.from(left))
                        .setParameter(3, from).executeUpdate();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private List<StageMove> rows(long dealId) {
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT id, deal_id, category_id, from_stage, to_stage, moved_at, left_at, mover, user_id, reason,
                               source, history_id
                        FROM stage_move WHERE deal_id = ?1 ORDER BY moved_at, id""")
                .setParameter(1, dealId).getResultList();
        List<StageMove> out = new ArrayList<>();
        for (Object[] r : rows) {
            out.add(new StageMove(((Number) r[0]).longValue(), ((Number) r[1]).longValue(), ((Number) r[2]).intValue(),
                    (String) r[3], (String) r[4], instant(r[5]), instant(r[6]), Mover.valueOf((String) r[7]),
                    r[8] == null ? null : ((Number) r[8]).longValue(), (String) r[9], (String) r[10],
                    r[11] == null ? null : ((Number) r[11]).longValue()));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private Optional<Object[]> intent(long dealId, String to, Instant now) {
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT id, mover, reason FROM stage_move_intent
                        WHERE deal_id = ?1 AND to_stage = ?2 AND created_at >= ?3 ORDER BY id DESC LIMIT 1""")
                .setParameter(1, dealId).setParameter(2, to).setParameter(3, Timestamp.from(now.minus(INTENT_WINDOW)))
                .getResultList();
        return rows.stream().findFirst();
    }

    private void insert(long dealId, int category, String from, String to, Instant at, Mover mover, Long user,
                        String reason, String source, Long historyId) {
        em.createNativeQuery("""
                        INSERT INTO stage_move (deal_id, category_id, from_stage, to_stage, moved_at, mover, user_id,
                                                reason, source, history_id)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)""")
                .setParameter(1, dealId).setParameter(2, category).setParameter(3, from).setParameter(4, to)
                .setParameter(5, Timestamp.from(at)).setParameter(6, mover.name()).setParameter(7, user)
                .setParameter(8, cut(reason)).setParameter(9, source).setParameter(10, historyId).executeUpdate();
    }

    /** When the deal entered its stage: the portal's {@code MOVED_TIME}, unless missing or ahead of our clock. */
    private Instant movedAt(JsonNode deal) {
        Instant now = clock.instant();
        Instant moved = time(deal.path("MOVED_TIME").asText(""));
        return moved == Instant.EPOCH || moved.isAfter(now) ? now : moved;
    }

    private static Optional<Long> userOf(JsonNode deal, String field) {
        long id = deal.path(field).asLong(0);
        return id > 0 ? Optional.of(id) : Optional.empty();
    }

    private static Instant time(String portalTime) {
        try {
            return portalTime.isEmpty() ? Instant.EPOCH : OffsetDateTime.parse(portalTime).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static Instant instant(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Timestamp t) {
            return t.toInstant();
        }
        if (v instanceof java.time.LocalDateTime l) {
            return Timestamp.valueOf(l).toInstant();
        }
        return (Instant) v;
    }

    private static String cut(String s) {
        return s == null || s.length() <= 500 ? s : s.substring(0, 500);
    }
}
