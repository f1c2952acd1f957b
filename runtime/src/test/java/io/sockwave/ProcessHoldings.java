package io.sockwave;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the test's process holds that a leak would raise: open descriptors, the JDK's direct buffers, threads.
 *
 * @param descriptors the entries of /proc/self/fd
 * @param directBuffers the direct buffers the JDK counts
 * @param directBytes their memory
 * @param threads live threads
 */
record ProcessHoldings(long descriptors, long directBuffers, long directBytes, int threads) {
    static ProcessHoldings now() throws IOException {
        long descriptors;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            descriptors = fds.count();
        }
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).findFirst().orElseThrow();
        return new ProcessHoldings(descriptors, direct.getCount(), direct.getMemoryUsed(),
                ManagementFactory.getThreadMXBean().getThreadCount());
    }

    /**
     * @return the holdings once at most {@code threads} threads are alive, or as they are after 10 s: the JVM counts
     *     every thread, and one that a test before let go, or that the JDK started for a moment, ends in its own time
     */
    static ProcessHoldings withThreadsAtMost(int threads) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        ProcessHoldings holdings = now();
        while (holdings.threads() > threads && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
            holdings = now();
        }
        return holdings;
    }
}
