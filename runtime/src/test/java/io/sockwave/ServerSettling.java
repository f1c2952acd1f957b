package io.sockwave;

import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Waits for a server's counts to settle: each loop publishes them at the end of the turn that changed them. */
final class ServerSettling {
    private static final ServerStats IDLE = new ServerStats(0, 0, 0, 0, 0);

    private ServerSettling() {
    }

    /** @return the server's counts once nothing is queued and no queue is held, or as they are after 10 s */
    static ServerStats nothingQueued(Server server) throws InterruptedException {
        return await(server, stats -> stats.queuedBytes() == 0 && stats.buffers() == 0);
    }

    /** @return the server's counts once it holds no connection, session, queue, timer or buffer, or after 10 s */
    static ServerStats idle(Server server) throws InterruptedException {
        return await(server, IDLE::equals);
    }

    private static ServerStats await(Server server, Predicate<ServerStats> settled) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        ServerStats stats = server.stats();
        while (!settled.test(stats) && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
            stats = server.stats();
        }
        return stats;
    }
}
