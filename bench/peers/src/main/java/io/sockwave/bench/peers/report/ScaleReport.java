package io.sockwave.bench.peers.report;

import io.sockwave.bench.peers.load.Scenarios;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scale scenario's part of the report: per server and level of open connections, RSS, live heap, broadcast
 * deliveries/s and handshakes/s (medians over the rounds), and issue #20's checks on how they grow: RSS linear in the
 * connections (no step costs much more per connection than the first), Sockwave within 2.5 KB of RSS growth per
 * connection (the 250 MB at 100,000), and broadcast deliveries/s at the top level within 0.8x of those at
 * the lowest.
 */
public final class ScaleReport {
    /** A step costing more than this many times the first step's bytes per connection is a knee. */
    static final double KNEE = 1.5;
    /** Issue #20: 250 MB for 100,000 idle connections. */
    static final double RSS_BUDGET_PER_CONNECTION = 250e6 / 100_000;
    /** Issue #20: broadcast deliveries/s at the top level within this share of the lowest level's. */
    static final double BROADCAST_KEPT = 0.8;

    private static final Pattern RSS = Pattern.compile("rss_mib_(\\d+)");

    private final Report report;
    private final List<Integer> levels;

    /** @param report the run */
    public ScaleReport(Report report) {
        this.report = report;
        TreeSet<Integer> found = new TreeSet<>();
        for (Sample s : report.results().samples()) {
            Matcher m = RSS.matcher(s.metric());
            if (s.scenario().equals(Scenarios.SCALE) && m.matches()) {
                found.add(Integer.valueOf(m.group(1)));
            }
        }
        this.levels = List.copyOf(found);
    }

    /** @return whether the run measured the scale scenario */
    public boolean present() {
        return !levels.isEmpty();
    }

