package io.sockwave.protocol;

import io.sockwave.testsupport.AllocatedBytes;

/**
 * What every fuzz target checks besides its own properties: the bytes the current thread allocated for one input,
 * read by {@link AllocatedBytes}, stay within a bound the target derives from its limits.
 */
public final class FuzzBounds {
    /**
     * What a bound allows beyond its terms in the input and the limits: the fuzzer's own instrumentation allocates
     * in the code under test (its hooks on comparisons), some hundred kilobytes on a run. Far below what a bug that
     * sizes a buffer by an announced length, or inflates past the limit, would allocate.
     */
    public static final long SLACK = 1 << 20;

    static {
        // The first readings initialise the meter itself, which must not count against an input.
        AllocatedBytes.byCurrentThread();
        AllocatedBytes.byCurrentThread();
    }

    private final long start = AllocatedBytes.byCurrentThread();

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
        long allocated = AllocatedBytes.byCurrentThread() - start;
        if (allocated > bound) {
            throw new AssertionError(what + " allocated " + allocated + " bytes, more than its bound " + bound);
        }
    }
}
