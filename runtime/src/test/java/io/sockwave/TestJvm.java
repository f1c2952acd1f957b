package io.sockwave;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;

/** What the tests that hold callbacks and weigh the heap share. */
final class TestJvm {
    private TestJvm() {
    }

    /** @return the heap in use after a full collection */
    static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Holds the calling thread, an executor's, until the test lets it go; an interrupt (the executor shut down) ends
     * the wait too.
     */
    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
