package ru.b24connector.ui;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ru.b24connector.analytics.BoardAnalytics;
import ru.b24connector.portal.BatchResult;
import ru.b24connector.portal.PortalCredentials;
import ru.b24connector.process.DealStays;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the analytics report into what the board shows and the CSV exports: names of managers and stages come from
 * the board's one portal read, everything else from the service's tables ({@link BoardAnalytics}).
 */
@ApplicationScoped
public class BoardAnalyticsPage {

    /** The tables the board exports as CSV. */
    public static final List<String> TABLES = List.of("stuck", "stages", "managers", "dealers", "products");

    @Inject
    BoardAnalytics analytics;

    @Inject
    DealStays stays;

    @Inject
    PortalCredentials credentials;

    @Inject
    Formats f;

    @Inject
    PortalUsers people;

    public BoardAnalyticsView build(BatchResult read, int days, Texts t) {
        BoardAnalytics.Report report = analytics.report(days);
        // managers' names by id, known or read in one call (the board's batch no longer pages through all users)
        java.util.Set<Long> managerIds = new java.util.HashSet<>();
        report.managers().forEach(m -> managerIds.add(m.managerId()));
        report.stuck().forEach(c -> managerIds.add(c.managerId()));
        Map<Long, String> names = people.names(managerIds);
        java.util.Set<Integer> categories = new java.util.TreeSet<>(stays.pipelines());
        report.stages().forEach(s -> categories.add(s.categoryId()));
        report.stuck().forEach(s -> categories.add(s.categoryId()));
        Map<String, String> stageNames = PortalStageNames.of(read, categories);
        String portalBase = credentials.installation().map(i -> i.domain() == null ? "" : "https://" + i.domain())
                .orElse("");

        List<BoardAnalyticsView.Stage> stages = new ArrayList<>();
        List<AnalyticsCharts.StageBar> stageBars = new ArrayList<>();
        for (BoardAnalytics.StageTime s : report.stages()) {
            String name = stageName(stageNames, s.categoryId(), s.stageId());
            String median = duration(s.median(), t);
            String p90 = duration(s.p90(), t);
            stages.add(new BoardAnalyticsView.Stage(name, s.stays(), median, p90, s.slowest()));
            stageBars.add(new AnalyticsCharts.StageBar(name, s.median().toSeconds(), s.p90().toSeconds(), median, p90,
                    s.slowest()));
        }
        List<BoardAnalyticsView.Manager> managers = report.managers().stream().map(m -> new BoardAnalyticsView.Manager(
                CardPage.name(names, m.managerId()), m.open(), m.overdue(), m.decided(),
                duration(m.medianToDecision(), t))).toList();
        List<BoardAnalyticsView.Dealer> dealers = report.dealers().stream().map(d -> new BoardAnalyticsView.Dealer(
                d.inn().isEmpty() ? t.get("an.nodealer") : d.name(), d.inn(), d.claims(), d.decided(), d.approved(),
                d.approvalRate() == null ? "" : percent(d.approvalRate()), duration(d.medianToDecision(), t))).toList();
        List<BoardAnalyticsView.Product> products = new ArrayList<>();
        List<AnalyticsCharts.ParetoBar> paretoBars = new ArrayList<>();
        int rank = 1;
        for (BoardAnalytics.ProductRow p : report.products()) {
            boolean other = p.sku().isEmpty() && p.name().isEmpty();
            String label = other ? t.get("an.other") : p.sku().isEmpty() ? p.name() : p.sku();
            products.add(new BoardAnalyticsView.Product(other ? 0 : rank++, other ? "" : p.sku(),
                    other ? t.get("an.other") : p.name(), plain(p.items()), p.claims(), percent(p.share()),
                    percent(p.cumulative())));
            paretoBars.add(new AnalyticsCharts.ParetoBar(label, p.items().doubleValue(), plain(p.items()),
                    p.cumulative()));
        }
        List<BoardAnalyticsView.Stuck> stuck = report.stuck().stream().map(c -> new BoardAnalyticsView.Stuck(
                c.dealId(), portalBase + "/crm/deal/details/" + c.dealId() + "/",
                stageName(stageNames, c.categoryId(), c.stageId()),
                c.managerId() == null ? "" : CardPage.name(names, c.managerId()), c.dealer(), duration(c.inStage(), t),
                duration(c.usual(), t), t.get(c.byProcess() ? "an.usual.process" : "an.usual.p90"))).toList();
        String stageChart = stages.isEmpty() ? "" : AnalyticsCharts.stages(stageBars, t.get("an.stages"),
                t.get("an.median"), t.get("an.p90"), t.get("an.slowest"));
        String productChart = products.isEmpty() ? "" : AnalyticsCharts.pareto(paretoBars, t.get("an.products"),
                t.get("an.items"), t.get("an.cumulative"));
        return new BoardAnalyticsView(days, BoardAnalytics.PERIODS.stream().sorted().toList(), f.time(report.since()),
                stuck, stages, stageChart, managers, dealers, products, productChart, plain(report.totalItems()));
    }

