package io.sockwave.protocol;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes that messages still being received may hold, shared by every connection given this budget: a server
 * gives one to all its connections, so that many peers each holding a large unfinished message (say, a few kilobytes
 * of compressed data that inflate to the message limit, then nothing) cannot together hold more than this.
 *
 * <p>What is counted is the memory a message being assembled holds (its array, which grows as bytes arrive, after
 * decompression), reserved before it is allocated and given back when the message is handed over or dropped; and,
 * in the runtime, a whole message waiting for its application to take it (a callback on a busy executor). A
 * connection whose message would take the total past the capacity is failed with 1009 (message too big): the
 * message is too big for the receiver to process now, and a peer that sends smaller messages is served. Thread-safe.
 */
public final class MessageBudget {
    private static final MessageBudget UNLIMITED = new MessageBudget(Long.MAX_VALUE);

    private final long capacity;
    private final AtomicLong held = new AtomicLong();

    /**
     * @param capacity the most bytes that incomplete messages may hold together
     * @throws IllegalArgumentException if it is not positive
     */
    public MessageBudget(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.capacity = capacity;
    }

    /** @return a budget that never refuses, shared: each message is still bounded by {@link Limits#maxMessageSize()} */
    public static MessageBudget unlimited() {
        return UNLIMITED;
    }

    /**
     * @return a new budget of a quarter of the heap the JVM may grow to ({@link Runtime#maxMemory()}), which leaves
     *     the rest to the application: the default of a server
     */
    public static MessageBudget quarterOfHeap() {
        return new MessageBudget(Math.max(1, Runtime.getRuntime().maxMemory() / 4));
    }

    /** @return the most bytes that incomplete messages may hold together */
    public long capacity() {
        return capacity;
    }

    /** @return the bytes incomplete messages hold now */
    public long held() {
        return held.get();
    }

    /**
     * Counts bytes about to be held, if they fit. The protocol core counts the messages it assembles; a runtime also
     * counts whole messages it holds for its application, until the application takes them.
     *
     * @param bytes bytes about to be allocated or held, not negative
     * @return whether they fit and are now counted as held; when false nothing is counted
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public boolean tryReserve(long bytes) {
        requireNotNegative(bytes);
        if (this == UNLIMITED) {
            return true;
        }
        while (true) {
            long now = held.get();
            if (bytes > capacity - now) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /**
     * @param bytes bytes reserved earlier with {@link #tryReserve} and no longer held
     * @throws IllegalArgumentException if {@code bytes} is negative
     * @throws IllegalStateException if more bytes are released than are held, which would make room that was never
     *     reserved; nothing is released then
     */
    public void release(long bytes) {
        requireNotNegative(bytes);
        if (this == UNLIMITED || bytes == 0) {
            return;
        }
        while (true) {
            long now = held.get();
            if (bytes > now) {
                throw new IllegalStateException("releasing " + bytes + " bytes when " + now + " are held");
            }
            if (held.compareAndSet(now, now - bytes)) {
                return;
            }
        }
    }

    private static void requireNotNegative(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("a negative number of bytes: " + bytes);
        }
    }

    @Override
    public String toString() {
        return "MessageBudget[" + held() + " of " + capacity + " bytes held]";
    }
}
