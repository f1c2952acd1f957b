package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue #23: a burst of messages read in one loop turn whose echoes cross the outbound high watermark (default
 * 64 KiB) within that turn. The echo endpoint suspends reading when the session turns unwritable and resumes in
 * {@code onWritable}; the queue drains at the end of the turn, and {@code onWritable} must then be delivered, even
 * though messages read before the suspension are held, so that reading resumes and every message is echoed. Before
 * the fix the held messages kept {@code onWritable} waiting behind them: the connection wedged after about 64 KiB of
 * echoes. Each row of the table is a case, sent as hand-made masked frames in one write, before reading.
 */
class BurstPastHighWatermarkTest {
    private Server server;
    private ExecutorService executor;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private int start(boolean offLoopCallbacks) throws Exception {
        Server.Builder builder = Server.builder().host("127.0.0.1").eventLoops(1)
                .route("/echo", new PushBackEchoListener());
        if (offLoopCallbacks) {
            executor = Executors.newFixedThreadPool(2);
            builder.callbackExecutor(executor);
        }
        server = builder.build().start();
        return server.port();
    }

    @ParameterizedTest(name = "{0} x {1} B then {2} B, callbacks off the loop: {3}")
    @CsvSource({
        "100, 100,   0,    false",
        "100, 1000,  0,    false",
        "100, 4000,  0,    false",
        "1,   60000, 100,  false",
        "1,   65535, 100,  false",
        "1,   70000, 2000, false",
        "100, 1000,  0,    true",
        "1,   70000, 2000, true",
    })
    void everyMessageOfABurstIsEchoedAndTheSessionStaysLive(int count, int size, int tail, boolean offLoop)
            throws Exception {
        int port = start(offLoop);
        Random random = new Random(count * 31L + size);
        List<byte[]> sent = new ArrayList<>();
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            sent.add(randomText(random, size));
        }
        if (tail > 0) {
            sent.add(randomText(random, tail));
        }
        for (byte[] payload : sent) {
            burst.writeBytes(RawSocket.masked(0x81, payload));
        }
        try (RawSocket socket = RawSocket.connect(port).open("/echo")) {
            writeAside(socket, burst.toByteArray());
            for (int i = 0; i < sent.size(); i++) {
                RawSocket.Frame echo = socket.readFrame();
                assertEquals(0x81, echo.b0(), "echo " + i + " of " + sent.size());
                assertArrayEquals(sent.get(i), echo.payload(), "echo " + i + " of " + sent.size());
            }
            // The session is still live: a later message is echoed, and a close is answered (RFC 6455 §5.5.1).
            socket.write(RawSocket.masked(0x81, "after the burst"));
            assertEquals("after the burst", socket.readFrame().text());
            socket.write(RawSocket.masked(0x88, RawSocket.closePayload(1000, "")));
            assertEquals(1000, socket.expectCloseAndEof());
        }
    }

    @Test
    void aBurstOfBinaryMessagesLargerThanTheReadBufferIsEchoedInOrder() throws Exception {
        int port = start(false);
        Random random = new Random(23);
        List<byte[]> sent = new ArrayList<>();
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < 40; i++) {
            byte[] payload = new byte[random.nextInt(40_000)];
            random.nextBytes(payload);
            sent.add(payload);
            burst.writeBytes(RawSocket.masked(0x82, payload));
        }
        try (RawSocket socket = RawSocket.connect(port).open("/echo")) {
            writeAside(socket, burst.toByteArray());
            for (int i = 0; i < sent.size(); i++) {
                RawSocket.Frame echo = socket.readFrame();
                assertEquals(0x82, echo.b0());
                assertArrayEquals(sent.get(i), echo.payload(), "echo " + i);
            }
        }
    }

    /**
     * Writes the burst from another thread, as a client that sends before it reads: with small socket buffers a
     * blocking write here would wait on the server's echoes, which the test only reads afterwards.
     */
    private static void writeAside(RawSocket socket, byte[] bytes) {
        Thread writer = new Thread(() -> {
            try {
                socket.write(bytes);
            } catch (java.io.IOException ignored) {
                // The reads that follow fail with what went wrong.
            }
        }, "burst-writer");
        writer.setDaemon(true);
        writer.start();
    }

    private static byte[] randomText(Random random, int size) {
        byte[] text = new byte[size];
        for (int i = 0; i < size; i++) {
            text[i] = (byte) ('a' + random.nextInt(26));
        }
        return text;
    }
}
