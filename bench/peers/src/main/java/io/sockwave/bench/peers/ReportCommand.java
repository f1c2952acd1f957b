package io.sockwave.bench.peers;

import io.sockwave.bench.peers.report.JsonReport;
import io.sockwave.bench.peers.report.Lineup;
import io.sockwave.bench.peers.report.MachineInfo;
import io.sockwave.bench.peers.report.MarkdownReport;
import io.sockwave.bench.peers.report.Report;
import io.sockwave.bench.peers.report.Results;
import io.sockwave.bench.peers.report.ScaleReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code report --in results.tsv --out-dir bench/results --servers "..."}: summarises a run into
 * {@code <name>.md} and {@code <name>.json}, prints the Markdown, and warns on standard error when the A/A check
 * failed.
 */
final class ReportCommand {
    private ReportCommand() {
    }

    static void run(Args args) throws Exception {
        Path in = Path.of(args.required("in"));
        Path outDir = Path.of(args.required("out-dir"));
        String servers = args.required("servers");
        Lineup lineup = Lineup.parse(servers, args.string("baseline", "sockwave"));
        String name = args.string("name",
                "peers-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("date", LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16));
        settings.put("rounds", args.string("rounds", "?") + ", server order rotated each round: " + servers);
        settings.put("per cell", args.string("warmup", "?") + " s warm-up, " + args.string("measure", "?")
                + " s measured (idle memory: " + args.string("idle-connections", "?") + " connections, "
                + args.string("settle", "?") + " s settle)");
        String rateServers = args.string("rate-servers", "");
        String rateMeasure = args.string("rate-measure", "?");
        if (!rateServers.isBlank()) {
            settings.put("fixed rate", rateServers + " running at once on the same CPU, taking"
                    + " turns one millisecond tick (10 messages) at a time, every server once per cycle in a shuffled"
                    + " order; " + rateMeasure + " s of turns per server and round, after "
                    + args.string("warmup", "?") + " s of turns each");
        }
        settings.put("server JVM", "`" + args.string("server-jvm", "?") + "`, pinned to CPU "
                + args.string("server-cpu", "0") + " (taskset), a fresh process per server and round (for the"
                + " fixed rate, per server), idle memory measured first");
        String node = args.string("node-version", "");
        if (!node.isBlank() && lineup.kinds().containsValue("ws-node")) {
            settings.put("ws", "npm `ws` 8.23.0 under Node " + node + " with its default flags, pinned like the JVMs;"
                    + " permessage-deflate with threshold 0 (see bench/peers/README.md)");
        }
        if (!node.isBlank() && lineup.kinds().containsValue("uwebsockets")) {
            settings.put("uWebSockets.js", "npm `uwebsockets` 3.0.6 (see bench/peers/README.md) under Node " + node
                    + " with its default flags, pinned like the JVMs");
        }
        settings.put("load generator", "Netty epoll, one event loop, `"
                + args.string("load-jvm", "?") + "`, pinned to CPU " + args.string("load-cpu", "1")
                + "; for the handshakes a generator of its own, `" + args.string("handshake-load-jvm", "?")
                + "` (C1 only: C2's recompiling took half the CPU of a fresh generator), after "
                + args.string("handshake-warmup", "?") + " s of unmeasured handshakes");
        args.checkAllRead();

        Report report = new Report(Results.read(in), lineup);
        Map<String, Object> machine = MachineInfo.describe();
        ScaleReport scale = new ScaleReport(report);
        String plot = name + "-scale.svg";
        String markdown = MarkdownReport.write(report, machine, settings) + scale.markdown(plot);
        Files.createDirectories(outDir);
        if (scale.present()) {
            Files.writeString(outDir.resolve(plot), scale.svg(), StandardCharsets.UTF_8);
        }
        Files.writeString(outDir.resolve(name + ".md"), markdown, StandardCharsets.UTF_8);
        Files.writeString(outDir.resolve(name + ".json"), JsonReport.write(report, machine, settings),
                StandardCharsets.UTF_8);
        System.out.println(markdown);
        System.out.println("wrote " + outDir.resolve(name + ".md") + " and " + outDir.resolve(name + ".json"));
        if (!report.aaFailures().isEmpty()) {
            System.err.println("WARNING: the A/A check failed (" + lineup.aaOriginal() + " vs " + lineup.aaTwin()
                    + " differ by more than 10 % on " + report.aaFailures().size()
                    + " row(s)); do not trust the ratios of this run.");
        }
    }
}
