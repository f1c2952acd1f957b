package io.sockwave.bench.peers.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of a run as the report presents them: per-cell medians and ranges, Sockwave's ratio to each peer,
 * the A/A agreement, and the targets.
 */
public final class Report {
    /** The most two runs of the same server may differ, relative to their mean, for the run to be trusted. */
    public static final double AA_TOLERANCE = 0.10;
    /** Generator run-queue wait, in percent of an interval, from which the report warns of contention. */
    public static final double CONTENTION_WAIT_PERCENT = 10;

    private final Results results;
    private final Lineup lineup;

    /**
     * @param results the run's samples
     * @param lineup who was measured
     */
    public Report(Results results, Lineup lineup) {
        this.results = results;
        this.lineup = lineup;
    }

    /** @return the samples */
    public Results results() {
        return results;
    }

    /** @return who was measured */
    public Lineup lineup() {
        return lineup;
    }

    /**
     * @param label a server's label
     * @param metric a figure
     * @return the server's summary of that figure
     */
    public Cell cell(String label, Metric metric) {
        return results.cell(label, metric.scenario(), metric.key());
    }

    /**
     * @param metric a figure
     * @param peer a peer's label
     * @return Sockwave's median divided by the peer's (above 1 means a larger figure, better or not); NaN when the
     *     peer's median is zero or negative (an RSS that shrank while connections were opened), of which no ratio
     *     means anything
     */
    public double ratio(Metric metric, String peer) {
        double theirs = cell(peer, metric).median();
        return theirs > 0 ? cell(lineup.baseline(), metric).median() / theirs : Double.NaN;
    }

    /**
     * Sockwave's figure over a peer's, round by round.
     *
     * @param geometricMean the geometric mean of the per-round ratios (above 1 means a larger figure)
     * @param lower in how many rounds Sockwave's figure was the lower
     * @param rounds how many rounds both servers have a figure for
     */
    public record Paired(double geometricMean, int lower, int rounds) {
    }

    /**
     * Pairs the two servers' figures round by round: meaningful where they were measured side by side, so that a
     * round's stalls fell on both, and a steadier comparison than the ratio of medians, which two noisy rounds can
     * swing.
     *
     * @param metric a figure
     * @param peer a peer's label
     * @return the pairing, or null if no round has a figure from both
     */
    public Paired paired(Metric metric, String peer) {
        Map<Integer, Double> ours = results.byRound(lineup.baseline(), metric.scenario(), metric.key());
        Map<Integer, Double> theirs = results.byRound(peer, metric.scenario(), metric.key());
        double logSum = 0;
        int lower = 0;
        int rounds = 0;
        for (Map.Entry<Integer, Double> e : ours.entrySet()) {
            Double other = theirs.get(e.getKey());
            if (other == null || !(e.getValue() > 0) || !(other > 0)) {
                continue;
            }
            logSum += Math.log(e.getValue() / other);
            lower += e.getValue() < other ? 1 : 0;
            rounds++;
        }
        return rounds == 0 ? null : new Paired(Math.exp(logSum / rounds), lower, rounds);
    }

    /**
     * @param metric a figure
     * @return how far apart the A/A pair's medians are, relative to their mean; NaN without an A/A pair or data
     */
    public double aaDifference(Metric metric) {
        if (lineup.aaTwin() == null) {
            return Double.NaN;
        }
        double a = cell(lineup.aaOriginal(), metric).median();
        double b = cell(lineup.aaTwin(), metric).median();
        return Math.abs(a - b) / ((a + b) / 2);
    }

    /**
     * @param metric a figure
     * @return false if the A/A pair differ by more than {@link #AA_TOLERANCE}, or only one of them has a value;
     *     true without an A/A pair or when neither has a value (nothing to compare)
     */
    public boolean aaAgrees(Metric metric) {
        if (lineup.aaTwin() == null) {
            return true;
        }
        boolean original = cell(lineup.aaOriginal(), metric).hasValue();
        boolean twin = cell(lineup.aaTwin(), metric).hasValue();
        if (!original && !twin) {
            return true;
        }
        double d = aaDifference(metric);
        return !Double.isNaN(d) && d <= AA_TOLERANCE;
    }

    /** @return the headline figures on which the A/A pair disagree */
    public List<Metric> aaFailures() {
        return Metric.HEADLINE.stream().filter(m -> !aaAgrees(m)).toList();
    }

    /**
     * @param metric a figure
     * @param kindPrefix e.g. {@code netty}
     * @return the peer of that kind with the better median (the faster Netty transport), or null if none has data
     */
    public String bestPeer(Metric metric, String kindPrefix) {
        String best = null;
        for (String peer : lineup.peersOfKind(kindPrefix)) {
            double v = cell(peer, metric).median();
            if (Double.isNaN(v)) {
                continue;
            }
            if (best == null || (metric.higherIsBetter() ? v > cell(best, metric).median()
                    : v < cell(best, metric).median())) {
                best = peer;
            }
        }
        return best;
    }

    /** @return every figure of every cell, for the JSON file */
    List<Map<String, Object>> allCells() {
        List<Map<String, Object>> cells = new ArrayList<>();
        Map<String, List<String>> metricsByScenario = new LinkedHashMap<>();
        for (Sample s : results.samples()) {
            if (s.text() == null) {
                List<String> metrics = metricsByScenario.computeIfAbsent(s.scenario(), k -> new ArrayList<>());
                if (!metrics.contains(s.metric())) {
                    metrics.add(s.metric());
                }
            }
        }
        for (String label : lineup.labels()) {
            metricsByScenario.forEach((scenario, metrics) -> {
                for (String metric : metrics) {
                    Cell c = results.cell(label, scenario, metric);
                    if (c.rounds() == 0) {
                        continue;
                    }
                    Map<String, Object> cell = new LinkedHashMap<>();
                    cell.put("server", label);
                    cell.put("kind", lineup.kinds().get(label));
                    cell.put("scenario", scenario);
                    cell.put("metric", metric);
                    cell.put("median", c.median());
                    cell.put("min", c.min());
                    cell.put("max", c.max());
                    cell.put("values", c.values());
                    cell.put("rounds", c.rounds());
                    cell.put("failed_rounds", c.failedRounds());
                    cell.put("generator_saturated", c.lowerBound());
                    cell.put("first_error", c.firstError());
                    cells.add(cell);
                }
            });
        }
        return cells;
    }
}
