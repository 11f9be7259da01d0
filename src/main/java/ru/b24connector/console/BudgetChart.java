package ru.b24connector.console;

import ru.b24connector.portal.PortalLoad;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Geometry of the overview's SVG bar chart (the template draws it, escaping every label): one bar per method,
 * its time budget used against the cap, the request bucket's level on top.
 */
public record BudgetChart(int width, int height, int labelWidth, int plotWidth, Bar bucket, List<Bar> bars) {

    static final int WIDTH = 680;
    static final int LABEL = 190;
    static final int PLOT = 300;
    static final int ROW = 26;

    /**
     * One bar.
     *
     * @param y      top of the row
     * @param length bar length in px ({@code share} of the plot)
     * @param level  ok, high (past half), full (past 90 % or blocked): the bar's colour
     * @param figure "used / cap s" or "level / burst"
     * @param note   when the budget resets (or nothing)
     */
    public record Bar(String label, int y, int textY, String length, String level, String figure, String note) {
    }

    static BudgetChart of(PortalLoad load, Function<java.time.Instant, String> time, String bucketLabel,
                          String resetWord, String blockedWord) {
        double bucketShare = load.burst() <= 0 ? 0 : Math.min(1, load.bucketLevel() / load.burst());
        Bar bucket = bar(bucketLabel, 0, bucketShare, false,
                String.format(Locale.ROOT, "%.0f / %d", load.bucketLevel(), load.burst()), "");
        List<PortalLoad.Budget> budgets = load.budgets();
        java.util.ArrayList<Bar> bars = new java.util.ArrayList<>();
        for (int i = 0; i < budgets.size(); i++) {
            PortalLoad.Budget b = budgets.get(i);
            String note = (b.blocked() ? blockedWord + ", " : "") + (b.resetAt() == null ? "" : resetWord + " " + time.apply(b.resetAt()));
            bars.add(bar(b.method(), (i + 1) * ROW + 8, b.share(), b.blocked(),
                    String.format(Locale.ROOT, "%.1f / %.0f s", b.usedSeconds(), b.capSeconds()), note));
        }
        return new BudgetChart(WIDTH, (budgets.size() + 1) * ROW + 12, LABEL, PLOT, bucket, List.copyOf(bars));
    }

    private static Bar bar(String label, int y, double share, boolean blocked, String figure, String note) {
        String level = blocked || share >= 0.9 ? "full" : share >= 0.5 ? "high" : "ok";
        return new Bar(label, y, y + 15, String.format(Locale.ROOT, "%.1f", Math.max(share > 0 ? 1 : 0, share * PLOT)),
                level, figure, note);
    }
}
