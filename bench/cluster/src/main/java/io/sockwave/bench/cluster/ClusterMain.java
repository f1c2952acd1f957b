package io.sockwave.bench.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster benchmark's entry point (bench/run-cluster.sh calls it).
 *
 * <pre>
 * run --system sockwave|socketio --nodes PORT:PID[:MEMFILE],... --redis-pid PID --out results.tsv [workload options]
 * report --in results.tsv --out-dir DIR --stamp STAMP [--notes TEXT]
 * </pre>
 */
public final class ClusterMain {
    private ClusterMain() {
    }

    /**
     * @param args the command and its options
     * @throws Exception when the run fails; the script reports it
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: run ... | report ...");
        }
        switch (args[0]) {
            case "run" -> run(new Options(args, 1));
            case "report" -> Report.write(new Options(args, 1));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    static void run(Options options) throws Exception {
        String system = options.text("system", null);
        ChatWire wire = switch (system) {
            case "sockwave" -> new SockwaveWire();
            case "socketio" -> new SocketIoWire();
            default -> throw new IllegalArgumentException("unknown system " + system);
        };
        List<Node> nodes = new ArrayList<>();
        for (String spec : options.text("nodes", null).split(",")) {
            String[] parts = spec.split(":");
            nodes.add(new Node(Integer.parseInt(parts[0]), Long.parseLong(parts[1]),
                    parts.length > 2 ? Path.of(parts[2]) : null));
        }
        long redisPid = Long.parseLong(options.text("redis-pid", null));
        Path out = Path.of(options.text("out", null));
        Settings settings = new Settings(
                options.integer("clients", 3000),
                options.integer("rooms", 10),
                options.integer("fixed-rate", 4000),
                options.number("warmup", 5),
                options.number("measure", 10),
                options.integers("ramp", "4000,10000,20000,40000,60000,80000,100000,130000,160000"),
                options.number("ramp-step", 3),
                options.number("ramp-limit-ms", 50),
                options.number("pause", 5),
                options.number("fault-lead", 3),
                options.number("fault-timeout", 30),
                options.integer("reconnect-jitter-ms", 1000),
                options.number("settle", 1));
        options.finish();
        Results results = new Results(out, system);
        results.put("settings", settings);
        try (Fleet fleet = new Fleet(wire, nodes, settings.rooms(), settings.reconnectJitterMillis())) {
            new ClusterRun(fleet, settings, results, redisPid).run();
        }
    }
}
