package io.sockwave.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The plain writer reads a queue's frames in place, one by one in wire order ({@link OutboundQueue#wireFrame}), and
 * may cut a write anywhere: the order must be the protocol's, whichever lane a frame waits in.
 */
class OutboundQueueWireOrderTest {
    @Test
    void dataAloneGoesInTheOrderQueuedAcrossTheRingsWrap() {
        OutboundQueue queue = new OutboundQueue(new FramePool());
        List<ByteBuffer> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(frame(0x81, i));
            queue.addData(queued.get(i), null, 0);
        }
        queue.written(queued.get(0).remaining() + queued.get(1).remaining(), true);
        for (int i = 3; i < OutboundQueue.INITIAL_CAPACITY + 2; i++) {
            queued.add(frame(0x81, i));
            queue.addData(queued.get(i), null, 0);
        }
        assertWireOrder(queue, queued.subList(2, queued.size()));
    }

    /** RFC 6455 §5.5: control frames may be injected in the middle of a fragmented message, ahead of its data. */
    @Test
    void controlFramesGoAheadOfDataNotYetBegun() {
        OutboundQueue queue = new OutboundQueue(new FramePool());
        ByteBuffer first = frame(0x01, 1);
        ByteBuffer second = frame(0x80, 2);
        queue.addData(first, null, 0);
        queue.addData(second, null, 0);
        ByteBuffer ping = frame(0x89, 3);
        ByteBuffer pong = frame(0x8A, 4);
        queue.addControl(ping, null, 0);
        queue.addControl(pong, null, 0);
        assertWireOrder(queue, List.of(ping, pong, first, second));
    }

    /** RFC 6455 §5.4: a frame is never interleaved with another, so a data frame partly written finishes first. */
    @Test
    void aDataFramePartlyWrittenFinishesBeforeAnyControlFrame() {
        OutboundQueue queue = new OutboundQueue(new FramePool());
        ByteBuffer first = frame(0x81, 1);
        ByteBuffer second = frame(0x81, 2);
        queue.addData(first, null, 0);
        queue.addData(second, null, 0);
        queue.written(2, true);
        ByteBuffer ping = frame(0x89, 3);
        queue.addControl(ping, null, 0);
        assertWireOrder(queue, List.of(first, ping, second));
    }

    private static void assertWireOrder(OutboundQueue queue, List<ByteBuffer> expected) {
        assertEquals(expected.size(), queue.size());
        ByteBuffer[] gathered = new ByteBuffer[expected.size()];
        assertEquals(expected.size(), queue.gather(gathered));
        for (int i = 0; i < expected.size(); i++) {
            assertSame(expected.get(i), queue.wireFrame(i), "frame " + i + " in place");
            assertSame(expected.get(i), gathered[i], "frame " + i + " gathered");
        }
    }

    /** @return a small frame, distinct from the others by its payload byte */
    private static ByteBuffer frame(int firstByte, int payload) {
        return ByteBuffer.wrap(new byte[] {(byte) firstByte, 1, (byte) payload});
    }
}
