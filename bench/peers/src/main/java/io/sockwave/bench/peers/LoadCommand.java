package io.sockwave.bench.peers;

import io.sockwave.bench.peers.load.LoadClient;
import io.sockwave.bench.peers.load.LoadSettings;
import io.sockwave.bench.peers.load.ScenarioResult;
import io.sockwave.bench.peers.load.Scenarios;
import io.sockwave.bench.peers.report.Sample;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code load --port P --server-pid PID --label L --round R --scenarios a,b --out results.tsv}: drives a running
 * server through scenarios, one after another, and appends one line per figure to the results file. Unless
 * {@code --server-warmup 0}, unmeasured load warms the server's JIT before the first scenario other than
 * idle memory (which, listed first, gets a server that has done nothing yet).
 */
final class LoadCommand {
    /** The workloads that warm a server for the scenarios without compression. */
    private static final List<String> PLAIN_WARM_UP = List.of(Scenarios.ECHO_32_W1, Scenarios.ECHO_32_W16,
            Scenarios.ECHO_16K, Scenarios.BROADCAST);

    private LoadCommand() {
    }

    static void run(Args args) throws IOException, InterruptedException {
        String host = args.string("host", "127.0.0.1");
        int port = Integer.parseInt(args.required("port"));
        long serverPid = Long.parseLong(args.required("server-pid"));
        String label = args.required("label");
        int round = args.integer("round", 1);
        List<String> scenarios = List.of(args.string("scenarios", String.join(",", Scenarios.ALL.stream()
                .filter(id -> !Scenarios.DEFLATE.contains(id)).toList())).split(","));
        Path out = Path.of(args.required("out"));
        Duration serverWarmup = args.seconds("server-warmup", Duration.ofSeconds(1));
        LoadSettings settings = settings(args);
        List<Integer> scaleLevels = Arrays.stream(args.string("scale-levels", "10000,25000,50000,100000").split(","))
                .map(Integer::valueOf).toList();
        args.checkAllRead();

        try (LoadClient client = new LoadClient(host, port)) {
            requireEpoll(client);
            boolean warmed = serverWarmup.isZero();
            for (String scenario : scenarios) {
                if (!warmed && Scenarios.TLS.contains(scenario)) {
                    // A wss:// server serves nothing else: unmeasured 16 KiB echoes over TLS. The TLS handshakes
                    // run in a generator of their own with their own warm-up, as the plain ones do.
                    warmUp(client, serverPid, settings, serverWarmup, round, label, List.of(Scenarios.TLS_16K));
                    warmed = true;
                }
                if (!warmed && !Scenarios.FRESH_SERVER.contains(scenario)) {
                    warmUp(client, serverPid, settings, serverWarmup, round, label, warmUpWorkloads(scenarios));
                    warmed = true;
                }
                long started = System.nanoTime();
                ScenarioResult result = scenario.equals(Scenarios.SCALE)
                        ? Scenarios.scale(client, serverPid, settings, scaleLevels)
                        : Scenarios.run(scenario, client, serverPid, settings);
                append(out, round, label, result);
                System.out.printf("round %d %-14s %-10s %s%s (%.1f s)%n", round, label, scenario,
                        headline(result.metrics()),
                        result.errors() == 0 ? "" : "  ERRORS " + result.errors() + ": " + result.firstError(),
                        (System.nanoTime() - started) / 1e9);
            }
        }
    }

    /** @param client the generator's transport, which must be the native epoll one the benchmark is defined on */
    static void requireEpoll(LoadClient client) {
        if (!client.transport().equals("epoll")) {
            throw new IllegalStateException("the load generator runs on Netty's native epoll transport, which is not"
                    + " available here");
        }
    }

