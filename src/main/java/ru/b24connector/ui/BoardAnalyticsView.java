package ru.b24connector.ui;

import io.quarkus.qute.TemplateData;

import java.util.List;

/** The board's analytics for a period, every figure already as the page shows it (the CSV exports the same rows). */
@TemplateData
public record BoardAnalyticsView(int days, List<Integer> periods, String since, List<Stuck> stuck, List<Stage> stages,
                                 String stageChart, List<Manager> managers, List<Dealer> dealers,
                                 List<Product> products, String productChart, String totalItems) {

    /** Time in one stage. */
    @TemplateData
    public record Stage(String name, long stays, String median, String p90, boolean slowest) {
    }

    /** One manager's load. */
    @TemplateData
    public record Manager(String name, long open, long overdue, long decided, String medianToDecision) {
    }

    /** One dealer. */
    @TemplateData
    public record Dealer(String name, String inn, long claims, long decided, long approved, String approvalRate,
                         String medianToDecision) {
    }

    /** One product in the Pareto order. */
    @TemplateData
    public record Product(int rank, String sku, String name, String items, long claims, String share,
                          String cumulative) {
    }

    /** An open claim past its stage's usual time. */
    @TemplateData
    public record Stuck(long dealId, String link, String stage, String manager, String dealer, String inStage,
                        String usual, String usualBy) {
    }
}
