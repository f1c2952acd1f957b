package io.sockwave.bench.peers;

import io.sockwave.bench.peers.load.FixedRateScenario;
import io.sockwave.bench.peers.load.LoadClient;
import io.sockwave.bench.peers.load.LoadSettings;
import io.sockwave.bench.peers.load.ScenarioResult;
import io.sockwave.bench.peers.load.Scenarios;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rate --targets label:port:pid,... --rounds R --out results.tsv}: the fixed-rate latency scenario against
 * several running servers side by side, taking turns in short slices ({@link FixedRateScenario}), so that the
 * machine's stalls fall on all of them alike. Each server first gets {@code --server-warmup} seconds of unmeasured
 * load ({@link LoadCommand#warmUp}); then one line per figure, server and round is appended to the results file, as {@code load} writes
 * them.
 */
final class RateCommand {
    private RateCommand() {
    }

    static void run(Args args) throws IOException, InterruptedException {
        String host = args.string("host", "127.0.0.1");
        List<Target> targets = new ArrayList<>();
        for (String target : args.required("targets").split(",")) {
            targets.add(Target.parse(target));
        }
        int rounds = args.integer("rounds", 3);
        Duration slice = args.seconds("slice", FixedRateScenario.DEFAULT_SLICE);
        Duration serverWarmup = args.seconds("server-warmup", Duration.ofSeconds(1));
        Path out = Path.of(args.required("out"));
        LoadSettings settings = LoadCommand.settings(args);
        args.checkAllRead();

        try (LoadClient first = new LoadClient(host, targets.get(0).port())) {
            LoadCommand.requireEpoll(first);
            List<LoadClient> clients = new ArrayList<>();
            List<Long> pids = new ArrayList<>();
            for (Target t : targets) {
                LoadClient client = clients.isEmpty() ? first : first.sibling(host, t.port());
                clients.add(client);
                pids.add(t.pid());
                if (!serverWarmup.isZero()) {
                    LoadCommand.warmUp(client, t.pid(), settings, serverWarmup, 0, t.label());
                }
            }
            long started = System.nanoTime();
            List<List<ScenarioResult>> results = FixedRateScenario.interleaved(clients, pids, settings, rounds, slice);
            for (int i = 0; i < targets.size(); i++) {
                for (int r = 0; r < rounds; r++) {
                    ScenarioResult result = results.get(i).get(r);
                    LoadCommand.append(out, r + 1, targets.get(i).label(), result);
                    System.out.printf("round %d %-14s %-10s %s%s%n", r + 1, targets.get(i).label(),
                            Scenarios.FIXED_RATE, LoadCommand.headline(result.metrics()),
                            result.errors() == 0 ? "" : "  ERRORS " + result.errors() + ": " + result.firstError());
                }
            }
            System.out.printf("%d servers interleaved in %.1f s%n", targets.size(), (System.nanoTime() - started) / 1e9);
        }
    }

    /**
     * One server to measure.
     *
     * @param label its name in the report
     * @param port its port on the host
     * @param pid its process id, for its CPU time
     */
    private record Target(String label, int port, long pid) {
        static Target parse(String text) {
            String[] parts = text.split(":");
            if (parts.length != 3) {
                throw new IllegalArgumentException("a target is label:port:pid, got " + text);
            }
            return new Target(parts[0], Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
        }
    }
}
