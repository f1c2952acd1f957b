package io.sockwave.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lookups queued behind a name server that never answers: those whose connect is over (cancelled by the caller,
 * here) leave the pool's queue and their loop's timers at once, so that the memory a hanging resolver ties up is
 * bounded by the connects still pending, not by every connect ever tried.
 */
@Timeout(30)
class ResolverPoolTest {
    /** More than the pool's threads: every thread hangs, and the rest wait in the queue. */
    private static final int HANGING = 4;
    private static final int QUEUED = 100;
    private static final long DEADLINE_NANOS = TimeUnit.MINUTES.toNanos(10);

    @Test
    void lookupsCancelledWhileQueuedBehindAHangingResolverLeaveTheQueueAndTheLoop() throws Exception {
        CountDownLatch entered = new CountDownLatch(HANGING);
        CountDownLatch release = new CountDownLatch(1);
        HostResolver hanging = host -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(host);
        };
        EventLoop loop = new EventLoop("resolver-pool-test-loop", true);
        loop.start();
        ResolverPool pool = new ResolverPool("resolver-pool-test", hanging);
        try {
            for (int i = 0; i < HANGING; i++) {
                resolve(pool, loop, "hanging-" + i + ".test");
            }
            assertTrue(entered.await(10, TimeUnit.SECONDS), "the pool's threads did not all start a lookup");
            List<CompletableFuture<?>> queued = new ArrayList<>();
            for (int i = 0; i < QUEUED; i++) {
                queued.add(resolve(pool, loop, "queued-" + i + ".test"));
            }
            assertEquals(QUEUED, pool.waiting());
            assertEquals(HANGING + QUEUED, timers(loop));

            queued.forEach(connect -> connect.cancel(false));

            assertEquals(0, pool.waiting(), "cancelled lookups still queued");
            assertEquals(HANGING, timers(loop), "the deadlines of cancelled lookups still armed");
        } finally {
            release.countDown();
            pool.close();
            loop.stop();
            loop.awaitTermination(TimeUnit.SECONDS.toNanos(5));
        }
    }

    private static CompletableFuture<?> resolve(ResolverPool pool, EventLoop loop, String host) {
        CompletableFuture<Object> connect = new CompletableFuture<>();
        pool.resolve(host, loop, System.nanoTime() + DEADLINE_NANOS, DEADLINE_NANOS, connect,
                addresses -> connect.complete(addresses));
        return connect;
    }

    /** @return how many timers the loop holds once the tasks queued so far have run */
    private static int timers(EventLoop loop) throws Exception {
        CompletableFuture<Integer> size = new CompletableFuture<>();
        loop.execute(() -> size.complete(loop.timers.size()));
        return size.get(10, TimeUnit.SECONDS);
    }
}
