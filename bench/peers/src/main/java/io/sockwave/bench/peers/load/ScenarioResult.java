package io.sockwave.bench.peers.load;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one scenario measured against one server: named figures (rates, latencies, memory, CPU) and the number of
 * failures. A result with failures is reported, but its figures are not used.
 *
 * @param scenario the scenario's id
 * @param metrics figures by name, in the order they were added
 * @param errors how many checks failed (bad echo, refused upgrade, lost message, closed connection...)
 * @param firstError the first failure's description, or null
 */
public record ScenarioResult(String scenario, Map<String, Double> metrics, long errors, String firstError) {
    /** Metric: CPU use of the server process over the measured interval, in percent of one core. */
    public static final String SERVER_CPU = "server_cpu_pct";
    /** Metric: CPU use of the load generator over the measured interval, in percent of one core. */
    public static final String GENERATOR_CPU = "gen_cpu_pct";
    /**
     * Metric: time the server's threads waited for their CPU over the measured interval, in percent (summed over
     * threads): other processes, or the server's own threads competing for its one CPU.
     */
    public static final String SERVER_WAIT = "server_wait_pct";
    /**
     * Metric: CPU use of the server's JIT compiler threads over the measured interval, in percent of one core: a
     * part of {@link #SERVER_CPU} that ends once the JIT has compiled the paths the scenario uses.
     */
    public static final String SERVER_JIT = "server_jit_pct";
    /**
     * Metric: time the load generator's threads waited for their CPU over the measured interval, in percent: the
     * sign of other processes competing on a shared machine.
     */
    public static final String GENERATOR_WAIT = "gen_wait_pct";
    /**
     * Metric: CPU time the hypervisor took from the machine over the measured interval, in percent of one core
     * (summed over the machine's CPUs).
     */
    public static final String STEAL = "steal_pct";
    /**
     * Metric of the fixed-rate scenario: how many servers took turns in the measurement (1: measured alone). With
     * more, every stall of the machine fell on all of them alike.
     */
    public static final String INTERLEAVED = "servers_interleaved";
    /** Metric: how many echoes (or deliveries, or handshakes) were received and checked, warm-up included. */
    public static final String VERIFIED = "verified";
    /** Metric: how many of those had their payload compared byte for byte. */
    public static final String SAMPLED = "sampled";

    /** @return a copy of the metrics with {@code errors} added, for writing out */
    public Map<String, Double> allFigures() {
        Map<String, Double> all = new LinkedHashMap<>(metrics);
        all.put("errors", (double) errors);
        return all;
    }
}
