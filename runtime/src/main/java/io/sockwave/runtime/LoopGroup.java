package io.sockwave.runtime;

import io.sockwave.ServerStats;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The event loops of one server or client, each started on its own thread; connections are spread round-robin. */
final class LoopGroup {
    /** How long {@link #stop()} waits for the loops' threads in all. */
    private static final long STOP_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final EventLoop[] loops;
    private final AtomicInteger next = new AtomicInteger();

    LoopGroup(String name, int count, boolean daemon) {
        loops = new EventLoop[count];
        for (int i = 0; i < count; i++) {
            loops[i] = new EventLoop(name + "-loop-" + i, daemon);
        }
        for (EventLoop loop : loops) {
            loop.start();
        }
    }

    EventLoop first() {
        return loops[0];
    }

    EventLoop next() {
        return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }

    EventLoop[] loops() {
        return loops.clone();
    }

    /** @return whether the calling thread is one of these loops */
    boolean isLoopThread() {
        for (EventLoop loop : loops) {
            if (loop.inLoop()) {
                return true;
            }
        }
        return false;
    }

    /** @return the sum of the loops' counters */
    ServerStats stats() {
        int connections = 0;
        int sessions = 0;
        long queued = 0;
        int timers = 0;
        int buffers = 0;
        for (EventLoop loop : loops) {
            ServerStats stats = loop.stats();
            connections += stats.connections();
            sessions += stats.sessions();
            queued += stats.queuedBytes();
            timers += stats.timers();
            buffers += stats.buffers();
        }
        return new ServerStats(connections, sessions, queued, timers, buffers);
    }

    /**
     * Refuses to wait for the loops on one of them, which would wait for itself.
     *
     * @throws IllegalStateException if the calling thread is one of these loops
     */
    void requireOutsideLoops() {
        if (isLoopThread()) {
            throw new IllegalStateException("shutdown waits for the event loops, so it cannot run on one;"
                    + " call it from another thread, or call close()");
        }
    }

    /**
     * Has every connection go away ({@link ChannelDriver#goingAway}), each on its own loop.
     *
     * @return completes once no loop holds a connection
     */
    CompletableFuture<Void> goAway() {
        CompletableFuture<?>[] drained = new CompletableFuture<?>[loops.length];
        for (int i = 0; i < loops.length; i++) {
            EventLoop loop = loops[i];
            CompletableFuture<Void> done = new CompletableFuture<>();
            drained[i] = done;
            loop.execute(() -> {
                loop.forEachConnection(ChannelDriver::goingAway);
                loop.whenDrained().thenRun(() -> done.complete(null));
            });
        }
        return CompletableFuture.allOf(drained);
    }

    /**
     * Stops every loop, aborting their connections, and waits a bounded time for their threads to end.
     *
     * @return whether every thread ended in time (a thread stuck in a blocking callback ends when it returns)
     */
    boolean stop() {
        for (EventLoop loop : loops) {
            loop.stop();
        }
        long deadline = System.nanoTime() + STOP_WAIT_NANOS;
        boolean all = true;
        for (EventLoop loop : loops) {
            all &= loop.awaitTermination(Math.max(0, deadline - System.nanoTime()));
        }
        return all;
    }
}
