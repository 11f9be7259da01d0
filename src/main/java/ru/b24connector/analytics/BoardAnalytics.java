package ru.b24connector.analytics;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import ru.b24connector.process.DealStays;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The supervisor's questions answered from the service's own tables, each by one SQL aggregate over a period: where
 * claims wait longest, who is loaded, which dealers send what and how much is approved, which products fail, and
 * which open claims have stayed in their stage longer than usual. Never calls the portal.
 */
@ApplicationScoped
public class BoardAnalytics {

    /** The periods the board offers, in days; the first is the default. */
    public static final List<Integer> PERIODS = List.of(30, 7, 90, 365);
    /** Products shown by name in the Pareto chart; the rest are summed as "other". */
    static final int TOP_PRODUCTS = 10;
    private static final int STUCK_LIMIT = 100;

    @Inject
    EntityManager em;

    @Inject
    DealStays stays;

    @Inject
    Clock clock;

    /** Time in one stage over the period: stays that ended in it. */
    public record StageTime(int categoryId, String stageId, long stays, Duration median, Duration p90,
                            boolean slowest) {
    }

    /** One manager: open claims now, overdue tasks now, claims decided in the period, median time to decision. */
    public record ManagerRow(long managerId, long open, long overdue, long decided, Duration medianToDecision) {
    }

    /** One dealer's claims received in the period (an empty INN: claims entered by hand). */
    public record DealerRow(String inn, String name, long claims, long decided, long approved,
                            Duration medianToDecision) {
        /** Approved of decided, 0..1; null when nothing was decided. */
        public Double approvalRate() {
            return decided == 0 ? null : approved / (double) decided;
        }
    }

    /** One product's claimed items in the period, its share of all and the running share (Pareto). */
    public record ProductRow(String sku, String name, BigDecimal items, long claims, double share,
                             double cumulative) {
    }

    /** An open claim in its stage longer than the stage's usual time ({@code after} move, else the stage's p90). */
    public record StuckClaim(long dealId, int categoryId, String stageId, Long managerId, String dealer,
                             Instant enteredAt, Duration inStage, Duration usual, boolean byProcess) {
    }

    /** Everything the board shows for a period. */
    public record Report(int days, Instant since, List<StageTime> stages, List<ManagerRow> managers,
                         List<DealerRow> dealers, List<ProductRow> products, BigDecimal totalItems,
                         List<StuckClaim> stuck) {
    }

    /** Pipelines (deal categories) the claims of the analytics are in. */
    @SuppressWarnings("unchecked")
    public Set<Integer> categories() {
        return QuarkusTransaction.requiringNew().call(() -> new java.util.TreeSet<>(
                ((List<Object>) em.createNativeQuery("SELECT DISTINCT category_id FROM claim_fact").getResultList())
                        .stream().map(v -> ((Number) v).intValue()).toList()));
    }

    /** The report over the last {@code days} days. */
    public Report report(int days) {
        if (!PERIODS.contains(days)) {
            throw new IllegalArgumentException("days must be one of " + PERIODS);
        }
        Instant now = clock.instant();
        Instant since = now.minus(Duration.ofDays(days));
        return QuarkusTransaction.requiringNew().call(() -> {
            List<StageTime> stageTimes = stageTimes(since);
            BigDecimal[] total = new BigDecimal[1];
            List<ProductRow> products = products(since, total);
            return new Report(days, since, stageTimes, managers(since, now), dealers(since), products, total[0],
                    stuck(stageTimes, now));
        });
    }