    /**
     * @param svgName the file name of the plot written beside the report
     * @return the Markdown section, empty if the scenario did not run
     */
    public String markdown(String svgName) {
        if (!present()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n## How cost grows with open connections\n\n")
                .append("Connections on `/broadcast` opened in steps and held (from 127.0.0.1; above ")
                .append(String.format(Locale.ROOT, "%,d", Scenarios.SCALE_ONE_SOURCE))
                .append(" spread over the loopback source addresses ")
                .append(String.join(", ", Scenarios.SCALE_SOURCES)).append("); at each level")
                .append(" the server's RSS and live heap (after a full collection, JVMs only), then a broadcast of")
                .append(" 64 B to every open connection (8 in flight), then 16 handshake loops beside them. Memory")
                .append(" is read in a first pass that only opens connections, rates in a second (see")
                .append(" ScaleScenario). Medians over the rounds. A JVM's RSS also counts heap pages that the")
                .append(" handshakes' garbage touched for the first time (up to its young generation's size, once")
                .append(" per process: the first step shows most of it); the live heap is what the connections")
                .append(" hold. Plot: [").append(svgName).append("](").append(svgName).append(").\n\n");
        List<String> header = List.of("server", "open connections", "RSS MiB", "RSS added per connection of the"
                + " step, B", "live heap MiB", "deliveries/s", "handshakes/s");
        List<List<String>> rows = new ArrayList<>();
        for (String label : report.lineup().labels()) {
            for (int level : measured(label)) {
                rows.add(List.of(label, String.format(Locale.ROOT, "%,d", level),
                        fixed(median(label, "rss_mib_" + level), 1), fixed(stepBytesPerConnection(label, level), 0),
                        fixed(median(label, "live_heap_mib_" + level), 1),
                        Format.number(median(label, "deliveries_per_s_" + level)),
                        Format.number(median(label, "handshakes_per_s_" + level))));
            }
        }
        MarkdownReport.table(md, header, rows);
        md.append("\nChecks (issue #20 names 10k to 100k; the levels here are the run's):\n\n");
        for (String label : report.lineup().labels()) {
            List<String> checks = checks(label);
            if (!checks.isEmpty()) {
                md.append("- ").append(label).append(": ").append(String.join("; ", checks)).append('\n');
            }
        }
        for (String label : report.lineup().labels()) {
            Cell errors = report.results().cell(label, Scenarios.SCALE, "errors");
            if (errors.failedRounds() > 0) {
                md.append("- ").append(label).append(": ").append(errors.failedRounds()).append(" of ")
                        .append(errors.rounds()).append(" rounds failed; first error: ").append(errors.firstError())
                        .append('\n');
            }
        }
        return md.toString();
    }

    private List<String> checks(String label) {
        List<Integer> measured = measured(label);
        List<String> checks = new ArrayList<>();
        if (measured.size() < 3) {
            return checks;
        }
        int low = measured.get(0);
        int top = measured.get(measured.size() - 1);
        double firstStep = stepBytesPerConnection(label, measured.get(1));
        double worstStep = firstStep;
        for (int level : measured.subList(2, measured.size())) {
            worstStep = Math.max(worstStep, stepBytesPerConnection(label, level));
        }
        // The step from no connections also holds the heap pages the handshakes' garbage touched first (see the
        // section's text), so the second step is the reference.
        checks.add(String.format(Locale.ROOT, "RSS linear (no step above %.1fx the step to %,d's %,.0f B/conn): %s"
                + " (worst step %,.0f B/conn)", KNEE, measured.get(1), firstStep,
                worstStep <= KNEE * firstStep ? "met" : "missed", worstStep));
        if (label.equals(report.lineup().baseline())) {
            double perConnection = (median(label, "rss_mib_" + top) - median(label, "rss_before_mib")) * 1048576
                    / top;
            checks.add(String.format(Locale.ROOT, "RSS growth per connection <= %,.0f B (250 MB at 100k): %,.0f B,"
                    + " %s", RSS_BUDGET_PER_CONNECTION, perConnection, perConnection <= RSS_BUDGET_PER_CONNECTION
                    ? "met" : "missed"));
        }
        double kept = median(label, "deliveries_per_s_" + top) / median(label, "deliveries_per_s_" + low);
        checks.add(String.format(Locale.ROOT, "deliveries/s at %,d within %.1fx of those at %,d: %.2fx, %s", top,
                BROADCAST_KEPT, low, kept, kept >= BROADCAST_KEPT ? "met" : "missed"));
        return checks;
    }

    private List<Integer> measured(String label) {
        return levels.stream().filter(l -> !Double.isNaN(median(label, "rss_mib_" + l))).toList();
    }

    /** The RSS added while the connections of the step up to {@code level} opened, per connection of the step. */
    private double stepBytesPerConnection(String label, int level) {
        int index = levels.indexOf(level);
        double previous = median(label, index == 0 ? "rss_before_mib" : "rss_mib_" + levels.get(index - 1));
        return (median(label, "rss_mib_" + level) - previous) * 1048576
                / (level - (index == 0 ? 0 : levels.get(index - 1)));
    }

    private double median(String label, String metric) {
        Cell cell = report.results().cell(label, Scenarios.SCALE, metric);
        return cell.hasValue() ? cell.median() : Double.NaN;
    }

    private static String fixed(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    /** @return an SVG of RSS (left) and broadcast deliveries/s (right) against open connections, one line a server */
    public String svg() {
        List<String> labels = report.lineup().labels();
        List<ScalePlot.Series> rss = new ArrayList<>();
        List<ScalePlot.Series> deliveries = new ArrayList<>();
        for (String label : labels) {
            rss.add(series(label, "rss_mib_"));
            deliveries.add(series(label, "deliveries_per_s_"));
        }
        return new ScalePlot(List.of(new ScalePlot.Panel("RSS, MiB", rss),
                new ScalePlot.Panel("broadcast deliveries/s", deliveries))).svg();
    }

    private ScalePlot.Series series(String label, String prefix) {
        List<double[]> points = new ArrayList<>();
        for (int level : levels) {
            double v = median(label, prefix + level);
            if (!Double.isNaN(v)) {
                points.add(new double[] {level, v});
            }
        }
        return new ScalePlot.Series(label, points);
    }
}
