package io.sockwave.bench.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns a run's results file into bench/results/cluster-STAMP.md, .json and .svg (latency against offered rate).
 * Lines whose system is {@code run} describe the run (machine, versions, pinning) and are printed as they are.
 */
final class Report {
    static final String SOCKWAVE = "sockwave";
    static final String PEER = "socketio";

    private final Map<String, Map<String, String>> figures = new LinkedHashMap<>();

    private Report(List<String> lines) {
        for (String line : lines) {
            String[] parts = line.split("\t", 3);
            if (parts.length == 3) {
                figures.computeIfAbsent(parts[0], k -> new LinkedHashMap<>()).put(parts[1], parts[2]);
            }
        }
    }

    static void write(Options options) throws IOException {
        Path in = Path.of(options.text("in", null));
        Path dir = Path.of(options.text("out-dir", null));
        String stamp = options.text("stamp", null);
        options.finish();
        Report report = new Report(Files.readAllLines(in, StandardCharsets.UTF_8));
        Files.createDirectories(dir);
        String base = "cluster-" + stamp;
        Files.writeString(dir.resolve(base + ".svg"), new LatencyPlot(report.rampSeries()).svg());
        Files.writeString(dir.resolve(base + ".json"), report.json(stamp));
        String markdown = report.markdown(stamp, base + ".svg");
        Files.writeString(dir.resolve(base + ".md"), markdown);
        System.out.print(markdown);
    }

