package io.sockwave.bench.peers.report;

import java.util.Locale;

/** Number formatting for the Markdown table: three significant figures or so, with k and M suffixes. */
final class Format {
    private Format() {
    }

    /**
     * @param v a value
     * @return e.g. {@code 1.23M}, {@code 412k}, {@code 45.7k}, {@code 1234}, {@code 85.2}, {@code 3.14}; a dash
     *     for NaN
     */
    static String number(double v) {
        double a = Math.abs(v);
        if (Double.isNaN(v)) {
            return "-";
        } else if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        } else if (a >= 1e5) {
            return String.format(Locale.ROOT, "%.0fk", v / 1e3);
        } else if (a >= 1e4) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        } else if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        } else if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /**
     * @param ratio a ratio
     * @return e.g. {@code 1.07x}
     */
    static String ratio(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio);
    }

    /**
     * @param fraction e.g. 0.031
     * @return e.g. {@code 3.1 %}
     */
    static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.1f %%", 100 * fraction);
    }
}
