package io.sockwave.bench.cluster;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained SVG of cross-node latency (p50 dashed, p99 solid, log scale) against the offered delivery rate,
 * one colour per system, with the ramp's 50 ms limit drawn across.
 */
final class LatencyPlot {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 440;
    private static final int LEFT = 70;
    private static final int RIGHT = 170;
    private static final int TOP = 30;
    private static final int BOTTOM = 60;
    private static final double MIN_MS = 0.1;
    private static final double MAX_MS = 10_000;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c"};

    private final Map<String, List<double[]>> series;
    private final double maxRate;

    /** @param series per system, points of offered rate, p50 ms, p99 ms (and achieved rate, unused here) */
    LatencyPlot(Map<String, List<double[]>> series) {
        this.series = series;
        double max = 1;
        for (List<double[]> points : series.values()) {
            for (double[] p : points) {
                max = Math.max(max, p[0]);
            }
        }
        this.maxRate = max;
    }

    private double x(double rate) {
        return LEFT + rate / maxRate * (WIDTH - LEFT - RIGHT);
    }

    private double y(double ms) {
        double clamped = Math.max(MIN_MS, Math.min(MAX_MS, ms));
        double fraction = Math.log10(clamped / MIN_MS) / Math.log10(MAX_MS / MIN_MS);
        return HEIGHT - BOTTOM - fraction * (HEIGHT - TOP - BOTTOM);
    }

    String svg() {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">\n", WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        for (double ms = MIN_MS; ms <= MAX_MS; ms *= 10) {
            svg.append(line(LEFT, y(ms), WIDTH - RIGHT, y(ms), "#ddd", ""));
            svg.append(text(LEFT - 6, y(ms) + 4, "end", trim(ms)));
        }
        for (int i = 0; i <= 4; i++) {
            double rate = maxRate * i / 4;
            svg.append(line(x(rate), TOP, x(rate), HEIGHT - BOTTOM, "#eee", ""));
            svg.append(text(x(rate), HEIGHT - BOTTOM + 16, "middle", String.format(Locale.ROOT, "%,.0f", rate)));
        }
        svg.append(line(LEFT, y(50), WIDTH - RIGHT, y(50), "#888", "stroke-dasharray=\"2,3\""));
        svg.append(text(WIDTH - RIGHT - 4, y(50) - 4, "end", "p99 limit 50 ms"));
        svg.append(text((LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 18, "middle", "offered deliveries per second"));
        svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 16 %.1f)\">cross-node latency, ms (log)</text>\n",
                (TOP + HEIGHT - BOTTOM) / 2.0, (TOP + HEIGHT - BOTTOM) / 2.0));
        int index = 0;
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            String colour = COLOURS[index % COLOURS.length];
            svg.append(polyline(e.getValue(), 1, colour, "stroke-dasharray=\"6,4\""));
            svg.append(polyline(e.getValue(), 2, colour, ""));
            double legendY = TOP + 20 + index * 40;
            svg.append(line(WIDTH - RIGHT + 14, legendY, WIDTH - RIGHT + 44, legendY, colour, ""));
            svg.append(text(WIDTH - RIGHT + 50, legendY + 4, "start", e.getKey() + " p99"));
            svg.append(line(WIDTH - RIGHT + 14, legendY + 16, WIDTH - RIGHT + 44, legendY + 16, colour,
                    "stroke-dasharray=\"6,4\""));
            svg.append(text(WIDTH - RIGHT + 50, legendY + 20, "start", e.getKey() + " p50"));
            index++;
        }
        return svg.append("</svg>\n").toString();
    }

    private String polyline(List<double[]> points, int column, String colour, String extra) {
        StringBuilder at = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (double[] p : points) {
            if (Double.isNaN(p[column])) {
                continue;
            }
            at.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p[0]), y(p[column])));
            dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
                    x(p[0]), y(p[column]), colour));
        }
        return String.format(Locale.ROOT,
                "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" %s/>\n",
                at.toString().trim(), colour, extra) + dots;
    }

    private static String line(double x1, double y1, double x2, double y2, String colour, String extra) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" %s/>\n",
                x1, y1, x2, y2, colour, extra);
    }

    private static String text(double x, double y, String anchor, String content) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>\n", x, y, anchor,
                content);
    }

    private static String trim(double ms) {
        return ms < 1 ? String.format(Locale.ROOT, "%.1f", ms) : String.format(Locale.ROOT, "%.0f", ms);
    }
}
