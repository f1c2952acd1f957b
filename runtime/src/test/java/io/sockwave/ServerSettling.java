package io.sockwave;

import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a server's or a client's counts to settle: each loop publishes them at the end of the turn that changed
 * them.
 */
final class ServerSettling {
    private static final ServerStats IDLE = new ServerStats(0, 0, 0, 0, 0);

    private ServerSettling() {
    }

    /** @return the server's counts once nothing is queued and no queue is held, or as they are after 10 s */
    static ServerStats nothingQueued(Server server) throws InterruptedException {
        return await(server::stats, stats -> stats.queuedBytes() == 0 && stats.buffers() == 0);
    }

    /** @return the server's counts once it holds no connection, session, queue, timer or buffer, or after 10 s */
    static ServerStats idle(Server server) throws InterruptedException {
        return await(server::stats, IDLE::equals);
    }

    /** @return the client's counts once its loops hold nothing, or as they are after 10 s */
    static ServerStats idle(Client client) throws InterruptedException {
        return await(client::stats, IDLE::equals);
    }

    private static ServerStats await(Supplier<ServerStats> counts, Predicate<ServerStats> settled)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        ServerStats stats = counts.get();
        while (!settled.test(stats) && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
            stats = counts.get();
        }
        return stats;
    }
}
