package io.sockwave;

import static io.sockwave.TestJvm.awaitQuietly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Floods of frames that carry (almost) nothing, each a listener call, while the application's callback thread is
 * busy (issue #14): the calls wait, held by the session, and each is counted with what a call costs beyond its
 * payload, so reading stops at the backlog's high watermark and TCP pushes the flood back. Counting payloads alone,
 * the server read on for as long as it was let, queueing millions of calls.
 */
@Timeout(60)
class FloodWithHeldCallbacksTest {
    private static final int FRAMES_PER_WRITE = 4096;
    /** Far more than the socket buffers of both ends hold: what the server reads beyond them, it queued. */
    private static final long TOTAL = 60L << 20;
    /**
     * About 4 MiB were written when reading stopped, nearly all of it in the client's send buffer (4 MiB at most on
     * Linux by default). Without the overhead counted, 1-byte fragments stopped only after a million of them, at about
     * 11 MiB, and empty pings not at all: 22 MiB in 18 s, and still going.
     */
    private static final long MOST_WRITTEN = 8L << 20;

    @Test
    void aPingFloodIsPushedBack() throws Exception {
        assertPushedBack(Server.builder(), RawSocket.masked(0x89, new byte[0]), null);
    }

    /** A fragment storm in streaming mode: one {@code onFragment} call per 1-byte continuation frame. */
    @Test
    void aStormOfOneByteFragmentsDeliveredAsPiecesIsPushedBack() throws Exception {
        assertPushedBack(Server.builder().streaming(true), RawSocket.masked(0x00, new byte[] {'x'}),
                RawSocket.masked(0x02, new byte[] {'x'}));
    }

    private static void assertPushedBack(Server.Builder builder, byte[] frame, byte[] first) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        // The application's one callback thread is busy: every call waits, held by the session.
        executor.execute(() -> awaitQuietly(release));
        byte[] batch = new byte[frame.length * FRAMES_PER_WRITE];
        for (int i = 0; i < FRAMES_PER_WRITE; i++) {
            System.arraycopy(frame, 0, batch, i * frame.length, frame.length);
        }
        AtomicLong written = new AtomicLong();
        try (Server server = builder.host("127.0.0.1").eventLoops(1).callbackExecutor(executor)
                .route("/", new EchoListener()).build().start();
             RawSocket raw = RawSocket.connectStalling(server.port()).open("/")) {
            if (first != null) {
                raw.write(first);
            }
            Thread writer = new Thread(() -> {
                try {
                    while (written.get() < TOTAL) {
                        raw.write(batch);
                        written.addAndGet(batch.length);
                    }
                } catch (Exception closed) {
                    // The test closed the socket while this was blocked.
                }
            }, "flood-writer");
            writer.start();
            long last = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (written.get() != last && written.get() < TOTAL && System.nanoTime() - deadline < 0) {
                last = written.get();
                Thread.sleep(1_000);
            }
            assertTrue(written.get() < MOST_WRITTEN, "the server read " + (written.get() >> 20)
                    + " MiB of frames while none of their callbacks could run");
            raw.close();
            writer.join(10_000);
        } finally {
            release.countDown();
            executor.shutdown();
        }
    }
}
