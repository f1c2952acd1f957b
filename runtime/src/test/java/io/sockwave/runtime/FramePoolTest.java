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

/** Which frames the loop's pool makes direct, that it reuses what comes back, and that its memory is bounded. */
class FramePoolTest {
    @ParameterizedTest(name = "a frame of {0} bytes is in class {1}")
    @CsvSource({
        "1023, -1", // small: gathered into the write buffer instead
        "1024, 0", "1040, 0", // 1 KiB and the largest header fit the first class
        "1041, 1", "2064, 1", "2065, 2",
        "16388, 4", // a 16 KiB payload and its 4-byte header
        "65550, 6", "65552, 6", // a 64 KiB payload and its 10-byte header, and the class's end
        "65553, -1"
    })
    void classes(int size, int expected) {
        assertEquals(expected, FramePool.classOf(size));
    }

    @Test
    void aLargeFrameIsDirectWithExactlyItsSize() {
        ByteBuffer frame = new FramePool().allocate(16388);
        assertTrue(frame.isDirect());
        assertEquals(0, frame.position());
        assertEquals(16388, frame.limit());
        assertEquals(16400, frame.capacity(), "a 16 KiB payload fills its class, header included");
    }

    @Test
    void smallAndHugeFramesAreHeapBuffers() {
        FramePool pool = new FramePool();
        assertFalse(pool.allocate(100).isDirect());
        assertFalse(pool.allocate(FramePool.MAX_POOLED + 1).isDirect());
        assertEquals(0, pool.held());
    }

    @Test
    void aReleasedFrameIsReusedForTheNextOfItsClass() {
        FramePool pool = new FramePool();
        ByteBuffer first = pool.allocate(5000);
        first.position(100);
        pool.release(first);
        ByteBuffer second = pool.allocate(6000);
        assertSame(first, second);
        assertEquals(0, second.position());
        assertEquals(6000, second.limit());
        assertNotSame(second, pool.allocate(6000), "a buffer in use is not handed out twice");
    }

    @Test
    void heapFramesAreNotTakenIn() {
        FramePool pool = new FramePool();
        pool.release(ByteBuffer.allocate(16400));
        assertTrue(pool.allocate(16388).isDirect(), "not the heap buffer released");
        assertEquals(16400, pool.held());
    }

    @Test
    void pastItsBoundTheFramesAreHeapAndNothingMoreIsHeld() {
        FramePool pool = new FramePool();
        List<ByteBuffer> inUse = new ArrayList<>();
        int direct = 0;
        for (int i = 0; i < FramePool.MAX_POOLED_BYTES / 65552 + 10; i++) {
            ByteBuffer frame = pool.allocate(65550);
            inUse.add(frame);
            direct += frame.isDirect() ? 1 : 0;
        }
        assertEquals(FramePool.MAX_POOLED_BYTES / 65552, direct);
        assertTrue(pool.held() <= FramePool.MAX_POOLED_BYTES);
        long held = pool.held();
        inUse.forEach(pool::release);
        assertEquals(held, pool.held(), "released buffers are kept, and the heap ones ignored");
        assertTrue(pool.allocate(65550).isDirect());
    }

    @Test
    void whenTheJvmRefusesDirectMemoryFramesAreHeapBuffers() {
        int[] attempts = {0};
        FramePool pool = new FramePool(capacity -> {
            attempts[0]++;
            throw new OutOfMemoryError("Cannot reserve " + capacity + " bytes of direct buffer memory");
        });

        ByteBuffer frame = pool.allocate(16388);
        ByteBuffer next = pool.allocate(2000);

        assertFalse(frame.isDirect());
        assertEquals(16388, frame.remaining());
        assertFalse(next.isDirect());
        assertEquals(1, attempts[0], "the pool stops asking once refused");
        assertEquals(0, pool.held());
    }

    @Test
    void aTrimLetsGoOfTheDirectFramesThatWaitedUnused() {
        FramePool pool = new FramePool();
        ByteBuffer kept = pool.allocate(5000);
        ByteBuffer idle = pool.allocate(40_000);
        pool.release(kept);
        pool.release(idle);
        long both = pool.held();
        pool.trim(); // the period they were released in
        pool.release(pool.allocate(5000));
        pool.trim();
        assertEquals(both - idle.capacity(), pool.held(), "the 40 KB frame went unused a whole period");
        assertTrue(pool.holdsFree());
        pool.trim();
        assertEquals(0, pool.held());
        assertFalse(pool.holdsFree());
        assertNotSame(kept, pool.allocate(5000), "a frame let go is not handed out again");
    }
}
