package io.sockwave.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * A broadcast queues a prepared message's read-only frame itself on every session: no queue may move its position,
 * whatever the socket takes, or another session would write a cut frame.
 */
class OutboundQueueSharedFrameTest {
    private static final byte[] BYTES = {(byte) 0x81, 6, 's', 'h', 'a', 'r', 'e', 'd'};

    @Test
    void aWholeWriteLeavesTheSharedFrameAsItWas() {
        ByteBuffer shared = ByteBuffer.wrap(BYTES).asReadOnlyBuffer();
        OutboundQueue queue = new OutboundQueue(new FramePool());
        queue.addData(shared, null, 0);
        ByteBuffer[] gathered = new ByteBuffer[4];
        assertEquals(1, queue.gather(gathered));
        assertSame(shared, gathered[0], "listed as it is: no view per session");
        queue.written(BYTES.length, true);
        assertTrue(queue.isEmpty());
        assertEquals(0, shared.position());
    }

    @Test
    void aPartialWriteGivesTheQueueAViewAndTheOtherQueueStillWritesEveryByte() {
        ByteBuffer shared = ByteBuffer.wrap(BYTES).asReadOnlyBuffer();
        OutboundQueue slow = new OutboundQueue(new FramePool());
        OutboundQueue fast = new OutboundQueue(new FramePool());
        slow.addData(shared, null, 0);
        fast.addData(shared, null, 0);

        slow.written(3, true);
        assertEquals(0, shared.position(), "the shared frame did not move");
        assertEquals(BYTES.length - 3, slow.bytes());
        assertArrayEquals(tail(BYTES, 3), remainingOf(slow));

        assertArrayEquals(BYTES, remainingOf(fast));
        fast.written(BYTES.length, true);
        assertTrue(fast.isEmpty());

        slow.written(BYTES.length - 3, true);
        assertTrue(slow.isEmpty());
        assertEquals(0, shared.position());
    }

    /** TLS wrapping moves its sources' positions itself, so it gets views, never the shared frame. */
    @Test
    void aWriterThatConsumesItsSourcesGetsAViewOfTheSharedFrame() {
        ByteBuffer shared = ByteBuffer.wrap(BYTES).asReadOnlyBuffer();
        OutboundQueue queue = new OutboundQueue(new FramePool());
        queue.addData(shared, null, 0);
        ByteBuffer[] gathered = new ByteBuffer[4];
        assertEquals(1, queue.gatherToConsume(gathered));
        assertNotSame(shared, gathered[0]);
        gathered[0].position(5);
        queue.written(5, false);
        assertEquals(0, shared.position());
        assertEquals(5, queue.gatherToConsume(gathered) == 1 ? gathered[0].position() : -1, "the view's progress kept");
        gathered[0].position(BYTES.length);
        queue.written(BYTES.length - 5, false);
        assertTrue(queue.isEmpty());
    }

    @Test
    void theFramePoolNeverTakesAReadOnlyFrame() {
        FramePool pool = new FramePool();
        ByteBuffer direct = pool.allocate(FramePool.MIN_POOLED);
        ByteBuffer readOnly = direct.asReadOnlyBuffer();
        pool.release(readOnly);
        assertNotSame(readOnly, pool.allocate(FramePool.MIN_POOLED));
    }

    /** A write that ends exactly at a frame's end leaves the next shared frame untouched: no view of it. */
    @Test
    void aWriteEndingOnAFrameBoundaryMakesNoViewOfTheNextSharedFrame() {
        ByteBuffer next = ByteBuffer.wrap(BYTES).asReadOnlyBuffer();
        OutboundQueue queue = new OutboundQueue(new FramePool());
        queue.addData(ByteBuffer.wrap(BYTES).asReadOnlyBuffer(), null, 0);
        queue.addData(next, null, 0);
        queue.written(BYTES.length, true);
        ByteBuffer[] gathered = new ByteBuffer[4];
        assertEquals(1, queue.gather(gathered));
        assertSame(next, gathered[0]);
    }

    /** Once the queue has a view of its own, a further partial write moves it rather than making another. */
    @Test
    void aSecondPartialWriteMovesTheQueuesOwnView() {
        OutboundQueue queue = new OutboundQueue(new FramePool());
        queue.addData(ByteBuffer.wrap(BYTES).asReadOnlyBuffer(), null, 0);
        ByteBuffer[] gathered = new ByteBuffer[4];
        queue.written(2, true);
        queue.gather(gathered);
        ByteBuffer own = gathered[0];
        queue.written(2, true);
        queue.gather(gathered);
        assertSame(own, gathered[0]);
        assertEquals(4, own.position());
    }

    /** TLS gathers each round: the views made on an earlier round are the queue's own, not copied again. */
    @Test
    void aWriterThatConsumesGetsEachSharedFrameViewedOnce() {
        OutboundQueue queue = new OutboundQueue(new FramePool());
        for (int i = 0; i < 3; i++) {
            queue.addData(ByteBuffer.wrap(BYTES).asReadOnlyBuffer(), null, 0);
        }
        ByteBuffer[] first = new ByteBuffer[4];
        assertEquals(3, queue.gatherToConsume(first));
        first[0].position(5);
        queue.written(5, false);
        ByteBuffer[] second = new ByteBuffer[4];
        assertEquals(3, queue.gatherToConsume(second));
        for (int i = 0; i < 3; i++) {
            assertSame(first[i], second[i], "frame " + i);
        }
    }

    /**
     * A control frame goes ahead of a data frame not yet begun (RFC 6455 §5.5). When the writer consumes both in one
     * round, the control frame is done: that the data frame has started since does not hold it in the queue.
     */
    @Test
    void aControlFrameConsumedWithTheStartOfTheDataBehindItIsDone() {
        OutboundQueue queue = new OutboundQueue(new FramePool());
        queue.addData(ByteBuffer.wrap(BYTES.clone()), null, 0);
        SendFuture ping = new SendFuture();
        queue.addControl(ByteBuffer.wrap(new byte[] {(byte) 0x89, 0}), ping, 0);
        ByteBuffer[] gathered = new ByteBuffer[4];
        assertEquals(2, queue.gatherToConsume(gathered));
        gathered[0].position(2);
        gathered[1].position(3);
        queue.written(5, false);
        queue.settle();
        assertTrue(ping.isDone(), "the ping was written");
        assertEquals(BYTES.length - 3, queue.bytes());
    }

    private static byte[] remainingOf(OutboundQueue queue) {
        ByteBuffer[] gathered = new ByteBuffer[4];
        assertEquals(1, queue.gather(gathered));
        byte[] bytes = new byte[gathered[0].remaining()];
        gathered[0].get(gathered[0].position(), bytes);
        return bytes;
    }

    private static byte[] tail(byte[] bytes, int from) {
        byte[] tail = new byte[bytes.length - from];
        System.arraycopy(bytes, from, tail, 0, tail.length);
        return tail;
    }
}
