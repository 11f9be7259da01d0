package ru.b24connector.ui;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** Claims received and decided per day, drawn on the server as SVG: bars, an axis, no script, no outside fonts. */
final class BoardChart {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 200;
    private static final int LEFT = 30;
    private static final int BOTTOM = 24;

    private BoardChart() {
    }

    /** The chart of {@code days} (oldest first); only numbers and dates go into the markup. */
    static String svg(List<LocalDate> days, Map<LocalDate, Integer> received, Map<LocalDate, Integer> decided,
                      String receivedLabel, String decidedLabel) {
        int max = 1;
        for (LocalDate d : days) {
            max = Math.max(max, Math.max(received.getOrDefault(d, 0), decided.getOrDefault(d, 0)));
        }
        double slot = (WIDTH - LEFT - 10) / (double) days.size();
        double bar = Math.max(2, slot / 2 - 1);
        int plot = HEIGHT - BOTTOM - 10;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\">");
        svg.append("<title>").append(escape(receivedLabel)).append(" / ").append(escape(decidedLabel)).append("</title>");
        svg.append(line(LEFT, HEIGHT - BOTTOM, WIDTH - 5, HEIGHT - BOTTOM));
        svg.append(text(2, 14, String.valueOf(max), "start"));
        svg.append(text(2, HEIGHT - BOTTOM, "0", "start"));
        DateTimeFormatter label = DateTimeFormatter.ofPattern("dd.MM");
        for (int i = 0; i < days.size(); i++) {
            LocalDate d = days.get(i);
            double x = LEFT + i * slot;
            int r = received.getOrDefault(d, 0);
            int c = decided.getOrDefault(d, 0);
            svg.append(rect(x, r, max, plot, bar, "#2067b0", receivedLabel + " " + label.format(d) + ": " + r));
            svg.append(rect(x + bar + 1, c, max, plot, bar, "#3bab5a", decidedLabel + " " + label.format(d) + ": " + c));
            if (i % 5 == 0 || i == days.size() - 1) {
                svg.append(text(x, HEIGHT - 8, label.format(d), "start"));
            }
        }
        return svg.append("</svg>").toString();
    }

    private static String rect(double x, int value, int max, int plot, double width, String fill, String title) {
        double h = value == 0 ? 0 : Math.max(1, plot * value / (double) max);
        double y = HEIGHT - BOTTOM - h;
        return String.format(java.util.Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s</title></rect>",
                x, y, width, h, fill, escape(title));
    }

    private static String line(int x1, int y1, int x2, int y2) {
        return "<line x1=\"" + x1 + "\" y1=\"" + y1 + "\" x2=\"" + x2 + "\" y2=\"" + y2 + "\" stroke=\"#9aa5b1\"/>";
    }

    private static String text(double x, int y, String s, String anchor) {
        return String.format(java.util.Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#525c69\" "
                + "text-anchor=\"%s\">%s</text>", x, y, anchor, escape(s));
    }

    /** Labels come from the pages' own words, but are escaped anyway. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
