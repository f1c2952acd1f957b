package io.sockwave.protocol;

import java.lang.management.ManagementFactory;

/**
 * What every fuzz target checks besides its own properties: the bytes the current thread allocated for one input,
 * from {@code com.sun.management.ThreadMXBean}, stay within a bound the target derives from its limits.
 */
public final class FuzzBounds {
    /**
     * What a bound allows beyond its terms in the input and the limits: the fuzzer's own instrumentation allocates
     * in the code under test (its hooks on comparisons), some hundred kilobytes on a run. Far below what a bug that
     * sizes a buffer by an announced length, or inflates past the limit, would allocate.
     */
    public static final long SLACK = 1 << 20;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static {
        // The first readings initialise the meter itself, which must not count against an input.
        THREADS.getCurrentThreadAllocatedBytes();
        THREADS.getCurrentThreadAllocatedBytes();
    }

    private final long start = THREADS.getCurrentThreadAllocatedBytes();

    /** @return a meter counting from now, on the current thread */
    public static FuzzBounds start() {
        return new FuzzBounds();
    }

    /**
     * @param bound the most the input may have made the thread allocate, in bytes
     * @param what what was fed, for the failure message
     * @throws AssertionError if more was allocated
     */
    public void checkAllocatedAtMost(long bound, String what) {
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - start;
        if (allocated > bound) {
            throw new AssertionError(what + " allocated " + allocated + " bytes, more than its bound " + bound);
        }
    }
}
