package io.sockwave.bench.peers.load;

/**
 * Resident memory per idle connection: the server's RSS before and after {@code idleConnections} connections are
 * opened and left idle, divided by their number. Run against a fresh server process, so that nothing earlier has
 * grown its heap. A warm-up of 2,000 connections, opened and closed, first loads the classes and lets the JIT
 * compile the handshake path, whose working memory would otherwise still be held when the RSS is read.
 *
 * <p>RSS also counts every heap page that the handshakes' garbage touched (up to the young generation's size, about
 * 50 MB with a 1 GB G1 heap: several KB per connection, however little the connections keep), so the scenario also
 * reads the live heap after a full collection, before and after ({@link HeapProbe}, read after RSS so as not to
 * disturb it): what the idle connections' objects really hold on the Java heap.
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
        long before = ProcStat.residentBytes(serverPid);
        long heapBefore = HeapProbe.liveHeapBytes(serverPid);
        openConnections(n, "/echo", 64);
        if (hasErrors()) {
            return;
        }
        Thread.sleep(settings.settle().toMillis());
        long after = ProcStat.residentBytes(serverPid);
        long heapAfter = HeapProbe.liveHeapBytes(serverPid);
        long stillOpen = client.onLoop(() -> connections.stream().filter(c -> c.channel().isActive()).count());
        if (stillOpen != n) {
            error("only " + stillOpen + " of " + n + " idle connections stayed open");
        }
        metrics.put("rss_before_mib", before / 1048576.0);
        metrics.put("rss_after_mib", after / 1048576.0);
        metrics.put("bytes_per_conn", (after - before) / (double) n);
        metrics.put("live_heap_bytes_per_conn", (heapAfter - heapBefore) / (double) n);
        metrics.put(ScenarioResult.VERIFIED, (double) stillOpen);
    }
}
