package io.sockwave.bench.peers.report;

import io.sockwave.bench.peers.load.ScenarioResult;
import io.sockwave.bench.peers.load.Scenarios;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes a run as Markdown: the headline table with ratios and the A/A check, CPU use, targets, errors. */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    /**
     * @param report the run
     * @param machine the machine's description
     * @param settings how the run was made (rounds, durations, JVM flags), in display order
     * @return the Markdown text
     */
    public static String write(Report report, Map<String, Object> machine, Map<String, String> settings) {
        Lineup lineup = report.lineup();
        StringBuilder md = new StringBuilder();
        md.append("# Peer benchmark: ").append(String.join(", ", lineup.labels())).append("\n\n");
        md.append("Machine: ").append(machine.get("cpu")).append(", ").append(machine.get("cores"))
                .append(" cores, ").append(machine.get("memory")).append(", ").append(machine.get("kernel"))
                .append(", ").append(machine.get("os")).append(", ").append(machine.get("jdk")).append(".\n\n");
        settings.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append('\n');

        List<Metric> aaFailures = report.aaFailures();
        if (lineup.aaTwin() == null) {
            md.append("> No A/A pair in this run: differences below the machine's drift cannot be told apart.\n\n");
        } else if (aaFailures.isEmpty()) {
            md.append("A/A check passed: ").append(lineup.aaOriginal()).append(" and ").append(lineup.aaTwin())
                    .append(" (the same server, measured twice per round) agree within 10 % on every row.\n\n");
        } else {
            md.append("> **WARNING: A/A CHECK FAILED.** ").append(lineup.aaOriginal()).append(" and ")
                    .append(lineup.aaTwin()).append(" (the same server, measured twice per round) differ by more")
                    .append(" than 10 % on ").append(aaFailures.size()).append(" row(s), marked (!) below. The")
                    .append(" machine drifted during the run: ratios on those rows are not to be trusted.\n\n");
        }

        figureTable(md, report, Metric.HEADLINE);
        md.append("\nEach cell: median over the rounds (min-max across rounds). Ratios are Sockwave's median divided")
                .append(" by the peer's: above 1.00x is better where higher is better, below 1.00x where lower is")
                .append(" better. `>=` marks a throughput measured while the load generator used ")
                .append((int) Cell.SATURATED_CPU_PERCENT).append(" % or more of its CPU (the server may be")
                .append(" faster than shown; `<=` likewise for latency), and `*` a ratio involving such a cell.")
                .append(" `[k/n failed]`: rounds with errors, left out of the figures.\n\n");
        sideBySideNote(md, report);

        md.append("## Work per server CPU-second\n\n")
                .append("The rates above divided by the server's CPU use over the same interval, less the CPU of its")
                .append(" JIT compiler threads (a warm-up cost that ends once the JIT has compiled the scenario's")
                .append(" paths): the cost of the work itself, less disturbed than the rates by other processes of a")
                .append(" shared machine (but blind to a server that cannot use all of its CPU).\n\n");
        figureTable(md, report, Metric.EFFICIENCY);
        md.append('\n');

        md.append("## CPU use over the measured interval\n\n")
                .append("Median percent of one core: server CPU (run-queue wait; of the CPU, the JIT compiler's")
                .append(" share) / load generator CPU (run-queue wait). The wait is the time a process's threads were ready to run while something else")
                .append(" held their CPU, summed over threads: other processes of the machine, or for the server its")
                .append(" own threads competing for its one CPU.\n\n");
        double worstWait = report.results().samples().stream()
                .filter(x -> x.metric().equals(ScenarioResult.GENERATOR_WAIT))
                .mapToDouble(Sample::value).max().orElse(0);
        if (worstWait >= Report.CONTENTION_WAIT_PERCENT) {
            md.append(String.format("> **Contention:** the load generator's threads waited for their CPU up to"
                    + " %.0f %% of a measured interval (summed over threads): other processes competed for the"
                    + " machine, so the rates measure them too.\n\n", worstWait));
        }
        List<String> cpuHeader = new ArrayList<>(List.of("scenario"));
        cpuHeader.addAll(lineup.labels());
        List<List<String>> cpuRows = new ArrayList<>();
        for (String scenario : Scenarios.ALL_WITH_TLS) {
            if (Scenarios.FRESH_SERVER.contains(scenario)) {
                continue;
            }
            List<String> row = new ArrayList<>(List.of(scenario));
            for (String label : lineup.labels()) {
                Cell server = report.results().cell(label, scenario, ScenarioResult.SERVER_CPU);
                Cell gen = report.results().cell(label, scenario, ScenarioResult.GENERATOR_CPU);
                Cell serverWait = report.results().cell(label, scenario, ScenarioResult.SERVER_WAIT);
                Cell serverJit = report.results().cell(label, scenario, ScenarioResult.SERVER_JIT);
                Cell genWait = report.results().cell(label, scenario, ScenarioResult.GENERATOR_WAIT);
                row.add(server.hasValue() ? String.format("%.0f (%.0f; jit %.0f) / %.0f (%.0f)", server.median(),
                        serverWait.median(), serverJit.median(), gen.median(), genWait.median()) : "-");
            }
            cpuRows.add(row);
        }
        table(md, cpuHeader, cpuRows);
        double[] steal = samples(report, ScenarioResult.STEAL);
        if (steal.length > 0) {
            md.append(String.format("%nHypervisor steal over the measured intervals (CPU time the host gave to other"
                    + " guests while this machine had work, percent of one core summed over its CPUs): median %.1f,"
                    + " max %.1f. Steal stalls the server or the generator for milliseconds at a time, which a"
                    + " latency tail shows first.%n", steal[steal.length / 2], steal[steal.length - 1]));
        }

        md.append("\n## Targets\n\n");
        if (!aaFailures.isEmpty()) {
            md.append("(The A/A check failed: read these verdicts with the warning above in mind.)\n\n");
        }
        List<List<String>> targetRows = new ArrayList<>();
        for (Targets.Outcome o : Targets.check(report)) {
            targetRows.add(List.of(o.target(), o.measured(), o.verdict()));
        }
        table(md, List.of("target", "measured (medians)", "verdict"), targetRows);

        List<String> errors = new ArrayList<>();
        for (String label : lineup.labels()) {
            for (String scenario : Scenarios.ALL_WITH_TLS) {
                Cell c = report.results().cell(label, scenario, "errors");
                if (c.failedRounds() > 0) {
                    errors.add("- " + label + " " + scenario + ": " + c.failedRounds() + " of " + c.rounds()
                            + " rounds failed; first error: " + c.firstError());
                }
            }
        }
        if (!errors.isEmpty()) {
            md.append("\n## Errors\n\n").append(String.join("\n", errors)).append('\n');
        }
        return md.toString();
    }

    private static void figureTable(StringBuilder md, Report report, List<Metric> metrics) {
        Lineup lineup = report.lineup();
        List<String> header = new ArrayList<>(List.of("figure", "unit", "better"));
        header.addAll(lineup.labels());
        if (lineup.aaTwin() != null) {
            header.add("A/A diff");
        }
        for (String peer : lineup.peers()) {
            header.add(lineup.baseline() + " / " + peer);
        }
        List<List<String>> rows = new ArrayList<>();
        for (Metric m : metrics) {
            List<String> row = new ArrayList<>();
            row.add((report.aaAgrees(m) ? "" : "(!) ") + m.title());
            row.add(m.unit());
            row.add(m.higherIsBetter() ? "higher" : "lower");
            for (String label : lineup.labels()) {
                row.add(cellText(report.cell(label, m), m));
            }
            if (lineup.aaTwin() != null) {
                row.add((report.aaAgrees(m) ? "" : "(!) ") + Format.percent(report.aaDifference(m)));
            }
            for (String peer : lineup.peers()) {
                boolean bound = report.cell(lineup.baseline(), m).lowerBound() || report.cell(peer, m).lowerBound();
                row.add(Format.ratio(report.ratio(m, peer)) + (bound ? " *" : ""));
            }
            rows.add(row);
        }
        table(md, header, rows);
    }

    private static String cellText(Cell c, Metric m) {
        if (c.rounds() == 0) {
            return "-";
        }
        if (!c.hasValue()) {
            // No value without a failed round: a figure this server does not have (Node has no Java heap).
            return c.failedRounds() > 0 ? "ERR" : "-";
        }
        String mark = c.lowerBound() ? (m.higherIsBetter() ? ">=" : "<=") : "";
        String text = mark + Format.number(c.median());
        if (c.values().size() > 1) {
            text += " (" + Format.number(c.min()) + "-" + Format.number(c.max()) + ")";
        }
        if (c.failedRounds() > 0) {
            text += " [" + c.failedRounds() + "/" + c.rounds() + " failed]";
        }
        return text;
    }

    /**
     * Explains the fixed-rate rows when the servers were measured side by side: the stalls in every server's figures,
     * and how large the generator's share of them was.
     */
    private static void sideBySideNote(StringBuilder md, Report report) {
        double[] servers = samples(report, ScenarioResult.INTERLEAVED);
        if (servers.length == 0 || servers[servers.length - 1] <= 1) {
            return;
        }
        double[] late = samples(report, "late_p99_us");
        md.append(String.format("The fixed-rate rows were measured with the %.0f servers running side by side, taking"
                + " turns one millisecond tick at a time: a stall of the host or of the load generator fell on all of"
                + " them alike. Their absolute tails include such stalls (the generator's own lateness in sending"
                + " had a median p99 of %s us), so they are no server's alone; the ratios compare the servers under"
                + " the same stalls, and are not marked as bounds.%n%n", servers[servers.length - 1],
                Format.number(late.length == 0 ? Double.NaN : late[late.length / 2])));
        List<String> pairs = new ArrayList<>();
        for (Metric m : Metric.HEADLINE) {
            if (!m.scenario().equals(Scenarios.FIXED_RATE)) {
                continue;
            }
            List<String> byPeer = new ArrayList<>();
            for (String peer : report.lineup().peers()) {
                Report.Paired p = report.paired(m, peer);
                if (p != null) {
                    byPeer.add(String.format("%.2fx %s (lower in %d of %d)", p.geometricMean(), peer, p.lower(),
                            p.rounds()));
                }
            }
            if (!byPeer.isEmpty()) {
                pairs.add("- " + m.title() + ": " + String.join(", ", byPeer));
            }
        }
        if (!pairs.isEmpty()) {
            md.append("Paired round by round, as the side-by-side rounds allow (Sockwave's figure over the peer's in"
                    + " the same round, geometric mean over the rounds, and in how many rounds Sockwave's was the"
                    + " lower):\n\n").append(String.join("\n", pairs)).append("\n\n");
        }
    }

    private static double[] samples(Report report, String metric) {
        return report.results().samples().stream().filter(x -> x.metric().equals(metric))
                .mapToDouble(Sample::value).sorted().toArray();
    }

    static void table(StringBuilder md, List<String> header, List<List<String>> rows) {
        md.append("| ").append(String.join(" | ", header)).append(" |\n|");
        md.append(" --- |".repeat(header.size())).append('\n');
        for (List<String> row : rows) {
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
    }
}
