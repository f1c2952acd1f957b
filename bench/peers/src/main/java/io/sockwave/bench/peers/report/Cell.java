package io.sockwave.bench.peers.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One figure of one server over all rounds: the values of the rounds that ran without errors, summarised as their
 * median and range, and whether the figure is only a lower bound because the load generator was saturated.
 *
 * @param values the value of each round without errors, in round order
 * @param rounds how many rounds ran the cell
 * @param failedRounds how many of them counted errors (their values are left out)
 * @param lowerBound whether the figure only bounds the server's: the generator used {@link #SATURATED_CPU_PERCENT}
 *     or more of its CPU in some round, or (for a latency) its lateness reached {@link #GENERATOR_STALL_SHARE} of it
 * @param firstError the first error of a failed round, or null
 */
public record Cell(List<Double> values, int rounds, int failedRounds, boolean lowerBound, String firstError) {
    /** Generator CPU use from which a throughput figure measures the generator as much as the server. */
    public static final double SATURATED_CPU_PERCENT = 90;
    /** Share of a latency percentile from which the generator's own lateness at that percentile bounds it. */
    public static final double GENERATOR_STALL_SHARE = 0.5;

    /** @return the values' median, NaN if there is none */
    public double median() {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** @return the smallest value, NaN if there is none */
    public double min() {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    /** @return the largest value, NaN if there is none */
    public double max() {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** @return whether there is a value to show */
    public boolean hasValue() {
        return !values.isEmpty();
    }
}
