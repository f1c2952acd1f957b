package io.sockwave.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No event loop dies of a failure (issue #14, defect 1): a timer that throws, even an {@link Error} such as
 * {@link OutOfMemoryError}, costs its own node, and the loop goes on running tasks and the other timers.
 */
@Timeout(30)
class EventLoopSurvivalTest {
    @Test
    void aTimerThatThrowsAnErrorLeavesTheLoopRunning() throws Exception {
        EventLoop loop = new EventLoop("survival-test-loop", true);
        loop.start();
        try {
            CompletableFuture<Boolean> laterTimerFired = new CompletableFuture<>();
            loop.execute(() -> {
                long now = loop.now();
                loop.timers.schedule(new TimerNode() {
                    @Override
                    void onTimer(long at) {
                        throw new OutOfMemoryError("thrown on purpose by a timer");
                    }
                }, now + 1_000_000);
                loop.timers.schedule(new TimerNode() {
                    @Override
                    void onTimer(long at) {
                        laterTimerFired.complete(loop.inLoop());
                    }
                }, now + 50_000_000);
            });
            assertTrue(laterTimerFired.get(10, TimeUnit.SECONDS), "the later timer fired on the loop's thread");

            CompletableFuture<Boolean> task = new CompletableFuture<>();
            loop.execute(() -> task.complete(loop.inLoop()));
            assertTrue(task.get(10, TimeUnit.SECONDS), "a task after the failure ran on the loop's thread");
        } finally {
            loop.stop();
            loop.awaitTermination(TimeUnit.SECONDS.toNanos(5));
        }
    }
}
