package io.sockwave.bench.peers.report;

import io.sockwave.bench.peers.load.Scenarios;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Sockwave's performance targets, checked against a run. */
final class Targets {
    /** Target RSS per idle connection, in bytes (2.5 KB). */
    static final double MAX_BYTES_PER_IDLE_CONNECTION = 2500;

    /**
     * One target's outcome.
     *
     * @param target what was aimed at
     * @param measured what the run shows
     * @param verdict {@code met}, {@code MISSED} or {@code no data}
     */
    record Outcome(String target, String measured, String verdict) {
    }

    private Targets() {
    }

    /**
     * @param report the run
     * @return each target's outcome, in the order the issues list them
     */
    static List<Outcome> check(Report report) {
        List<Outcome> out = new ArrayList<>();
        out.add(relative(report, metric(Scenarios.ECHO_32_W16), "netty", 1.0, "32 B echo, 16 in flight >= 1.0x Netty"));
        out.add(relative(report, metric(Scenarios.ECHO_32_W16), "jetty", 5.0, "32 B echo, 16 in flight >= 5x Jetty"));
        out.add(relative(report, metric(Scenarios.ECHO_32_W1), "netty", 1.0, "32 B echo, 1 in flight >= Netty"));
        out.add(relative(report, metric(Scenarios.ECHO_16K), "netty", 1.0, "16 KiB echo throughput >= Netty"));
        out.add(relative(report, metric(Scenarios.FIXED_RATE, "p99_us"), "netty", 1.0,
                "fixed-rate p99 no worse than Netty"));
        out.add(relative(report, metric(Scenarios.FIXED_RATE, "p999_us"), "netty", 1.0,
                "fixed-rate p99.9 no worse than Netty"));
        out.add(relative(report, metric(Scenarios.HANDSHAKE), "netty", 1.0, "handshakes/s >= Netty"));
        // On two CPUs the generator runs out of CPU before any server does (loopback puts much of both ends' TCP
        // work on the sender's CPU), so the rate above is a bound; the server's cost per handshake still compares.
        // Both servers' costs are taken at the load the same generator offered them, so a saturated generator
        // does not make the comparison one-sided (it would for a rate).
        out.add(relative(report, efficiency(Scenarios.HANDSHAKE), "netty", 1.0,
                "handshakes per server CPU-second >= Netty (stands in for the rate while the generator is the limit)",
                false));
        Cell idle = report.cell(report.lineup().baseline(), metric(Scenarios.IDLE_MEMORY, "bytes_per_conn"));
        out.add(new Outcome("RSS per idle connection (warm heap) <= 2.5 KB",
                idle.hasValue() ? Format.number(idle.median()) + " B" : "-",
                !idle.hasValue() ? "no data" : idle.median() <= MAX_BYTES_PER_IDLE_CONNECTION ? "met" : "MISSED"));
        out.add(relative(report, metric(Scenarios.BROADCAST), "netty", 1.0, "broadcast deliveries/s >= Netty"));
        // Issue #20 (performance round two) adds uWebSockets.js as the bar and raises the one against Netty. Costs
        // per server CPU-second, like the handshakes', are taken at the load the generator offered each server.
        out.add(relative(report, metric(Scenarios.ECHO_32_W16), "uwebsockets", 1.0,
                "#20: 32 B echo, 16 in flight, msg/s >= 1.0x uWebSockets"));
        out.add(relative(report, metric(Scenarios.ECHO_32_W16), "netty", 1.2,
                "#20: 32 B echo, 16 in flight, msg/s >= 1.2x the faster Netty"));
        out.add(relative(report, efficiency(Scenarios.ECHO_32_W16), "uwebsockets", 1.0,
                "#20: 32 B echo, 16 in flight, msg per server CPU-s >= 1.0x uWebSockets", false));
        out.add(relative(report, efficiency(Scenarios.ECHO_32_W16), "netty", 1.2,
                "#20: 32 B echo, 16 in flight, msg per server CPU-s >= 1.2x the faster Netty", false));
        out.add(relative(report, efficiency(Scenarios.ECHO_16K), "uwebsockets", 1.0,
                "#20: 16 KiB echo, MB per server CPU-s >= 1.0x uWebSockets", false));
        out.add(relative(report, efficiency(Scenarios.BROADCAST), "uwebsockets", 1.0,
                "#20: broadcast to 1,000, deliveries per server CPU-s >= 1.0x uWebSockets", false));
        out.addAll(TlsTargets.check(report));
        compression(report, out);
        return out;
    }

