package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server's large frames go to the socket from direct buffers the event loop pools, beside small frames gathered
 * into one buffer. Whatever the mix and however the socket cuts the writes, each frame must arrive whole, byte for
 * byte, and in the order sent (RFC 6455 §5.2, §5.4); and a buffer goes back to the pool only when nothing will
 * write from it again.
 */
class LargeFramesEndToEndTest {
    /** Payload sizes on both sides of each pool boundary: heap below 1 KiB of frame, direct up to 64 KiB, heap past. */
    private static final int[] SIZES = {10, 1020, 1019, 1036, 1037, 3, 16_384, 125, 65_536, 65_540, 65_541, 200_000,
        0, 40_000, 70};

    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * On "sizes TAG ROUNDS" the server sends the {@link #SIZES} that many times, text for the odd sizes and binary
     * for the even ones; on "repeat TAG COUNT SIZE", COUNT binary messages of one size. All in one callback, so
     * they are queued in one turn and written together.
     */
    private int start(CountDownLatch closed) throws Exception {
        Listener sender = new Listener() {
            @Override
            public void onText(Session session, String command) {
                String[] words = command.split(" ");
                int tag = Integer.parseInt(words[1]);
                int count = Integer.parseInt(words[2]);
                int n = 0;
                for (int i = 0; i < count; i++) {
                    if (words[0].equals("sizes")) {
                        for (int size : SIZES) {
                            send(session, tag, n++, size);
                        }
                    } else {
                        session.sendBinary(ByteBuffer.wrap(payload(tag, n++, Integer.parseInt(words[3]))));
                    }
                }
            }

            @Override
            public void onClose(Session session, int code, String reason) {
                closed.countDown();
            }
        };
        server = Server.builder().host("127.0.0.1").port(0).eventLoops(1)
                .outboundBuffer(1 << 20, 2 << 20, 64 << 20).route("/", sender).build().start();
        return server.port();
    }

    private static void send(Session session, int tag, int n, int size) {
        if (size % 2 == 1) {
            session.sendText(text(tag, n, size));
        } else {
            session.sendBinary(ByteBuffer.wrap(payload(tag, n, size)));
        }
    }

    private static byte[] payload(int tag, int n, int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (tag * 37 + n * 31 + i);
        }
        return bytes;
    }

    private static String text(int tag, int n, int size) {
        StringBuilder s = new StringBuilder(size);
        for (int i = 0; i < size; i++) {
            s.append((char) ('a' + (tag * 37 + n * 31 + i) % 26));
        }
        return s.toString();
    }

    @Test
    void framesOfEverySizeArriveWholeAndInOrderThroughWritesTheSocketCuts() throws Exception {
        int port = start(new CountDownLatch(1));
        try (RawSocket socket = RawSocket.connectStalling(port).open("/")) {
            socket.write(RawSocket.masked(0x81, "sizes 1 4"));
            // Not reading yet: the small window fills, and the server's writes stop part-way through frames.
            Thread.sleep(200);
            int n = 0;
            for (int round = 0; round < 4; round++) {
                for (int size : SIZES) {
                    RawSocket.Frame frame = socket.readFrame();
                    String what = "message " + n + " (" + size + " bytes)";
                    if (size % 2 == 1) {
                        assertEquals(0x81, frame.b0(), what);
                        assertEquals(text(1, n, size), frame.text(), what);
                    } else {
                        assertEquals(0x82, frame.b0(), what);
                        assertArrayEquals(payload(1, n, size), frame.payload(), what);
                    }
                    n++;
                }
            }
        }
    }

    @Test
    void framesDroppedWithAFailedConnectionAreNotWrittenToTheNext() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        int port = start(closed);
        RawSocket stalled = RawSocket.connectStalling(port).open("/");
        // In several turns, so that the later ones reuse the buffers of frames the socket took, and stay queued.
        for (int i = 0; i < 6; i++) {
            stalled.write(RawSocket.masked(0x81, "repeat 1 20 60000"));
            Thread.sleep(50);
        }
        // A reset fails the session with pooled frames still queued: their buffers go back to the pool.
        stalled.socket.setSoLinger(true, 0);
        stalled.close();
        assertTrue(closed.await(10, TimeUnit.SECONDS), "the server saw the reset");

        try (RawSocket socket = RawSocket.connect(port).open("/")) {
            socket.write(RawSocket.masked(0x81, "repeat 2 40 60000"));
            List<Integer> wrong = new ArrayList<>();
            for (int n = 0; n < 40; n++) {
                RawSocket.Frame frame = socket.readFrame();
                assertEquals(0x82, frame.b0());
                if (!java.util.Arrays.equals(payload(2, n, 60_000), frame.payload())) {
                    wrong.add(n);
                }
            }
            assertEquals(List.of(), wrong, "messages whose bytes were not the ones sent");
        }
    }

    @Test
    void aSendMadeWhileAFailedSessionsQueueIsFailedIsRefusedAndLeavesNothingBehind() throws Exception {
        CompletableFuture<Throwable> resend = new CompletableFuture<>();
        Listener resender = new Listener() {
            @Override
            public void onText(Session session, String text) {
                for (int i = 0; i < 200; i++) {
                    session.sendBinary(ByteBuffer.wrap(payload(3, i, 60_000))).whenComplete((ok, failure) -> {
                        if (failure != null && !resend.isDone()) {
                            // Runs on the loop as the queue is failed, before the session has ended.
                            session.sendBinary(ByteBuffer.wrap(payload(3, 0, 60_000)))
                                    .whenComplete((again, why) -> resend.complete(why));
                        }
                    });
                }
            }
        };
        server = Server.builder().host("127.0.0.1").port(0).eventLoops(1)
                .outboundBuffer(1 << 20, 2 << 20, 64 << 20).route("/", resender).build().start();
        RawSocket stalled = RawSocket.connectStalling(server.port()).open("/");
        stalled.write(RawSocket.masked(0x81, "go"));
        Thread.sleep(200);
        stalled.socket.setSoLinger(true, 0);
        stalled.close();

        Throwable why = resend.get(10, TimeUnit.SECONDS);
        assertTrue(why instanceof IOException, "the resend failed: " + why);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!server.stats().equals(new ServerStats(0, 0, 0, 0, 0)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(new ServerStats(0, 0, 0, 0, 0), server.stats(), "no queue, byte or buffer left behind");
    }
}
