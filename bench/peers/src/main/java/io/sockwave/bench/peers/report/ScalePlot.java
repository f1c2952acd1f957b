package io.sockwave.bench.peers.report;

import java.util.List;
import java.util.Locale;

/**
 * A self-contained SVG of panels side by side, each plotting one figure against the number of open connections on
 * linear axes from zero, one coloured line per server and a shared legend below.
 */
final class ScalePlot {
    /**
     * @param label the server
     * @param points pairs of open connections and the figure
     */
    record Series(String label, List<double[]> points) {
    }

    /**
     * @param title the figure plotted
     * @param series one line per server
     */
    record Panel(String title, List<Series> series) {
    }

    private static final int PANEL_WIDTH = 380;
    private static final int PANEL_HEIGHT = 300;
    private static final int LEFT = 80;
    private static final int RIGHT = 20;
    private static final int TOP = 30;
    private static final int BOTTOM = 50;
    private static final int LEGEND = 30;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

    private final List<Panel> panels;

    ScalePlot(List<Panel> panels) {
        this.panels = panels;
    }

    String svg() {
        int width = panels.size() * (PANEL_WIDTH + LEFT + RIGHT);
        int height = TOP + PANEL_HEIGHT + BOTTOM + LEGEND;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\""
                + " width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n", width, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        for (int i = 0; i < panels.size(); i++) {
            panel(svg, panels.get(i), i * (PANEL_WIDTH + LEFT + RIGHT) + LEFT);
        }
        if (!panels.isEmpty()) {
            List<Series> series = panels.get(0).series();
            for (int i = 0; i < series.size(); i++) {
                double x = LEFT + i * 150;
                double y = height - LEGEND / 2.0;
                svg.append(line(x, y, x + 30, y, COLOURS[i % COLOURS.length]));
                svg.append(text(x + 36, y + 4, "start", series.get(i).label()));
            }
        }
        return svg.append("</svg>\n").toString();
    }

    private void panel(StringBuilder svg, Panel panel, double left) {
        double maxX = 1;
        double maxY = 1;
        for (Series s : panel.series()) {
            for (double[] p : s.points()) {
                maxX = Math.max(maxX, p[0]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        double bottom = TOP + PANEL_HEIGHT;
        for (int i = 0; i <= 4; i++) {
            double y = bottom - PANEL_HEIGHT * i / 4.0;
            double x = left + PANEL_WIDTH * i / 4.0;
            svg.append(line(left, y, left + PANEL_WIDTH, y, "#ddd"));
            svg.append(text(left - 6, y + 4, "end", String.format(Locale.ROOT, "%,.0f", maxY * i / 4)));
            svg.append(line(x, TOP, x, bottom, "#eee"));
            svg.append(text(x, bottom + 16, "middle", String.format(Locale.ROOT, "%,.0f", maxX * i / 4)));
        }
        svg.append(text(left + PANEL_WIDTH / 2.0, bottom + 36, "middle", "open connections"));
        svg.append(text(left + PANEL_WIDTH / 2.0, TOP - 10, "middle", panel.title()));
        for (int i = 0; i < panel.series().size(); i++) {
            String colour = COLOURS[i % COLOURS.length];
            StringBuilder at = new StringBuilder();
            for (double[] p : panel.series().get(i).points()) {
                double x = left + p[0] / maxX * PANEL_WIDTH;
                double y = bottom - p[1] / maxY * PANEL_HEIGHT;
                at.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", x, y,
                        colour));
            }
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\""
                    + " stroke-width=\"2\"/>\n", at.toString().trim(), colour));
        }
    }

    private static String line(double x1, double y1, double x2, double y2, String colour) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
                x1, y1, x2, y2, colour);
    }

    private static String text(double x, double y, String anchor, String content) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>\n", x, y, anchor,
                content);
    }
}