    @SuppressWarnings("unchecked")
    private List<StageTime> stageTimes(Instant since) {
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT DISTINCT category_id, to_stage,
                          COUNT(*) OVER (PARTITION BY category_id, to_stage),
                          PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY TIMESTAMPDIFF(SECOND, moved_at, left_at))
                            OVER (PARTITION BY category_id, to_stage),
                          PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY TIMESTAMPDIFF(SECOND, moved_at, left_at))
                            OVER (PARTITION BY category_id, to_stage)
                        FROM stage_move WHERE left_at >= ?1""")
                .setParameter(1, Timestamp.from(since)).getResultList();
        List<StageTime> out = new ArrayList<>();
        double slowest = rows.stream().mapToDouble(r -> ((Number) r[3]).doubleValue()).max().orElse(-1);
        for (Object[] r : rows) {
            double median = ((Number) r[3]).doubleValue();
            out.add(new StageTime(((Number) r[0]).intValue(), (String) r[1], ((Number) r[2]).longValue(),
                    seconds(median), seconds(((Number) r[4]).doubleValue()), median == slowest));
        }
        out.sort(Comparator.comparing(StageTime::median).reversed());
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<ManagerRow> managers(Instant since, Instant now) {
        Map<Long, long[]> counts = new LinkedHashMap<>(); // open, overdue, decided
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT manager_id, SUM(semantic = 'P'), SUM(decided_at >= ?1)
                        FROM claim_fact WHERE manager_id IS NOT NULL AND (semantic = 'P' OR decided_at >= ?1)
                        GROUP BY manager_id""")
                .setParameter(1, Timestamp.from(since)).getResultList();
        for (Object[] r : rows) {
            long[] c = counts.computeIfAbsent(((Number) r[0]).longValue(), k -> new long[3]);
            c[0] = num(r[1]);
            c[2] = num(r[2]);
        }
        List<Object[]> overdue = em.createNativeQuery("""
                        SELECT responsible_id, COUNT(*) FROM tracked_task
                        WHERE status = 'OPEN' AND deadline < ?1 GROUP BY responsible_id""")
                .setParameter(1, Timestamp.from(now)).getResultList();
        for (Object[] r : overdue) {
            counts.computeIfAbsent(((Number) r[0]).longValue(), k -> new long[3])[1] = num(r[1]);
        }
        Map<Long, Duration> medians = medianToDecision("manager_id", since);
        List<ManagerRow> out = new ArrayList<>();
        counts.forEach((m, c) -> out.add(new ManagerRow(m, c[0], c[1], c[2], medians.get(m))));
        out.sort(Comparator.comparingLong(ManagerRow::open).reversed().thenComparing(ManagerRow::managerId));
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<DealerRow> dealers(Instant since) {
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT COALESCE(dealer_inn, ''), MAX(dealer_name), COUNT(*), SUM(decision IS NOT NULL),
                               SUM(decision = 'APPROVED')
                        FROM claim_fact WHERE received_at >= ?1
                        GROUP BY COALESCE(dealer_inn, '') ORDER BY COUNT(*) DESC, MAX(dealer_name)""")
                .setParameter(1, Timestamp.from(since)).getResultList();
        Map<String, Duration> medians = new HashMap<>();
        for (Object[] r : (List<Object[]>) em.createNativeQuery("""
                        SELECT DISTINCT COALESCE(dealer_inn, ''),
                          PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY TIMESTAMPDIFF(SECOND, received_at, decided_at))
                            OVER (PARTITION BY COALESCE(dealer_inn, ''))
                        FROM claim_fact WHERE received_at >= ?1 AND decided_at >= received_at""")
                .setParameter(1, Timestamp.from(since)).getResultList()) {
            medians.put((String) r[0], seconds(((Number) r[1]).doubleValue()));
        }
        List<DealerRow> out = new ArrayList<>();
        for (Object[] r : rows) {
            String inn = (String) r[0];
            out.add(new DealerRow(inn, r[1] == null ? "" : (String) r[1], num(r[2]), num(r[3]), num(r[4]),
                    medians.get(inn)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<ProductRow> products(Instant since, BigDecimal[] total) {
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT CASE WHEN sku = '' THEN product_name ELSE sku END AS k, MAX(sku), MAX(product_name),
                               SUM(quantity), COUNT(DISTINCT deal_id)
                        FROM claim_item_fact WHERE received_at >= ?1
                        GROUP BY k ORDER BY SUM(quantity) DESC, k""")
                .setParameter(1, Timestamp.from(since)).getResultList();
        BigDecimal sum = BigDecimal.ZERO;
        for (Object[] r : rows) {
            sum = sum.add(decimal(r[3]));
        }
        total[0] = sum;
        List<ProductRow> out = new ArrayList<>();
        double running = 0;
        BigDecimal rest = BigDecimal.ZERO;
        long restClaims = 0;
        for (int i = 0; i < rows.size(); i++) {
            Object[] r = rows.get(i);
            BigDecimal items = decimal(r[3]);
            if (i < TOP_PRODUCTS) {
                double share = sum.signum() == 0 ? 0 : items.doubleValue() / sum.doubleValue();
                running += share;
                out.add(new ProductRow((String) r[1], (String) r[2], items, num(r[4]), share, Math.min(1, running)));
            } else {
                rest = rest.add(items);
                restClaims += num(r[4]);
            }
        }
        if (rest.signum() > 0) {
            double share = rest.doubleValue() / sum.doubleValue();
            out.add(new ProductRow("", "", rest, restClaims, share, 1));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<StuckClaim> stuck(List<StageTime> stageTimes, Instant now) {
        Map<String, StageTime> byStage = new HashMap<>();
        stageTimes.forEach(s -> byStage.put(s.categoryId() + "|" + s.stageId(), s));
        List<Object[]> openStages = em.createNativeQuery(
                "SELECT DISTINCT category_id, stage_id FROM claim_fact WHERE semantic = 'P'").getResultList();
        List<StuckClaim> out = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (Object[] s : openStages) {
            int category = ((Number) s[0]).intValue();
            String stage = (String) s[1];
            if (!seen.add(category + "|" + stage)) {
                continue;
            }
            Optional<Duration> limit = stays.stageLimit(category, stage);
            StageTime usual = byStage.get(category + "|" + stage);
            Duration threshold = limit.orElse(usual == null ? null : usual.p90());
            if (threshold == null || threshold.isZero()) {
                continue;
            }
            List<Object[]> rows = em.createNativeQuery("""
                            SELECT deal_id, manager_id, dealer_name, stage_entered_at FROM claim_fact
                            WHERE semantic = 'P' AND stage_id = ?1 AND category_id = ?2 AND stage_entered_at < ?3
                            ORDER BY stage_entered_at LIMIT %d""".formatted(STUCK_LIMIT))
                    .setParameter(1, stage).setParameter(2, category)
                    .setParameter(3, Timestamp.from(now.minus(threshold))).getResultList();
            for (Object[] r : rows) {
                Instant entered = instant(r[3]);
                out.add(new StuckClaim(((Number) r[0]).longValue(), category, stage,
                        r[1] == null ? null : ((Number) r[1]).longValue(), r[2] == null ? "" : (String) r[2], entered,
                        Duration.between(entered, now), threshold, limit.isPresent()));
            }
        }
        // the most overdue (relative to the stage's usual time) first
        out.sort(Comparator.comparingDouble((StuckClaim c) -> -c.inStage().toSeconds() / (double) c.usual().toSeconds()));
        return out.size() <= STUCK_LIMIT ? out : out.subList(0, STUCK_LIMIT);
    }

    @SuppressWarnings("unchecked")
    private Map<Long, Duration> medianToDecision(String column, Instant since) {
        Map<Long, Duration> out = new HashMap<>();
        String sql = """
                SELECT DISTINCT %1$s,
                  PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY TIMESTAMPDIFF(SECOND, received_at, decided_at))
                    OVER (PARTITION BY %1$s)
                FROM claim_fact WHERE decided_at >= ?1 AND decided_at >= received_at AND %1$s IS NOT NULL""".formatted(column);
        for (Object[] r : (List<Object[]>) em.createNativeQuery(sql)
                .setParameter(1, Timestamp.from(since)).getResultList()) {
            out.put(((Number) r[0]).longValue(), seconds(((Number) r[1]).doubleValue()));
        }
        return out;
    }

    private static Instant instant(Object v) {
        return v instanceof Timestamp t ? t.toInstant()
                : v instanceof java.time.LocalDateTime l ? Timestamp.valueOf(l).toInstant() : (Instant) v;
    }

    private static Duration seconds(double s) {
        return Duration.ofSeconds(Math.round(s));
    }

    private static long num(Object v) {
        return v == null ? 0 : ((Number) v).longValue();
    }

    private static BigDecimal decimal(Object v) {
        return v == null ? BigDecimal.ZERO : v instanceof BigDecimal b ? b : new BigDecimal(v.toString());
    }
}
