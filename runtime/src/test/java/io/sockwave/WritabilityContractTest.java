package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writability contract (issue #23): every turn to unwritable is followed by exactly one {@code onWritable}, and
 * {@code whenWritable()} completes, once the queue is back at the low watermark, however it drained; and the count
 * of queued bytes the watermarks compare stays exact.
 */
class WritabilityContractTest {
    /** Larger than what loopback socket buffers absorb, so that part of it stays queued. */
    private static final int MESSAGE = 16 << 20;

    private Server server;
    private final Recorder recorder = new Recorder();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private int start() throws Exception {
        recorder.recordWritable = true;
        // The limit lets the large message in whatever else is queued (a pong, say).
        server = Server.builder().host("127.0.0.1").eventLoops(1).outboundBuffer(16 << 10, 64 << 10, 64 << 20)
                .route("/", recorder).build().start();
        return server.port();
    }

    /** Queues one large message to a client that does not read: the session turns unwritable and stays so. */
    private static void stallOn(Session session) throws InterruptedException {
        CompletableFuture<Void> sent = session.sendBinary(ByteBuffer.allocate(MESSAGE));
        assertFalse(sent.isCompletedExceptionally(), () -> "the send: " + sent);
        assertFalse(session.isWritable(), "a message past the high watermark makes the session unwritable");
        Thread.sleep(100);
        assertFalse(session.isWritable(), "the stalled client holds the queue above the low watermark");
    }

    @Test
    void aConnectionResetWhileUnwritableStillDeliversOnWritableOnceBeforeOnClose() throws Exception {
        int port = start();
        Session session;
        try (RawSocket client = RawSocket.connectStalling(port).open("/")) {
            session = recorder.session();
            recorder.expect("open");
            stallOn(session);
            CompletableFuture<Void> writable = session.whenWritable();
            assertFalse(writable.isDone());
            client.socket.setSoLinger(true, 0);
        }
        // The reset fails the queue: it is empty, so the contract's onWritable comes, once, and then onClose.
        recorder.awaitClose();
        List<String> events = recorder.drain();
        assertEquals(1, events.stream().filter("writable"::equals).count(), events.toString());
        assertTrue(events.indexOf("writable") < events.size() - 1, "onWritable comes before onClose: " + events);
        assertTrue(session.whenWritable().isDone());
    }

    @Test
    void aStalledClientThatReadsAgainGetsExactlyOneOnWritable() throws Exception {
        int port = start();
        try (RawSocket client = RawSocket.connectStalling(port).open("/")) {
            Session session = recorder.session();
            recorder.expect("open");
            stallOn(session);
            CompletableFuture<Void> writable = session.whenWritable();
            assertEquals(MESSAGE, client.readFrame().payload().length);
            writable.get(10, TimeUnit.SECONDS);
            recorder.expect("writable");
            assertTrue(session.isWritable());
            session.close(1000, "done");
            assertEquals(1000, client.readFrame().closeCode());
            client.write(RawSocket.masked(0x88, RawSocket.closePayload(1000, "")));
            recorder.awaitClose();
            assertFalse(recorder.drain().contains("writable"), "one onWritable per turn to unwritable");
        }
    }

    /**
     * RFC 6455 §5.5.3 lets a pong not yet sent be replaced by a newer one; when the newer ping's payload is larger,
     * the queue grows by the difference, and the session's count must grow with it, or it runs below zero once the
     * pongs are written and the watermarks compare against a wrong figure.
     */
    @Test
    void replacingAnUnsentPongBySizeKeepsTheQueuedCountExact() throws Exception {
        int port = start();
        try (RawSocket client = RawSocket.connectStalling(port).open("/")) {
            Session session = recorder.session();
            recorder.expect("open");
            stallOn(session);
            for (int i = 0; i < 40; i++) {
                client.write(RawSocket.masked(0x89, new byte[1]));
            }
            // Apart, so that each arrives in a read of its own and its pong meets the 32 already queued, rather
            // than being coalesced by the protocol core with the others of one read.
            Thread.sleep(200);
            for (int i = 0; i < 5; i++) {
                client.write(RawSocket.masked(0x89, new byte[125]));
                Thread.sleep(50);
            }
            assertEquals(MESSAGE, client.readFrame().payload().length);
            // Pongs follow the message; the newest, answering the last ping, carries its 125 bytes.
            RawSocket.Frame frame;
            do {
                frame = client.readFrame();
                assertEquals(0x8A, frame.b0(), "only pongs follow the message");
            } while (frame.payload().length != 125);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (session.queuedBytes() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, session.queuedBytes(), "queued bytes once every frame is written");
        }
    }
}
