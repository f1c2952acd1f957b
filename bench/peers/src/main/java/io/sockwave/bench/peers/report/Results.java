package io.sockwave.bench.peers.report;

import io.sockwave.bench.peers.load.ScenarioResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/** Every sample of a run, and the per-cell summaries drawn from them. */
public final class Results {
    private final List<Sample> samples;

    /** @param samples the run's samples, in any order */
    public Results(List<Sample> samples) {
        this.samples = List.copyOf(samples);
    }

    /**
     * @param file a results file written by the load generator
     * @return its samples
     * @throws IOException if it cannot be read
     */
    public static Results read(Path file) throws IOException {
        List<Sample> samples = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                samples.add(Sample.parse(line));
            }
        }
        return new Results(samples);
    }

    /** @return every sample */
    public List<Sample> samples() {
        return samples;
    }

    /** @return the highest round number present */
    public int rounds() {
        return samples.stream().mapToInt(Sample::round).max().orElse(0);
    }

    /**
     * Summarises one figure of one server over the rounds. A round that counted errors in that scenario contributes
     * no value; a round where the generator was saturated makes the figure a bound (a lower bound of a throughput),
     * and so does, for a latency, a round where the generator's own lateness in sending was at least half of it
     * (an upper bound: the generator's stalls, not the server, made most of that latency), unless the servers were
     * measured side by side, taking turns (then the stalls fell on all of them alike, and the ratios stand).
     *
     * @param label the server's label
     * @param scenario the scenario's id
     * @param metric the metric's name
     * @return the summary
     */
    public Cell cell(String label, String scenario, String metric) {
        TreeSet<Integer> rounds = new TreeSet<>();
        for (Sample s : samples) {
            if (s.label().equals(label) && s.scenario().equals(scenario)) {
                rounds.add(s.round());
            }
        }
        List<Double> values = new ArrayList<>();
        int failed = 0;
        boolean lowerBound = false;
        String firstError = null;
        for (int round : rounds) {
            double errors = value(round, label, scenario, "errors");
            if (!(errors == 0)) {
                failed++;
                if (firstError == null) {
                    firstError = text(round, label, scenario);
                }
                continue;
            }
            double v = value(round, label, scenario, metric);
            if (!Double.isNaN(v)) {
                values.add(v);
            }
            if (value(round, label, scenario, ScenarioResult.GENERATOR_CPU) >= Cell.SATURATED_CPU_PERCENT) {
                lowerBound = true;
            }
            double lateness = value(round, label, scenario, "late_" + metric);
            boolean sideBySide = value(round, label, scenario, ScenarioResult.INTERLEAVED) > 1;
            if (!Double.isNaN(v) && !sideBySide && lateness >= Cell.GENERATOR_STALL_SHARE * v) {
                lowerBound = true;
            }
        }
        return new Cell(values, rounds.size(), failed, lowerBound, firstError);
    }

    /**
     * @param label the server's label
     * @param scenario the scenario's id
     * @param metric the metric's name
     * @return the figure in each round that ran without errors, by round
     */
    public Map<Integer, Double> byRound(String label, String scenario, String metric) {
        Map<Integer, Double> values = new TreeMap<>();
        for (Sample s : samples) {
            if (s.label().equals(label) && s.scenario().equals(scenario) && s.metric().equals(metric)
                    && s.text() == null && value(s.round(), label, scenario, "errors") == 0) {
                values.put(s.round(), s.value());
            }
        }
        return values;
    }

    private double value(int round, String label, String scenario, String metric) {
        for (Sample s : samples) {
            if (s.round() == round && s.label().equals(label) && s.scenario().equals(scenario)
                    && s.metric().equals(metric)) {
                return s.value();
            }
        }
        return Double.NaN;
    }

    private String text(int round, String label, String scenario) {
        return samples.stream()
                .filter(s -> s.round() == round && s.label().equals(label) && s.scenario().equals(scenario))
                .map(Sample::text).filter(Objects::nonNull).findFirst().orElse("errors counted");
    }
}
