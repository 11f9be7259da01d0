package ru.b24connector.ui;

import java.util.List;
import java.util.Locale;

/**
 * The board's analytics charts, drawn on the server as SVG with no script and no outside fonts. They read without
 * colour: median and 90th percentile differ in fill pattern (solid / outline), every bar carries its number as text,
 * the Pareto line has labelled points, and the tables beside them hold the same figures.
 */
final class AnalyticsCharts {

    private static final int WIDTH = 900;
    private static final String INK = "#525c69";

    /** A bar of the stage chart: its label, median and p90 in seconds, the texts shown, and the slowest mark. */
    record StageBar(String label, double median, double p90, String medianText, String p90Text, boolean slowest) {
    }

    /** A bar of the Pareto chart: label, items, their text, and the running share 0..1. */
    record ParetoBar(String label, double items, String itemsText, double cumulative) {
    }

    private AnalyticsCharts() {
    }

    /** Horizontal bars per stage: the median solid, the 90th percentile as an outline behind it. */
    static String stages(List<StageBar> bars, String title, String medianLabel, String p90Label, String slowestLabel) {
        int width = 600;
        int row = 40;
        int left = 130;
        int top = 30;
        int height = top + Math.max(1, bars.size()) * row + 6;
        double max = bars.stream().mapToDouble(StageBar::p90).max().orElse(1);
        max = max <= 0 ? 1 : max;
        double plot = width - left - 20;
        StringBuilder svg = open(width, height, title);
        svg.append(legendSolid(left, 6, medianLabel)).append(legendOutline(left + 150, 6, p90Label));
        for (int i = 0; i < bars.size(); i++) {
            StageBar b = bars.get(i);
            int y = top + i * row;
            double wP90 = Math.max(1, plot * b.p90() / max);
            double wMed = Math.max(1, plot * b.median() / max);
            String label = (b.slowest() ? "▲ " : "") + b.label();
            svg.append(text(left - 6, y + 14, label.length() > 22 ? label.substring(0, 21) + "…" : label, "end",
                    b.slowest()));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"none\" "
                    + "stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\"><title>%s</title></rect>", left, y,
                    wP90, INK, BoardChart.escape(b.label() + ": " + p90Label + " " + b.p90Text())));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"10\" fill=\"%s\">"
                    + "<title>%s</title></rect>", left, y + 4, wMed, b.slowest() ? "#c0392b" : "#2067b0",
                    BoardChart.escape(b.label() + ": " + medianLabel + " " + b.medianText())));
            // the figures under the bars, so a long p90 bar never pushes them out of the picture
            svg.append(text(left, y + 31, medianLabel + " " + b.medianText() + " · " + p90Label + " " + b.p90Text()
                    + (b.slowest() ? " — " + slowestLabel : ""), "start", b.slowest()));
        }
        return svg.append("</svg>").toString();
    }

    /** Pareto: bars of items per product (largest first) and the running share as a line of labelled points. */
    static String pareto(List<ParetoBar> bars, String title, String itemsLabel, String cumulativeLabel) {
        int height = 300;
        int left = 40;
        int right = 50;
        int top = 30;
        int bottom = 80;
        int plotH = height - top - bottom;
        double max = bars.stream().mapToDouble(ParetoBar::items).max().orElse(1);
        max = max <= 0 ? 1 : max;
        double slot = (WIDTH - left - right) / (double) Math.max(1, bars.size());
        double bar = Math.min(70, Math.max(4, slot * 0.6));
        StringBuilder svg = open(WIDTH, height, title);
        svg.append(legendSolid(left, 8, itemsLabel));
        svg.append("<polyline points=\"").append(left + 170).append(",14 ").append(left + 200).append(",14\" fill=\"none\" "
                + "stroke=\"").append(INK).append("\" stroke-width=\"2\"/><circle cx=\"").append(left + 185)
                .append("\" cy=\"14\" r=\"3\" fill=\"#fff\" stroke=\"").append(INK).append("\"/>")
                .append(text(left + 206, 18, cumulativeLabel, "start", false));
        svg.append(line(left, height - bottom, WIDTH - right, height - bottom));
        svg.append(text(WIDTH - right + 4, top + 4, "100 %", "start", false));
        svg.append(text(WIDTH - right + 4, height - bottom, "0 %", "start", false));
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < bars.size(); i++) {
            ParetoBar b = bars.get(i);
            double x = left + i * slot + (slot - bar) / 2;
            double h = Math.max(1, plotH * b.items() / max);
            double y = height - bottom - h;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    + "fill=\"#2067b0\"><title>%s</title></rect>", x, y, bar, h,
                    BoardChart.escape(b.label() + ": " + b.itemsText())));
            svg.append(text(x + bar / 2, (int) y - 3, b.itemsText(), "middle", false));
            String label = b.label().length() > 14 ? b.label().substring(0, 13) + "…" : b.label();
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"%s\" "
                    + "text-anchor=\"end\" transform=\"rotate(-35 %.1f %d)\">%s</text>", x + bar / 2, height - bottom + 14,
                    INK, x + bar / 2, height - bottom + 14, BoardChart.escape(label)));
            double cy = height - bottom - plotH * b.cumulative();
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x + bar / 2, cy));
        }
        svg.append("<polyline points=\"").append(points.toString().trim()).append("\" fill=\"none\" stroke=\"")
                .append(INK).append("\" stroke-width=\"2\"/>");
        for (int i = 0; i < bars.size(); i++) {
            ParetoBar b = bars.get(i);
            double cx = left + i * slot + slot / 2;
            double cy = height - bottom - plotH * b.cumulative();
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#fff\" stroke=\"%s\" "
                    + "stroke-width=\"1.5\"><title>%s</title></circle>", cx, cy, INK,
                    BoardChart.escape(b.label() + ": " + Math.round(b.cumulative() * 100) + " %")));
            svg.append(text(cx + 5, (int) cy - 5, Math.round(b.cumulative() * 100) + "%", "start", false));
        }
        return svg.append("</svg>").toString();
    }

    private static StringBuilder open(int width, int height, String title) {
        return new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"100%\" viewBox=\"0 0 ")
                .append(width).append(' ').append(height).append("\" style=\"max-width:").append(width).append("px\">")
                .append("<title>").append(BoardChart.escape(title)).append("</title>");
    }

    private static String legendSolid(int x, int y, String label) {
        return "<rect x=\"" + x + "\" y=\"" + (y + 2) + "\" width=\"22\" height=\"10\" fill=\"#2067b0\"/>"
                + text(x + 28, y + 11, label, "start", false);
    }

    private static String legendOutline(int x, int y, String label) {
        return "<rect x=\"" + x + "\" y=\"" + y + "\" width=\"22\" height=\"14\" fill=\"none\" stroke=\"" + INK
                + "\" stroke-dasharray=\"4 2\"/>" + text(x + 28, y + 11, label, "start", false);
    }

    private static String line(int x1, int y1, int x2, int y2) {
        return "<line x1=\"" + x1 + "\" y1=\"" + y1 + "\" x2=\"" + x2 + "\" y2=\"" + y2 + "\" stroke=\"#9aa5b1\"/>";
    }

    private static String text(double x, int y, String s, String anchor, boolean bold) {
        // a white halo keeps a label readable where it crosses a bar or the line
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" fill=\"%s\" text-anchor=\"%s\" "
                + "paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\"%s>%s</text>", x, y, INK, anchor,
                bold ? " font-weight=\"bold\"" : "", BoardChart.escape(s));
    }
}