    /**
     * Issue #20's compression rows: the compressed chat echo per server CPU-second, with and without context
     * takeover, at least Netty's and ws's; RSS per idle compressed connection no more than the lower of the two
     * (one row per peer: both met is "at most the lower").
     */
    private static void compression(Report report, List<Outcome> out) {
        for (String scenario : List.of(Scenarios.DEFLATE_CHAT, Scenarios.DEFLATE_CHAT_NCT)) {
            String mode = scenario.equals(Scenarios.DEFLATE_CHAT) ? "takeover" : "no takeover";
            out.add(relative(report, efficiency(scenario), "netty", 1.0,
                    "#20: deflate chat echo (" + mode + "), msg per server CPU-s >= 1.0x Netty", false));
            out.add(relative(report, efficiency(scenario), "ws", 1.0,
                    "#20: deflate chat echo (" + mode + "), msg per server CPU-s >= 1.0x ws", false));
        }
        for (String scenario : List.of(Scenarios.IDLE_DEFLATE, Scenarios.IDLE_DEFLATE_NCT)) {
            String mode = scenario.equals(Scenarios.IDLE_DEFLATE) ? "takeover" : "no takeover";
            Metric rss = metric(scenario, "bytes_per_conn");
            out.add(relative(report, rss, "netty", 1.0,
                    "#20: RSS per idle deflate connection (" + mode + ") <= Netty"));
            out.add(relative(report, rss, "ws", 1.0, "#20: RSS per idle deflate connection (" + mode + ") <= ws"));
        }
    }

    private static Metric metric(String scenario) {
        return Metric.HEADLINE.stream().filter(m -> m.scenario().equals(scenario)).findFirst().orElseThrow();
    }

    private static Metric efficiency(String scenario) {
        return Metric.EFFICIENCY.stream().filter(m -> m.scenario().equals(scenario)).findFirst().orElseThrow();
    }

    private static Metric metric(String scenario, String key) {
        return Metric.HEADLINE.stream().filter(m -> m.scenario().equals(scenario) && m.key().equals(key))
                .findFirst().orElseThrow();
    }

    /**
     * A target relative to the best peer of a kind: for a higher-is-better figure Sockwave's ratio must be at least
     * {@code factor}, for a lower-is-better one at most {@code 1 / factor}.
     */
    private static Outcome relative(Report report, Metric metric, String kind, double factor, String target) {
        return relative(report, metric, kind, factor, target, true);
    }

    private static Outcome relative(Report report, Metric metric, String kind, double factor, String target,
            boolean boundsDecideNothing) {
        String peer = report.bestPeer(metric, kind);
        double ratio = peer == null ? Double.NaN : report.ratio(metric, peer);
        if (Double.isNaN(ratio)) {
            return new Outcome(target, "-", "no data");
        }
        boolean met = metric.higherIsBetter() ? ratio >= factor : ratio <= 1 / factor;
        // A bound cell can only be wrong in one direction: Sockwave's own bound cannot turn a "met" into a miss, nor
        // the peer's a miss into a "met"; the other two cases decide nothing.
        boolean undecided = boundsDecideNothing && (met ? report.cell(peer, metric).lowerBound()
                : report.cell(report.lineup().baseline(), metric).lowerBound());
        String measured = String.format(Locale.ROOT, "%s vs %s %s: %s", Format.number(
                report.cell(report.lineup().baseline(), metric).median()), peer,
                Format.number(report.cell(peer, metric).median()), Format.ratio(ratio));
        String verdict = met ? "met" : "MISSED";
        return new Outcome(target, measured, undecided ? "inconclusive (" + verdict + " on bound figures)" : verdict);
    }
}
