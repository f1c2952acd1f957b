package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A flood of pings (issue #14, defect 6) through a real socket, from a client that does not read while it floods.
 * §5.5.3 lets an endpoint that has not yet answered earlier pings answer only the most recent, so the pongs a flood
 * is owed are bounded and the latest ping is answered; what each ping costs the loop is counted in bytes allocated
 * (a count, not a timing), so that a flood costs no more than the bytes it is made of need to be parsed.
 */
@Timeout(60)
class PingFloodTest {
    private static final int BATCH = 4096;
    private static final int BATCHES = 50;
    /**
     * Bytes the loop may allocate per ping: the ping's payload and the view of it handed to {@code onPing}. Encoding a
     * pong for every ping, most of which no pong is ever sent for, cost about 180 bytes more.
     */
    private static final long PER_PING_BUDGET = 96;

    @Test
    void aFloodFromAClientThatDoesNotReadIsAnsweredWithBoundedPongsTheLastForTheLatestPing() throws Exception {
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", new EchoListener())
                .build().start(); RawSocket raw = RawSocket.connectStalling(server.port()).open("/")) {
            long loop = ServerAllocationTest.loopThreadOf(server);
            byte[] batch = batchOfPings();
            flood(raw, batch, 5, "warm");
            long before = ServerAllocationTest.allocated(loop);
            int pongs = flood(raw, batch, BATCHES, "latest");
            long perPing = (ServerAllocationTest.allocated(loop) - before) / ((long) BATCH * BATCHES);

            assertTrue(perPing <= PER_PING_BUDGET, perPing + " bytes allocated by the loop per ping; budget "
                    + PER_PING_BUDGET);
            assertTrue(pongs < BATCH * BATCHES / 4, pongs + " pongs for " + BATCH * BATCHES + " pings");
            assertEquals(0, server.stats().queuedBytes(), "nothing left queued once the client has read");
            // The session still works: the flood cost it nothing but the pongs it skipped.
            raw.write(RawSocket.masked(0x81, "after the flood"));
            assertEquals("after the flood", new String(raw.readFrame().payload(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aFloodWhileCallbacksAreHeldIsPushedBackInsteadOfQueuedWithoutBound() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        // The application's one callback thread is busy: every onPing waits, held by the session.
        executor.execute(() -> awaitQuietly(release));
        byte[] emptyPings = new byte[6 * BATCH];
        byte[] one = RawSocket.masked(0x89, new byte[0]);
        for (int i = 0; i < BATCH; i++) {
            System.arraycopy(one, 0, emptyPings, i * one.length, one.length);
        }
        long total = 60L << 20;
        AtomicLong written = new AtomicLong();
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).callbackExecutor(executor)
                .route("/", new EchoListener()).build().start();
             RawSocket raw = RawSocket.connectStalling(server.port()).open("/")) {
            Thread writer = new Thread(() -> {
                try {
                    while (written.get() < total) {
                        raw.write(emptyPings);
                        written.addAndGet(emptyPings.length);
                    }
                } catch (Exception closed) {
                    // The test closed the socket while this was blocked.
                }
            }, "ping-flood-writer");
            writer.start();
            long last = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (written.get() != last && written.get() < total && System.nanoTime() - deadline < 0) {
                last = written.get();
                Thread.sleep(1_000);
            }
            // Empty pings are 6 bytes each on the wire but a held call each: they are counted with what a call
            // costs, so reading stops at the backlog's high watermark and TCP pushes back on the flood.
            // About 4 MiB measured, most of it in socket buffers; without the overhead counted, the server kept
            // reading for as long as it was let, about 23 MiB in 18 s, queueing a call for each ping.
            assertTrue(written.get() < 12 << 20, "the server read " + (written.get() >> 20) + " MiB of empty pings"
                    + " while none of their callbacks could run");
            raw.close();
            writer.join(10_000);
        } finally {
            release.countDown();
            executor.shutdown();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends the batches without reading, then a ping with the marker, then reads until the pong that answers it.
     *
     * @return the pongs read
     */
    private static int flood(RawSocket raw, byte[] batch, int batches, String marker) throws Exception {
        for (int i = 0; i < batches; i++) {
            raw.write(batch);
        }
        raw.write(RawSocket.masked(0x89, marker));
        int pongs = 0;
        while (true) {
            RawSocket.Frame frame = raw.readFrame();
            assertEquals(0xA, frame.opcode(), "expected only pongs, got " + frame);
            pongs++;
            if (new String(frame.payload(), StandardCharsets.UTF_8).equals(marker)) {
                return pongs;
            }
        }
    }

    /** Pings of 8 bytes each, a counter, masked: 14 bytes on the wire. */
    private static byte[] batchOfPings() {
        byte[] one = RawSocket.masked(0x89, "00000000");
        byte[] batch = new byte[one.length * BATCH];
        for (int i = 0; i < BATCH; i++) {
            byte[] ping = RawSocket.masked(0x89, String.format("%08d", i));
            System.arraycopy(ping, 0, batch, i * one.length, one.length);
        }
        return batch;
    }
}
