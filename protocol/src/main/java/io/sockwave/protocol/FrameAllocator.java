package io.sockwave.protocol;

import java.nio.ByteBuffer;

/**
 * Where a {@link Connection} builds the frames it sends. The default, {@link #HEAP}, allocates a heap buffer per
 * frame. A runtime may hand out direct buffers from a pool instead, so that a large frame reaches the socket without
 * the JDK first copying it into a temporary direct buffer, and take each one back once it is written: the connection
 * keeps no reference to a frame it has returned, which is the caller's from then on. A few frames never reach the
 * caller and are left to the garbage collector: a pong replaced by a newer one before it was polled (§5.5.3), and
 * the frames still owed when the connection is released; a pool must not count on getting every buffer back. (A
 * whole text message sent without extensions is encoded from its chars straight into the buffer's array when it
 * has one, and copied into it when it is direct.)
 */
@FunctionalInterface
public interface FrameAllocator {
    /** A new heap buffer per frame. */
    FrameAllocator HEAP = ByteBuffer::allocate;

    /**
     * @param size the frame's size in bytes
     * @return a writable buffer, heap or direct, in any byte order, with position 0 and limit {@code size}
     */
    ByteBuffer allocate(int size);
}
