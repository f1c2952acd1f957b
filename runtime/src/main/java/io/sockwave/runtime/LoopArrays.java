package io.sockwave.runtime;

import io.sockwave.protocol.ArrayPool;

/**
 * The arrays one event loop's connections assemble incoming messages in: text until it is decoded, and binary
 * messages lent to the listener ({@link io.sockwave.SessionSettings#lendBinary}). Reusing them spares a large
 * message its allocation, its zeroing and, in a young JVM, the first touch of fresh heap pages, which cost a fresh
 * server more than the message itself (bench/README.md, "where the time goes").
 *
 * <p>Arrays come in power-of-two size classes from {@link #MIN_CLASS} to {@link #MAX_CLASS}; a larger message gets
 * an array of its own, which is not kept. At most {@link #MAX_FREE_BYTES} wait here free, so a loop that once held
 * many messages at a time does not keep their memory, and what waits unused from one {@link #trim} to the next is let
 * go. Confined to the loop's thread, which parses every message.
 */
final class LoopArrays implements ArrayPool {
    static final int MIN_CLASS = 4 << 10;
    static final int MAX_CLASS = 256 << 10;
    /** What the free arrays may hold together: four of the largest class. */
    static final int MAX_FREE_BYTES = 4 * MAX_CLASS;
    private static final int SHIFT = Integer.numberOfTrailingZeros(MIN_CLASS);
    private static final int CLASSES = Integer.numberOfTrailingZeros(MAX_CLASS) - SHIFT + 1;

    @SuppressWarnings("unchecked")
    private final FreeList<byte[]>[] free = new FreeList[CLASSES];
    private int freeBytes;

    @Override
    public byte[] take(int minLength) {
        if (minLength > MAX_CLASS) {
            return new byte[minLength];
        }
        int sizeClass = classOf(minLength);
        FreeList<byte[]> list = free[sizeClass];
        byte[] array = list == null ? null : list.poll();
        if (array == null) {
            return new byte[MIN_CLASS << sizeClass];
        }
        freeBytes -= array.length;
        return array;
    }

    @Override
    public void give(byte[] array) {
        int length = array.length;
        if (length < MIN_CLASS || length > MAX_CLASS || Integer.bitCount(length) != 1
                || freeBytes + length > MAX_FREE_BYTES) {
            return;
        }
        int sizeClass = classOf(length);
        FreeList<byte[]> list = free[sizeClass];
        if (list == null) {
            list = free[sizeClass] = new FreeList<>(MAX_FREE_BYTES / length);
        }
        if (list.offer(array)) {
            freeBytes += length;
        }
    }

    /** Lets go of the arrays that waited here unused since the last trim ({@link FreeList#trim}). */
    void trim() {
        for (int sizeClass = 0; sizeClass < CLASSES; sizeClass++) {
            if (free[sizeClass] != null) {
                freeBytes -= free[sizeClass].trim() * (MIN_CLASS << sizeClass);
            }
        }
    }

    /** @return the bytes of the arrays waiting here */
    int freeBytes() {
        return freeBytes;
    }

    /** @return the class of the smallest array of at least {@code length} bytes, for a length up to MAX_CLASS */
    private static int classOf(int length) {
        int rounded = length <= MIN_CLASS ? MIN_CLASS : Integer.highestOneBit(length - 1) << 1;
        return Integer.numberOfTrailingZeros(rounded) - SHIFT;
    }
}
