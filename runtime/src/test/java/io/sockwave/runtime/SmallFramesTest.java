package io.sockwave.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The loop's small heap frames: reused once released, never confused with a buffer from elsewhere, bounded. */
class SmallFramesTest {
    @ParameterizedTest(name = "a frame of {0} bytes is in class {1}")
    @CsvSource({"1, 0", "34, 0", "64, 0", "65, 1", "128, 1", "129, 2", "512, 3", "513, 4", "1023, 4", "1024, 4"})
    void classes(int size, int expected) {
        assertEquals(expected, SmallFrames.classOf(size));
    }

    @Test
    void aReleasedFrameIsReusedForTheNextOfItsClass() {
        SmallFrames pool = new SmallFrames();
        ByteBuffer first = pool.allocate(34);
        first.put(new byte[20]);
        pool.release(first);
        ByteBuffer second = pool.allocate(40);
        assertSame(first, second);
        assertEquals(0, second.position());
        assertEquals(40, second.limit());
        assertEquals(64, second.capacity());
        assertNotSame(second, pool.allocate(40), "a frame in use is not handed out twice");
    }

    @Test
    void framesOfOneSlabDoNotOverlap() {
        SmallFrames pool = new SmallFrames();
        ByteBuffer a = pool.allocate(64);
        ByteBuffer b = pool.allocate(64);
        a.put(0, (byte) 1);
        b.put(0, (byte) 2);
        assertEquals(1, a.get(0));
        assertSame(a.array(), b.array());
        assertEquals(64, Math.abs(a.arrayOffset() - b.arrayOffset()));
    }

    @Test
    void aBufferFromElsewhereIsNotTakenInEvenOfAClassSize() {
        SmallFrames pool = new SmallFrames();
        pool.allocate(10);
        ByteBuffer foreign = ByteBuffer.allocate(64);
        pool.release(foreign);
        pool.release(ByteBuffer.allocate(64).asReadOnlyBuffer());
        assertNotSame(foreign, pool.allocate(64));
    }

    @Test
    void pastTheSlabFramesArePlainHeapBuffersAndNotTakenIn() {
        SmallFrames pool = new SmallFrames();
        List<ByteBuffer> inUse = new ArrayList<>();
        for (int i = 0; i < SmallFrames.SLAB_BYTES / 1024; i++) {
            inUse.add(pool.allocate(1000));
        }
        byte[] slab = inUse.get(0).array();
        ByteBuffer beyond = pool.allocate(1000);
        assertNotSame(slab, beyond.array(), "the slab is full: a heap buffer of its own");
        assertEquals(1000, beyond.capacity());
        pool.release(beyond);
        inUse.forEach(pool::release);
        for (int i = 0; i < inUse.size(); i++) {
            assertSame(slab, pool.allocate(1000).array(), "every slab frame came back");
        }
        assertNotSame(slab, pool.allocate(1000).array(), "the unpooled frame was not taken in");
    }

    @Test
    void theSlabIsLetGoAfterAPeriodWithNoSmallFrameAndItsFramesAreNotTakenBack() {
        SmallFrames pool = new SmallFrames();
        ByteBuffer queued = pool.allocate(100);
        pool.trim();
        assertTrue(pool.holdsFree(), "a frame was handed out this period");
        pool.trim();
        assertFalse(pool.holdsFree(), "a period without a small frame lets the slab go");
        pool.release(queued);
        ByteBuffer next = pool.allocate(100);
        assertNotSame(queued, next, "a frame of the old slab is left to the collector");
        assertNotSame(queued.array(), next.array(), "a new slab");
    }
}
