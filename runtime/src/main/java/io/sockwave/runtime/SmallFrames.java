package io.sockwave.runtime;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Heap buffers for the small frames one event loop's server connections send (below {@link FramePool#MIN_POOLED}),
 * reused once written: echoing or answering with a short message then allocates no frame, and the young generation
 * fills more slowly, which spaces out the collections that make a latency tail.
 *
 * <p>The buffers are carved from one array, the slab, allocated on the first small frame: a buffer is the pool's
 * exactly when its backing array is the slab, which no buffer from elsewhere (an application's, a shared prepared
 * frame) can have, so {@link #release} can tell them apart without bookkeeping. Buffers come in five classes of 64 B
 * to 1 KiB; one carved for a class stays in it. Past the slab, frames are plain heap buffers again, as is a frame that
 * never comes back (the protocol drops a few, such as an automatic pong replaced before it was sent): the slab's
 * memory is bounded whatever the traffic, and at worst the loop allocates as it did without the pool. Confined to
 * the loop's thread.
 */
final class SmallFrames {
    /** The slab's size: a turn's worth of small frames for a hundred connections with 16 messages each in flight. */
    static final int SLAB_BYTES = 128 << 10;
    private static final int SMALLEST_SHIFT = 6;
    private static final int CLASSES = 5;
    /** The largest frame pooled, the last class's capacity. */
    static final int MAX_SIZE = 1 << (SMALLEST_SHIFT + CLASSES - 1);

    @SuppressWarnings("unchecked")
    private final FreeList<ByteBuffer>[] free = new FreeList[CLASSES];
    private byte[] slab;
    private int carved;
    /** Whether a frame was handed out since the last {@link #trim}. */
    private boolean used;

    /** @return the class of the smallest buffer holding {@code size} bytes, 1 to {@link #MAX_SIZE} */
    static int classOf(int size) {
        return 32 - Integer.numberOfLeadingZeros((Math.max(size, 1) - 1) >>> SMALLEST_SHIFT);
    }

    private static int capacity(int sizeClass) {
        return 1 << (SMALLEST_SHIFT + sizeClass);
    }

    /**
     * @param size the frame's size, at most {@link #MAX_SIZE}
     * @return a heap buffer with position 0 and limit {@code size}: the pool's if one is free or can be carved
     */
    ByteBuffer allocate(int size) {
        used = true;
        int sizeClass = classOf(size);
        ByteBuffer buffer = free[sizeClass] == null ? null : free[sizeClass].poll();
        if (buffer != null) {
            return buffer.clear().limit(size);
        }
        int capacity = capacity(sizeClass);
        if (slab == null) {
            slab = new byte[SLAB_BYTES];
        }
        if (carved + capacity > SLAB_BYTES) {
            return ByteBuffer.allocate(size);
        }
        buffer = ByteBuffer.wrap(slab, carved, capacity).slice();
        carved += capacity;
        return buffer.limit(size);
    }

    /**
     * Takes back a frame once nothing refers to it any more; a frame not carved from the slab is ignored.
     *
     * @param frame a heap frame leaving the outbound queue
     */
    void release(ByteBuffer frame) {
        if (slab == null || !frame.hasArray() || frame.array() != slab) {
            return;
        }
        int sizeClass = classOf(frame.capacity());
        FreeList<ByteBuffer> list = free[sizeClass];
        if (list == null) {
            list = free[sizeClass] = new FreeList<>(SLAB_BYTES / capacity(sizeClass));
        }
        list.offer(frame);
    }

    /**
     * Lets the slab go if no frame was handed out since the last trim: a frame of it still queued comes back to a
     * pool that no longer knows its array, and is left to the collector. The next small frame carves a new slab.
     */
    void trim() {
        if (!used && slab != null) {
            slab = null;
            carved = 0;
            Arrays.fill(free, null);
        }
        used = false;
    }

    /** @return whether the slab is held, which a {@link #trim} may let go */
    boolean holdsFree() {
        return slab != null;
    }
}
