package io.sockwave.runtime;

import io.sockwave.protocol.FrameAllocator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.IntFunction;

/**
 * Direct buffers for the large frames one event loop's server connections send, so that such a frame is copied
 * once, from the application's buffer, and written from there by a gathering write: a heap frame would be copied
 * again into a direct buffer on its way to the socket. Small frames stay on the heap, where {@link PlainTransport}
 * gathers many into one direct buffer for one system call, and are reused as well ({@link SmallFrames}). (A
 * client's frames stay on the heap too: it masks them, which is several times faster in an array than in a direct
 * buffer.)
 *
 * <p>Buffers come in size classes of a power of two plus room for the largest header, so that a payload of a
 * power-of-two size fills its class. The pool never holds more than {@link #MAX_POOLED_BYTES} of direct memory, in
 * use or free: past that, frames are heap buffers again. A frame comes back through {@link #release} once it is
 * written or dropped ({@link OutboundQueue} sees to it). The loop's direct frames all come from here, so a direct
 * buffer of a class's capacity is taken to be one of the pool's. Confined to the loop's thread, where every frame
 * is encoded.
 */
final class FramePool implements FrameAllocator {
    /** Direct memory the pool may hold, in use or free. */
    static final int MAX_POOLED_BYTES = 4 << 20;
    /** Frames below this size are gathered into the loop's write buffer instead. */
    static final int MIN_POOLED = 1 << 10;
    /** Room for the largest header (14 bytes), rounded up. */
    private static final int SLACK = 16;
    private static final int CLASSES = 7;
    /** The largest frame pooled: a payload of 64 KiB and its header. */
    static final int MAX_POOLED = capacity(CLASSES - 1);

    @SuppressWarnings("unchecked")
    private final FreeList<ByteBuffer>[] free = new FreeList[CLASSES];
    private long held;
    /** Set once the JVM refused direct memory: from then on, every frame is a heap buffer. */
    private boolean refused;
    private final IntFunction<ByteBuffer> directMemory;
    private final SmallFrames small = new SmallFrames();

    FramePool() {
        this(ByteBuffer::allocateDirect);
    }

    /** @param directMemory allocates a direct buffer of the given capacity, or throws {@link OutOfMemoryError} */
    FramePool(IntFunction<ByteBuffer> directMemory) {
        this.directMemory = directMemory;
    }

    private static int capacity(int sizeClass) {
        return (MIN_POOLED << sizeClass) + SLACK;
    }

    /** @return the class of the smallest buffer holding {@code size} bytes, or -1 if none is pooled */
    static int classOf(int size) {
        if (size < MIN_POOLED || size > MAX_POOLED) {
            return -1;
        }
        // The smallest class whose MIN_POOLED << class is at least size - SLACK.
        return 32 - Integer.numberOfLeadingZeros((size - SLACK - 1) / MIN_POOLED);
    }

    @Override
    public ByteBuffer allocate(int size) {
        if (size < MIN_POOLED) {
            return small.allocate(size);
        }
        int sizeClass = classOf(size);
        if (sizeClass < 0) {
            return ByteBuffer.allocate(size);
        }
        ByteBuffer buffer = free[sizeClass] == null ? null : free[sizeClass].poll();
        if (buffer == null) {
            int capacity = capacity(sizeClass);
            if (refused || held + capacity > MAX_POOLED_BYTES) {
                return ByteBuffer.allocate(size);
            }
            try {
                buffer = directMemory.apply(capacity).order(ByteOrder.nativeOrder());
            } catch (OutOfMemoryError e) {
                // The JVM's direct memory limit (-XX:MaxDirectMemorySize) is reached: the heap still serves.
                refused = true;
                return ByteBuffer.allocate(size);
            }
            held += capacity;
        }
        return buffer.clear().limit(size);
    }

    /**
     * Takes back a frame once nothing refers to it any more: its bytes were written, or it was dropped. Frames that
     * did not come from the pool (an application's buffer, shared prepared frames) are ignored.
     *
     * @param frame a frame leaving the outbound queue
     */
    void release(ByteBuffer frame) {
        if (frame.isReadOnly()) {
            // Shared (a prepared message's frame, or a view of it): never the pool's, and never to be written into.
            return;
        }
        if (!frame.isDirect()) {
            small.release(frame);
            return;
        }
        int sizeClass = classOf(frame.capacity());
        if (sizeClass < 0 || frame.capacity() != capacity(sizeClass)) {
            return;
        }
        FreeList<ByteBuffer> list = free[sizeClass];
        if (list == null) {
            list = free[sizeClass] = new FreeList<>(MAX_POOLED_BYTES / capacity(sizeClass) + 1);
        }
        if (!list.offer(frame)) {
            held -= frame.capacity();
        }
    }

    /**
     * Lets go of the direct frames that waited here unused since the last trim ({@link FreeList#trim}): the
     * collector frees their memory, and the pool may allocate as much again when traffic needs it.
     */
    void trim() {
        for (int sizeClass = 0; sizeClass < CLASSES; sizeClass++) {
            if (free[sizeClass] != null) {
                held -= (long) free[sizeClass].trim() * capacity(sizeClass);
            }
        }
        small.trim();
    }

    /** @return whether frames wait here free, which a {@link #trim} may let go */
    boolean holdsFree() {
        for (FreeList<ByteBuffer> list : free) {
            if (list != null && list.size() > 0) {
                return true;
            }
        }
        return small.holdsFree();
    }

    /** @return the direct memory this pool holds, in use or free */
    long held() {
        return held;
    }
}
