package io.sockwave.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a burst leaves in a loop's pools (outbound queues, message arrays, direct and small frames) is let go once
 * calm returns, by the loop waking for it on its own: an idle server does not keep the memory of its busiest moment.
 */
@Timeout(30)
class PoolTrimTest {
    private static final long PERIOD_MILLIS = 100;

    @Test
    void anIdleLoopLetsGoOfWhatItsPoolsHeld() throws Exception {
        EventLoop loop = new EventLoop("trim-test-loop", true, TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS));
        loop.start();
        try {
            onLoop(loop, () -> {
                burst(loop);
                return null;
            });
            assertTrue(onLoop(loop, loop::holdsFreeMemory), "the burst's memory waits in the pools");

            // Nothing more is asked of the loop: no task, no timer, no channel. It must wake to trim by itself.
            Thread.sleep(10 * PERIOD_MILLIS);

            assertFalse(onLoop(loop, loop::holdsFreeMemory), "pools still hold memory after ten idle periods");
            assertEquals(0L, onLoop(loop, loop.frames::held));
            assertEquals(0, onLoop(loop, loop.arrays::freeBytes));
        } finally {
            loop.stop();
            loop.awaitTermination(TimeUnit.SECONDS.toNanos(5));
        }
    }

    /** Many of each at once, then all given back, as a broadcast of large messages would. */
    private static void burst(EventLoop loop) {
        List<OutboundQueue> queues = new ArrayList<>();
        List<byte[]> arrays = new ArrayList<>();
        List<ByteBuffer> frames = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            queues.add(loop.takeQueue());
            frames.add(loop.frames.allocate(i % 2 == 0 ? 100 : 20_000));
        }
        for (int i = 0; i < 4; i++) {
            arrays.add(loop.arrays.take(64 << 10));
        }
        queues.forEach(loop::releaseQueue);
        arrays.forEach(loop.arrays::give);
        frames.forEach(loop.frames::release);
    }

    private static <T> T onLoop(EventLoop loop, Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(work.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }
}