    /** @return the figure, or NaN when the system did not get that far */
    double number(String system, String key) {
        String value = figures.getOrDefault(system, Map.of()).get(key);
        try {
            return value == null ? Double.NaN : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private String text(String system, String key) {
        return figures.getOrDefault(system, Map.of()).getOrDefault(key, "n/a");
    }

    private List<String> systems() {
        List<String> systems = new ArrayList<>();
        for (String s : List.of(SOCKWAVE, PEER)) {
            if (figures.containsKey(s)) {
                systems.add(s);
            }
        }
        return systems;
    }

    /** @return per system, the ramp's points: offered rate, cross-node p50 and p99 in ms, achieved rate */
    Map<String, List<double[]>> rampSeries() {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        for (String system : systems()) {
            TreeSet<Integer> rates = new TreeSet<>();
            for (String key : figures.get(system).keySet()) {
                if (key.startsWith("ramp.") && key.endsWith(".offered")) {
                    rates.add(Integer.parseInt(key.substring(5, key.length() - 8)));
                }
            }
            List<double[]> points = new ArrayList<>();
            for (int rate : rates) {
                String p = "ramp." + rate;
                points.add(new double[] {rate, number(system, p + ".cross_p50_ms"), number(system, p + ".cross_p99_ms"),
                        number(system, p + ".achieved")});
            }
            series.put(system, points);
        }
        return series;
    }

    private String markdown(String stamp, String plot) {
        StringBuilder md = new StringBuilder();
        md.append("# Cluster benchmark ").append(stamp).append("\n\n");
        md.append("Three chat nodes and one redis-server on this machine, one load generator, rooms spanning the "
                + "nodes (issue #16). Sockwave: `sockwave serve --redis`; peer: Socket.IO 4 with "
                + "`@socket.io/redis-adapter` (bench/cluster/socketio/server.js). See bench/cluster/README.md for "
                + "what each figure means.\n\n");
        md.append("## Run\n\n");
        for (Map.Entry<String, String> e : figures.getOrDefault("run", Map.of()).entrySet()) {
            md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        for (String system : systems()) {
            md.append("- ").append(system).append(" settings: `").append(text(system, "settings")).append("`\n");
            md.append("- ").append(system).append(" load average (1, 5, 15 min): start ")
                    .append(text(system, "load.start")).append("; memory ").append(text(system, "load.memory"))
                    .append("; fixed rate ").append(text(system, "load.fixed")).append("; Redis pause ")
                    .append(text(system, "load.pause")).append("; node kill ").append(text(system, "load.kill"))
                    .append("; end ").append(text(system, "load.end")).append('\n');
        }
        md.append("\n## Against the targets\n\n");
        md.append("| measure | target | sockwave | socketio | sockwave / socketio | target met (sockwave) |\n");
        md.append("| --- | --- | --- | --- | --- | --- |\n");
        row(md, "cross-node p50 at " + fixedRate() + " deliveries/s (ms)", "<= 3", "fixed.cross_p50_ms", 3, true);
        row(md, "cross-node p99 at " + fixedRate() + " deliveries/s (ms)", "<= 20", "fixed.cross_p99_ms", 20, true);
        double best = number(SOCKWAVE, "ramp.best_deliveries_per_s");
        double peerBest = number(PEER, "ramp.best_deliveries_per_s");
        md.append("| most deliveries/s with cross-node p99 <= 50 ms | >= 100,000 and >= 2x the peer | ")
                .append(Format.count(best)).append(" | ").append(Format.count(peerBest)).append(" | ")
                .append(Format.ratio(best, peerBest)).append(" | ")
                .append(met(best >= 100_000 && best >= 2 * peerBest)).append(" |\n");
        double sustained = number(SOCKWAVE, "ramp.best_sustained_per_s");
        double peerSustained = number(PEER, "ramp.best_sustained_per_s");
        md.append("| most deliveries/s sustained (>= 90 % of the offered received) | | ")
                .append(Format.count(sustained)).append(" | ").append(Format.count(peerSustained)).append(" | ")
                .append(Format.ratio(sustained, peerSustained)).append(" | |\n");
        memoryRow(md, "RSS per idle connection (bytes)", "memory.rss_per_connection");
        memoryRow(md, "live heap per idle connection (bytes)", "memory.heap_per_connection");
        row(md, "node kill: every member back on another node (ms)", "", "kill.reconnected_ms", Double.NaN, true);
        row(md, "node kill: every member has everything it missed (ms)", "<= 10,000", "kill.caught_up_ms", 10_000,
                true);
        row(md, "node kill: deliveries its members never received", "0", "kill.lost_deliveries", 0, true);
        row(md, "Redis pause of 5 s: backlog drained after SIGCONT (ms)", "<= 2,000", "pause.drained_ms", 2_000,
                true);
        md.append("\nNot reached: not within the fault timeout. Without replay, a Socket.IO member "
                + "back on another node never receives what was said while it was away: its catch-up is "
                + "not reached and its losses are counted instead, three seconds after the last member was back. "
                + "That is the point of the comparison.\n");
        md.append("\n## Ramp: cross-node latency against offered rate\n\n![latency against offered rate](")
                .append(plot).append(")\n\n");
        md.append("| system | offered/s | achieved/s | p50 ms | p99 ms | p99.9 ms | max ms | load average |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Map.Entry<String, List<double[]>> e : rampSeries().entrySet()) {
            for (double[] point : e.getValue()) {
                String p = "ramp." + (int) point[0];
                md.append("| ").append(e.getKey()).append(" | ").append(Format.count(point[0])).append(" | ")
                        .append(Format.count(point[3])).append(" | ").append(Format.ms(point[1])).append(" | ")
                        .append(Format.ms(point[2])).append(" | ")
                        .append(Format.ms(number(e.getKey(), p + ".cross_p999_ms"))).append(" | ")
                        .append(Format.ms(number(e.getKey(), p + ".cross_max_ms"))).append(" | ")
                        .append(text(e.getKey(), p + ".loadavg")).append(" |\n");
            }
        }
        md.append("\n## Every figure\n\n| system | key | value |\n| --- | --- | --- |\n");
        for (String system : systems()) {
            for (Map.Entry<String, String> e : figures.get(system).entrySet()) {
                md.append("| ").append(system).append(" | ").append(e.getKey()).append(" | ")
                        .append(e.getValue().replace("|", "\\|")).append(" |\n");
            }
        }
        return md.toString();
    }

    private String fixedRate() {
        return Format.count(number(SOCKWAVE, "fixed.offered"));
    }

    private void row(StringBuilder md, String label, String target, String key, double limit, boolean atMost) {
        double mine = number(SOCKWAVE, key);
        double peer = number(PEER, key);
        boolean reached = !Double.isNaN(mine) && mine >= 0;
        String verdict = Double.isNaN(limit) ? "" : met(reached && (atMost ? mine <= limit : mine >= limit));
        md.append("| ").append(label).append(" | ").append(target).append(" | ").append(Format.figure(key, mine))
                .append(" | ").append(Format.figure(key, peer)).append(" | ").append(Format.ratio(mine, peer))
                .append(" | ").append(verdict).append(" |\n");
    }

    private void memoryRow(StringBuilder md, String label, String key) {
        double mine = number(SOCKWAVE, key);
        double peer = number(PEER, key);
        boolean rss = key.contains("rss");
        md.append("| ").append(label).append(" | ").append(rss ? "<= 4,096" : "").append(" | ")
                .append(Format.count(mine)).append(" | ").append(Format.count(peer)).append(" | ")
                .append(Format.ratio(mine, peer)).append(" | ").append(rss ? met(mine <= 4096) : "").append(" |\n");
    }

    private static String met(boolean met) {
        return met ? "met" : "**missed**";
    }

    private String json(String stamp) {
        StringBuilder json = new StringBuilder("{\n  \"stamp\": \"").append(stamp).append("\"");
        for (Map.Entry<String, Map<String, String>> system : figures.entrySet()) {
            json.append(",\n  \"").append(system.getKey()).append("\": {");
            String separator = "\n";
            for (Map.Entry<String, String> e : system.getValue().entrySet()) {
                json.append(separator).append("    \"").append(e.getKey()).append("\": ")
                        .append(jsonValue(e.getValue()));
                separator = ",\n";
            }
            json.append("\n  }");
        }
        return json.append("\n}\n").toString();
    }

    private static String jsonValue(String value) {
        if (value.matches("-?\\d+(\\.\\d+)?")) {
            return value;
        }
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Number formats of the report. */
    static final class Format {
        private Format() {
        }

        static String count(double value) {
            return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%,.0f", value);
        }

        static String number(double value) {
            if (Double.isNaN(value)) {
                return "n/a";
            }
            return Math.abs(value) >= 100 ? count(value) : String.format(Locale.ROOT, "%.2f", value);
        }

        /** @return the figure, or "not reached" for a time of -1 (the fault's timeout passed first) */
        static String figure(String key, double value) {
            return key.endsWith("_ms") && value < 0 ? "not reached" : number(value);
        }

        static String ms(double value) {
            return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.2f", value);
        }

        static String ratio(double mine, double peer) {
            if (Double.isNaN(mine) || Double.isNaN(peer) || peer <= 0 || mine < 0) {
                return "n/a";
            }
            return String.format(Locale.ROOT, "%.2f", mine / peer);
        }
    }
}
