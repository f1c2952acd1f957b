package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.testsupport.AllocatedBytes;
import io.sockwave.testsupport.LiveThreads;
import java.nio.charset.StandardCharsets;
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
     * Bytes the loop may allocate per ping: the ping's payload, the handler's own copy of it (24 bytes for these
     * 8-byte pings: a handler may write to the buffer it is given, and the pong must still carry the ping's data) and
     * the view of it handed to {@code onPing}. Encoding a pong for every ping, most of which no pong is ever sent
     * for, cost about 180 bytes more.
     */
    private static final long PER_PING_BUDGET = 120;

    @Test
    void aFloodFromAClientThatDoesNotReadIsAnsweredWithBoundedPongsTheLastForTheLatestPing() throws Exception {
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", new EchoListener())
                .build().start(); RawSocket raw = RawSocket.connectStalling(server.port()).open("/")) {
            long loop = LiveThreads.newestServerLoop();
            byte[] batch = batchOfPings();
            flood(raw, batch, 5, "warm");
            long before = AllocatedBytes.byThreads(loop);
            int pongs = flood(raw, batch, BATCHES, "latest");
            long perPing = (AllocatedBytes.byThreads(loop) - before) / ((long) BATCH * BATCHES);

            assertTrue(perPing <= PER_PING_BUDGET, perPing + " bytes allocated by the loop per ping; budget "
                    + PER_PING_BUDGET);
            assertTrue(pongs < BATCH * BATCHES / 4, pongs + " pongs for " + BATCH * BATCHES + " pings");
            // The loop counts a write once the socket took it, which can be just after the client read it.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (server.stats().queuedBytes() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, server.stats().queuedBytes(), "nothing left queued once the client has read");
            // The session still works: the flood cost it nothing but the pongs it skipped.
            raw.write(RawSocket.masked(0x81, "after the flood"));
            assertEquals("after the flood", new String(raw.readFrame().payload(), StandardCharsets.UTF_8));
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
