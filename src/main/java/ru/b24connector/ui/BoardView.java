package ru.b24connector.ui;

import io.quarkus.qute.TemplateData;

import java.util.List;

/** What the supervisor's board shows. */
@TemplateData
public record BoardView(List<Stage> stages, int openTotal, List<Manager> overdue, List<Waiting> accepted,
                        List<Waiting> dead, String chartSvg, String median, List<CardView.Option> managers,
                        List<Choice> stageOptions, Filters filters) {

    /** Open claims in one stage. */
    @TemplateData
    public record Stage(String id, String name, List<Claim> claims) {
    }

    /** One open claim. */
    @TemplateData
    public record Claim(long dealId, String title, String dealer, String manager, String timeInStage, String link,
                        String nonce) {
    }

    /** A manager's overdue tasks. */
    @TemplateData
    public record Manager(String name, List<Overdue> tasks) {
    }

    /** One overdue task. */
    @TemplateData
    public record Overdue(String title, long dealId, String deadline, String late, int level) {
    }

    /** Something accepted by the service that has not reached the portal, or a job that gave up. */
    @TemplateData
    public record Waiting(String what, String since, String error) {
    }

    /** A choice in a filter. */
    @TemplateData
    public record Choice(String value, String label) {
    }

    /** The filters applied (empty: all). */
    @TemplateData
    public record Filters(String manager, String dealer, String stage) {
    }
}
