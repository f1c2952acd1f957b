package io.sockwave;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
