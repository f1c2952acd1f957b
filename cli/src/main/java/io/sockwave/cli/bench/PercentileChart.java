package io.sockwave.cli.bench;

import java.util.List;
import java.util.Locale;

/**
 * Draws a latency-by-percentile curve as inline SVG, in the manner of HdrHistogram's plotter: the x axis is
 * logarithmic in the distance to 100%, so 90%, 99%, 99.9% ... sit at equal steps and the tail gets the room it needs.
 */
final class PercentileChart {
    static final int WIDTH = 720;
    static final int HEIGHT = 360;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 20;
    private static final int BOTTOM = 50;
    private static final int Y_TICKS = 5;

    private PercentileChart() {}

    /** @return an {@code <svg>} element; a short note in place of the curve when there are no points */
    static String svg(List<LatencySummary.Point> points) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"latency by percentile\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fff\""
                + " stroke=\"#999\"/>%n", LEFT, TOP, plotWidth(), plotHeight()));
        if (points.isEmpty()) {
            out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">no latency"
                    + " measured</text>%n", LEFT + plotWidth() / 2, TOP + plotHeight() / 2));
            return out.append("</svg>\n").toString();
        }
        int decades = decades(points);
        double yMax = niceCeiling(points.stream().mapToLong(LatencySummary.Point::micros).max().orElse(1) / 1000.0);
        for (int d = 0; d <= decades; d++) {
            double x = LEFT + plotWidth() * (double) d / decades;
            out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    x, TOP, x, TOP + plotHeight(), x, TOP + plotHeight() + 16, percentileLabel(d)));
        }
        for (int t = 0; t <= Y_TICKS; t++) {
            double value = yMax * t / Y_TICKS;
            double y = TOP + plotHeight() - plotHeight() * (double) t / Y_TICKS;
            out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT, y, LEFT + plotWidth(), y, LEFT - 6, y + 4, trim(value)));
        }
        out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n",
                LEFT + plotWidth() / 2, HEIGHT - 10));
        out.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" text-anchor=\"middle\""
                + " transform=\"rotate(-90 16 %d)\">latency (ms)</text>%n", TOP + plotHeight() / 2,
                TOP + plotHeight() / 2));
        out.append("<polyline fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\" points=\"");
        for (LatencySummary.Point p : points) {
            double x = LEFT + plotWidth() * Math.min(1, position(p.percentile()) / decades);
            double y = TOP + plotHeight() - plotHeight() * (p.micros() / 1000.0) / yMax;
            out.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        return out.append("\"/>\n</svg>\n").toString();
    }

    /** @return the x position in decades: 0 at 0%, 1 at 90%, 2 at 99%, 3 at 99.9% ... */
    static double position(double percentile) {
        double remaining = 1 - percentile / 100;
        return remaining <= 0 ? Double.POSITIVE_INFINITY : Math.log10(1 / remaining);
    }

    /** The axis reaches the first whole decade beyond the last point short of 100%, and at least 99%. */
    private static int decades(List<LatencySummary.Point> points) {
        double furthest = points.stream().mapToDouble(p -> position(p.percentile()))
                .filter(Double::isFinite).max().orElse(0);
        return Math.max(2, (int) Math.ceil(furthest + 1e-9));
    }

    /** @return the label of a whole decade: 0%, 90%, 99%, 99.9%, 99.99% ... */
    static String percentileLabel(int decade) {
        return switch (decade) {
            case 0 -> "0%";
            case 1 -> "90%";
            default -> "99" + (decade == 2 ? "" : "." + "9".repeat(decade - 2)) + "%";
        };
    }

    /** @return 1, 2 or 5 times a power of ten, at least the value */
    static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static String trim(double value) {
        String text = String.format(Locale.ROOT, "%.3f", value);
        return text.replaceAll("\\.?0+$", "");
    }

    private static int plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private static int plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }
}