    /**
     * @param args the command line
     * @return the load settings it gives, {@link LoadSettings#DEFAULTS} for those it leaves out
     */
    static LoadSettings settings(Args args) {
        LoadSettings defaults = LoadSettings.DEFAULTS;
        return new LoadSettings(
                args.seconds("warmup", defaults.warmup()),
                args.seconds("measure", defaults.measure()),
                args.integer("connections", defaults.connections()),
                args.integer("idle-connections", defaults.idleConnections()),
                args.integer("broadcast-connections", defaults.broadcastConnections()),
                args.integer("broadcast-window", defaults.broadcastWindow()),
                args.integer("rate", defaults.rate()),
                args.integer("handshake-concurrency", defaults.handshakeConcurrency()),
                args.integer("sample-every", defaults.sampleEvery()),
                args.longValue("max-messages", defaults.maxMessages()),
                args.seconds("settle", defaults.settle()));
    }

    /**
     * Runs unmeasured load, so that the server's measured cells do not pay for its JIT compilation: a share of the
     * time in each of the echo workloads and broadcast, the order the cells come in. A warm-up on one workload
     * alone left Netty's C2 compiler with up to half of the server's CPU in the later 16 KiB and broadcast cells,
     * whose paths it then met for the first time. It comes after the idle-memory scenario, which wants a server
     * that has done nothing yet.
     */
    static void warmUp(LoadClient client, long serverPid, LoadSettings settings, Duration length, int round,
            String label) throws InterruptedException {
        warmUp(client, serverPid, settings, length, round, label, PLAIN_WARM_UP);
    }

    /** As {@link #warmUp(LoadClient, long, LoadSettings, Duration, int, String)}, on the given workloads. */
    static void warmUp(LoadClient client, long serverPid, LoadSettings settings, Duration length, int round,
            String label, List<String> workloads) throws InterruptedException {
        LoadSettings warm = new LoadSettings(Duration.ZERO, length.dividedBy(workloads.size()),
                settings.connections(), settings.idleConnections(), settings.broadcastConnections(),
                settings.broadcastWindow(), settings.rate(), settings.handshakeConcurrency(), settings.sampleEvery(),
                settings.maxMessages(), settings.settle());
        String errors = "";
        for (String workload : workloads) {
            ScenarioResult result = Scenarios.run(workload, client, serverPid, warm);
            if (result.errors() > 0) {
                errors += " " + workload + ": " + result.firstError();
            }
        }
        System.out.printf("round %d %-14s warm-up (not measured)%s%n", round, label,
                errors.isEmpty() ? "" : ": ERRORS" + errors);
    }

    /**
     * @param scenarios the scenarios of the run
     * @return the workloads that warm a server for them: the two compressed echoes when the run has only compression
     *     scenarios (on a server that negotiates deflate the others would warm paths those do not take), else the
     *     echoes and the broadcast, followed by the compressed echoes when the run has some
     */
    static List<String> warmUpWorkloads(List<String> scenarios) {
        List<String> deflate = List.of(Scenarios.DEFLATE_CHAT, Scenarios.DEFLATE_CHAT_NCT);
        if (Scenarios.DEFLATE.containsAll(scenarios)) {
            return deflate;
        }
        return scenarios.stream().anyMatch(Scenarios.DEFLATE::contains)
                ? Stream.concat(PLAIN_WARM_UP.stream(), deflate.stream()).toList() : PLAIN_WARM_UP;
    }

    static String headline(Map<String, Double> metrics) {
        StringBuilder line = new StringBuilder();
        metrics.forEach((name, value) -> {
            if (!name.equals(ScenarioResult.VERIFIED) && !name.equals(ScenarioResult.SAMPLED)) {
                line.append(String.format("%s=%.4g ", name, value));
            }
        });
        return line.toString().trim();
    }

    static void append(Path out, int round, String label, ScenarioResult result) throws IOException {
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            for (Map.Entry<String, Double> figure : result.allFigures().entrySet()) {
                w.write(new Sample(round, label, result.scenario(), figure.getKey(), figure.getValue(), null)
                        .toLine());
            }
            if (result.firstError() != null) {
                w.write(new Sample(round, label, result.scenario(), Sample.FIRST_ERROR, Double.NaN,
                        result.firstError()).toLine());
            }
        }
    }
}
