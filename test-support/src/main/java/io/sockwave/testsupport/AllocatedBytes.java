package io.sockwave.testsupport;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated on the heap by threads of this JVM, from HotSpot's {@code com.sun.management.ThreadMXBean}: what
 * the allocation-budget tests compare before and after the work they hold to a budget. A module whose tests run
 * patched into it reads {@code jdk.management} for them ({@code --add-modules jdk.management} and
 * {@code --add-reads} in its compiler and Surefire configuration), as the module itself never does.
 */
public final class AllocatedBytes {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocatedBytes() {
    }

    /** @return the bytes the calling thread has allocated so far */
    public static long byCurrentThread() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /**
     * @param threadIds the threads, by {@link Thread#getId()}
     * @return the bytes they have allocated so far, together; a thread that has ended counts as none
     */
    public static long byThreads(long... threadIds) {
        long sum = 0;
        for (long bytes : THREADS.getThreadAllocatedBytes(threadIds)) {
            sum += Math.max(0, bytes);
        }
        return sum;
    }

    /** @return the bytes every live thread has allocated so far, together */
    public static long byAllThreads() {
        return byThreads(THREADS.getAllThreadIds());
    }
}
