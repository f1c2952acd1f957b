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
