package io.sockwave.bench.peers.load;

/**
 * Resident memory per idle connection: the server's RSS before and after {@code idleConnections} connections are
 * opened and left idle, divided by their number, in a fresh server process. A warm-up of 2,000 connections, opened and
 * closed, first loads the classes and lets the JIT compile the handshake path.
 *
 * <p>Two waves are measured. The first (cold) is dominated by heap pages that the handshakes' garbage touches for
 * the first time: up to the young generation's size, about 50 MB with a 1 GB G1 heap, whatever the connections keep.
 * That cost is paid once per process, not per connection, and shrinks per connection as more are opened. So the
 * first wave is closed and a second wave of the same size is opened in the same process: its growth is what each
 * further idle connection costs a server that has run for a while (live objects, native memory, and heap pages that
 * garbage had not yet reached). Both are reported; the target is judged on the second.
 *
 * <p>The live heap after a full collection is read around the second wave too ({@link #measureWave}): what the idle
 * connections' objects really hold on the Java heap. A server that is not a JVM (uWebSockets.js under Node) has no
 * such figure: its cell stays empty.
 */
final class IdleMemoryScenario extends ConnectionScenario {
    private static final int WARMUP_CONNECTIONS = 2000;

    IdleMemoryScenario(LoadClient client, LoadSettings settings, long serverPid) {
        super(client, settings, serverPid);
    }

    @Override
    String id() {
        return "idle10k";
    }

    @Override
    public void echo(WsConnection c, boolean sampled) {
        c.problem("data frame received on an idle connection");
    }

    @Override
    void execute() throws InterruptedException {
        int n = settings.idleConnections();
        openConnections(Math.min(WARMUP_CONNECTIONS, n), "/echo", 64);
        closeAll();
        Thread.sleep(settings.settle().toMillis());

        long coldBefore = ProcStat.residentBytes(serverPid);
        if (!openIdle(n)) {
            return;
        }
        long coldAfter = ProcStat.residentBytes(serverPid);
        closeAll();
        Thread.sleep(settings.settle().toMillis());

        metrics.put("cold_rss_before_mib", coldBefore / 1048576.0);
        metrics.put("cold_rss_after_mib", coldAfter / 1048576.0);
        metrics.put("cold_bytes_per_conn", (coldAfter - coldBefore) / (double) n);
        if (!measureWave(n, () -> openIdle(n))) {
            return;
        }
        metrics.put(ScenarioResult.VERIFIED, (double) n);
    }

    /** Opens {@code n} connections, lets the server settle, and checks that every one of them is still open. */
    private boolean openIdle(int n) throws InterruptedException {
        openConnections(n, "/echo", 64);
        if (hasErrors()) {
            return false;
        }
        Thread.sleep(settings.settle().toMillis());
        return allStillOpen(n);
    }
}
