package io.sockwave.bench.peers.load;

import java.util.List;

/**
 * How a server's costs grow with the number of open connections, at each of several levels (say 10,000, 25,000,
 * 50,000 and 100,000), in two passes over the same levels. The memory pass opens connections on {@code /broadcast}
 * in steps up to each level and holds them, reading the server's RSS and, for a JVM, its live heap after a full
 * collection at each level, with no other load in between: what accumulating that many connections costs. Then all
 * are closed, and the throughput pass opens them again in steps, measuring at each level a broadcast to every open
 * connection (deliveries/s) and connection churn beside them (handshakes/s, {@link HandshakeScenario}). Every
 * figure carries its level in its name, such as {@code rss_mib_25000}; {@code rss_before_mib} is the RSS before the
 * first step.
 *
 * <p>Above {@link Scenarios#SCALE_ONE_SOURCE} connections they are bound to several loopback source addresses in turn
 * (see {@link LoadClient#boundTo}), since one address gives a server's port only as many connections as the ephemeral
 * port range holds.
 */
final class ScaleScenario extends BroadcastScenario {
    /** The scenario's id. */
    static final String ID = "scale";

    private final List<Integer> levels;

    /**
     * @param client the generator's transport, bound to the source addresses the connections spread over
     * @param settings durations; the broadcast window and handshake concurrency
     * @param serverPid the server's process id
     * @param levels connection counts, ascending
     */
    ScaleScenario(LoadClient client, LoadSettings settings, long serverPid, List<Integer> levels) {
        super(client, settings, serverPid);
        for (int i = 1; i < levels.size(); i++) {
            if (levels.get(i) <= levels.get(i - 1)) {
                throw new IllegalArgumentException("levels must ascend: " + levels);
            }
        }
        this.levels = List.copyOf(levels);
    }

    @Override
    String id() {
        return ID;
    }

    @Override
    void execute() throws InterruptedException {
        if (memoryPass() && throughputPass()) {
            metrics.put(ScenarioResult.VERIFIED, (double) levels.get(levels.size() - 1));
        }
    }

    private boolean memoryPass() throws InterruptedException {
        boolean jvm = HeapProbe.isJvm(serverPid);
        if (jvm) {
            // Before the first RSS reading: jcmd's first attach and the full collection grow the RSS by megabytes
            // of their own, which would otherwise count against the first step's connections.
            metrics.put("live_heap_before_mib", HeapProbe.liveHeapBytes(serverPid) / 1048576.0);
        }
        metrics.put("rss_before_mib", ProcStat.residentBytes(serverPid) / 1048576.0);
        for (int level : levels) {
            if (!openTo(level)) {
                return false;
            }
            Thread.sleep(settings.settle().toMillis());
            metrics.put("rss_mib_" + level, ProcStat.residentBytes(serverPid) / 1048576.0);
            if (jvm) {
                metrics.put("live_heap_mib_" + level, HeapProbe.liveHeapBytes(serverPid) / 1048576.0);
            }
        }
        closeAll();
        Thread.sleep(settings.settle().toMillis());
        return !hasErrors();
    }

    private boolean throughputPass() throws InterruptedException {
        for (int level : levels) {
            if (!openTo(level)) {
                return false;
            }
            Interval broadcast = measureBroadcast();
            if (broadcast == null) {
                return false;
            }
            recordRate("deliveries_per_s_" + level, broadcast, broadcast.perSecond());
            ScenarioResult churn = new HandshakeScenario(client, settings, serverPid).run();
            if (churn.errors() > 0) {
                error("handshakes beside " + level + " open connections: " + churn.firstError());
                return false;
            }
            metrics.put("handshakes_per_s_" + level, churn.metrics().get("handshakes_per_s"));
            metrics.put("handshakes_per_server_cpu_s_" + level, churn.metrics().get("handshakes_per_server_cpu_s"));
            if (!allStillOpen(level)) {
                return false;
            }
        }
        return true;
    }

    private boolean openTo(int level) throws InterruptedException {
        openConnections(level - client.onLoop(connections::size), "/broadcast", 64);
        return !hasErrors();
    }
}
