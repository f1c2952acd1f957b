package io.sockwave.bench.peers.load;

import java.time.Duration;

/**
 * Resident memory per idle compressed connection, on a fresh server. Every connection negotiates permessage-deflate
 * and exchanges one compressed message before it idles, so that a server keeping zlib state for the connection's
 * life (context takeover) holds it when memory is read. Fewer connections than idle10k, since each may then hold
 * some 100 KB of zlib state: {@link #CONNECTIONS} per wave, or fewer when the settings' idle count is lower.
 *
 * <p>Unlike {@link IdleMemoryScenario}, the first (cold) wave stays open while the second is measured. zlib's
 * memory is native: freed when a connection closes, it stays in the allocator's free lists, resident, and a second
 * wave opened after the first closed would reuse it without growing RSS, so it would hide exactly the cost this
 * measures. With the first wave open, the second must find new memory for its zlib streams; and a full collection
 * before it (for a JVM, when its live heap is read) lets its handshakes' garbage reuse heap pages the first wave
 * already touched. The second wave's growth is the figure; the first's is reported as the cold one.
 *
 * <p>The RSS before the second wave is read after that collection ({@link #measureWave}): a JVM's first full
 * collection and {@code jcmd}'s attach grow its RSS by themselves, which read before them went to the wave: 7 to
 * 13 KB per connection of 2,000 for both JVM servers.
 */
final class IdleDeflateScenario extends DeflateScenario {
    /** Connections per wave. */
    static final int CONNECTIONS = 2000;
    /**
     * Waves of {@link #CONNECTIONS} opened, each exchanging a message, and closed before anything is measured, so
     * that the JIT has compiled the paths of the handshake and of a compressed message: a compilation during the
     * measured wave mallocs compiler arenas that stay resident, some 18 MB, 9 KB per connection of 2,000 (seen in
     * one server's second wave after a single warm-up wave of 500, and in another's first).
     */
    private static final int WARMUP_WAVES = 2;

    private final String id;
    private long echoes;

    IdleDeflateScenario(LoadClient client, LoadSettings settings, long serverPid, String id, DeflateOffer offer) {
        super(client, settings, serverPid, offer);
        this.id = id;
    }

    @Override
    String id() {
        return id;
    }

    @Override
    public void echo(WsConnection c, boolean sampled) {
        echoes++;
    }

    @Override
    void exercise() throws InterruptedException {
        int n = Math.min(CONNECTIONS, settings.idleConnections());
        for (int wave = 0; wave < WARMUP_WAVES; wave++) {
            if (!openAndExchange(n)) {
                return;
            }
            closeAll();
        }
        Thread.sleep(settings.settle().toMillis());

        long coldBefore = ProcStat.residentBytes(serverPid);
        if (!openAndExchange(n)) {
            return;
        }
        long coldAfter = ProcStat.residentBytes(serverPid);

        metrics.put("cold_bytes_per_conn", (coldAfter - coldBefore) / (double) n);
        if (!measureWave(n, () -> openAndExchange(n))) {
            return;
        }
        recordStream();
        metrics.put(ScenarioResult.VERIFIED, (double) n);
    }

    /**
     * Opens {@code n} more connections, has each new one send the cycle's first message and checks its compressed
     * echo, lets the server settle, and checks that every connection, old and new, is still open.
     */
    private boolean openAndExchange(int n) throws InterruptedException {
        long base = client.onLoop(() -> echoes);
        int first = client.onLoop(connections::size);
        openConnections(n, "/echo", 64);
        if (hasErrors()) {
            return false;
        }
        client.onLoop(() -> connections.subList(first, connections.size()).forEach(c -> send(c, 0, 1)));
        Duration timeout = GRACE.plusMillis(5L * n);
        if (!await(() -> hasErrors() || client.onLoop(() -> echoes) - base >= n, timeout)) {
            error("only " + (client.onLoop(() -> echoes) - base) + " of " + n + " echoes within " + timeout);
        }
        if (hasErrors()) {
            return false;
        }
        Thread.sleep(settings.settle().toMillis());
        return allStillOpen(first + n);
    }
}