    /** A table of the view as rows of cells, the header first (what the CSV holds, in the page's language). */
    public List<List<Object>> table(BoardAnalyticsView v, String table, Texts t) {
        List<List<Object>> rows = new ArrayList<>();
        switch (table) {
            case "stuck" -> {
                rows.add(List.of(t.get("an.deal"), t.get("board.stage"), t.get("board.manager"), t.get("board.dealer"),
                        t.get("board.instage"), t.get("an.usual"), t.get("an.usualby")));
                v.stuck().forEach(s -> rows.add(List.of(s.dealId(), s.stage(), s.manager(), s.dealer(), s.inStage(),
                        s.usual(), s.usualBy())));
            }
            case "stages" -> {
                rows.add(List.of(t.get("board.stage"), t.get("an.stays"), t.get("an.median"), t.get("an.p90"),
                        t.get("an.slowest")));
                v.stages().forEach(s -> rows.add(List.of(s.name(), s.stays(), s.median(), s.p90(),
                        s.slowest() ? t.get("an.yes") : "")));
            }
            case "managers" -> {
                rows.add(List.of(t.get("board.manager"), t.get("an.open"), t.get("an.overdue"), t.get("an.decided"),
                        t.get("an.mediandecision")));
                v.managers().forEach(m -> rows.add(List.of(m.name(), m.open(), m.overdue(), m.decided(),
                        m.medianToDecision())));
            }
            case "dealers" -> {
                rows.add(List.of(t.get("board.dealer"), t.get("an.inn"), t.get("an.claims"), t.get("an.decisions"),
                        t.get("an.approved"), t.get("an.rate"), t.get("an.mediandecision")));
                v.dealers().forEach(d -> rows.add(List.of(d.name(), d.inn(), d.claims(), d.decided(), d.approved(),
                        d.approvalRate(), d.medianToDecision())));
            }
            case "products" -> {
                rows.add(List.of("№", t.get("an.sku"), t.get("an.product"), t.get("an.items"), t.get("an.claims"),
                        t.get("an.share"), t.get("an.cumulative")));
                v.products().forEach(p -> rows.add(List.of(p.rank() == 0 ? "" : p.rank(), p.sku(), p.name(), p.items(),
                        p.claims(), p.share(), p.cumulative())));
            }
            default -> throw UiRefusal.badRequest("table must be one of " + TABLES);
        }
        return rows;
    }

    private String stageName(Map<String, String> names, int category, String stageId) {
        String name = names.get(stageId);
        return name != null ? name : stays.stageTitle(category, stageId).orElse(stageId);
    }

    private static String duration(Duration d, Texts t) {
        return d == null ? "" : Formats.duration(d, t);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    private static String plain(BigDecimal n) {
        return n == null ? "0" : n.stripTrailingZeros().toPlainString();
    }
}
