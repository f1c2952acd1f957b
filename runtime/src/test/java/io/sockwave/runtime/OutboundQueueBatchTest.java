package io.sockwave.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Sends made on the loop in one turn share a future, which completes when the last of their frames is written:
 * never before a frame of the batch is written, even when a send with its own future came in between.
 */
class OutboundQueueBatchTest {
    @Test
    void consecutiveSendsShareOneFutureCompletedByTheLastFrame() {
        OutboundQueue queue = new OutboundQueue(new FramePool());
        SendFuture first = queue.addBatched(ByteBuffer.allocate(10), 0);
        SendFuture second = queue.addBatched(ByteBuffer.allocate(10), 0);
        assertSame(first, second);
        written(queue, 10);
        assertFalse(first.isDone(), "the batch's last frame is not written yet");
        written(queue, 10);
        assertTrue(first.isDone());
    }

    @Test
    void aSendBetweenTwoBatchedOnesStartsANewBatch() {
        OutboundQueue queue = new OutboundQueue(new FramePool());
        SendFuture before = queue.addBatched(ByteBuffer.allocate(10), 0);
        SendFuture own = new SendFuture();
        queue.addData(ByteBuffer.allocate(10), own, 0);
        SendFuture after = queue.addBatched(ByteBuffer.allocate(10), 0);
        assertNotSame(before, after);

        written(queue, 10);
        assertTrue(before.isDone());
        assertFalse(after.isDone(), "completed with a frame written ahead of its own");
        written(queue, 20);
        assertTrue(own.isDone());
        assertTrue(after.isDone());
    }

    private static void written(OutboundQueue queue, long bytes) {
        queue.written(bytes, true);
        queue.settle();
    }
}
