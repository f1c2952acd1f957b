package io.sockwave.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A warning peers can repeat at will is written once per interval, with the count of what it stands for. */
class ThrottledLogTest {
    @Test
    void theFirstOccurrenceIsWrittenAndTheRestOfTheIntervalOnlyCounted() throws InterruptedException {
        ThrottledLog log = new ThrottledLog(TimeUnit.MILLISECONDS.toNanos(200));
        String first = log.warn("executor refused", null);
        assertNotNull(first);
        assertTrue(first.startsWith("executor refused (1 time since the last report"), first);
        for (int i = 0; i < 1000; i++) {
            assertNull(log.warn("executor refused", null));
        }
        Thread.sleep(250);
        String next = log.warn("executor refused", null);
        assertNotNull(next);
        assertTrue(next.startsWith("executor refused (1001 times since the last report"), next);
        assertNull(log.warn("executor refused", null));
    }

    @Test
    void racingThreadsWriteOneLineAnInterval() throws InterruptedException {
        ThrottledLog log = new ThrottledLog(TimeUnit.HOURS.toNanos(1));
        AtomicInteger written = new AtomicInteger();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    if (log.warn("refused", null) != null) {
                        written.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertEquals(1, written.get(), "one line in the interval, whoever wrote it");
    }
}
