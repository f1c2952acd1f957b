package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A close that goes ahead of the queued messages (the outbound limit under {@link OutboundLimitPolicy#CLOSE}) in a
 * server's {@code onOpen}, before the 101 is written: the messages it drops are the session's own, never the 101
 * queued ahead of them. They used to be counted against the 101 first, so the session's {@code queuedBytes} went on
 * counting the 101 as its own, and an abort after it no longer knew the 101 was unwritten and cut it (RFC 6455
 * §4.2.2: the 101 the server decided completes the handshake).
 */
class UrgentCloseBeforeThe101Test {
    private static final String REASON = "outbound limit exceeded";
    /** A close frame with code and reason, as the session counts it: 2 header bytes, 2 code bytes, the reason. */
    private static final long CLOSE_FRAME = 2 + 2 + REASON.length();

    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Fills the queue past the 101's size, overflows it, and records the session's count after the close. */
    private static class OverflowingListener extends Recorder {
        final CompletableFuture<Long> queuedAfterClose = new CompletableFuture<>();
        private final boolean abortAfter;

        OverflowingListener(boolean abortAfter) {
            this.abortAfter = abortAfter;
        }

        @Override
        public void onOpen(Session session) {
            super.onOpen(session);
            session.sendText("x".repeat(1000));
            session.sendText("one too many");
            queuedAfterClose.complete(session.queuedBytes());
            if (abortAfter) {
                session.abort();
            }
        }
    }

    private void start(Listener listener) throws Exception {
        server = Server.builder().host("127.0.0.1").port(0).eventLoops(1)
                .outboundBuffer(100, 200, 1024).outboundLimitPolicy(OutboundLimitPolicy.CLOSE)
                .route("/overflow", listener).build().start();
    }

    /** The loop publishes its counts at the end of the turn that wrote the last bytes: looked at until then. */
    private void assertNothingQueued() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.stats().queuedBytes() != 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        assertEquals(0, server.stats().queuedBytes(), server.stats().toString());
    }

    @Test
    void theSessionCountsOnlyItsCloseFrameOnceTheDataAheadOfItIsDropped() throws Exception {
        OverflowingListener listener = new OverflowingListener(false);
        start(listener);
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.upgrade("/overflow", ""));
            String head = raw.readHead();
            assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head);
            assertEquals(CLOSE_FRAME, listener.queuedAfterClose.get(10, TimeUnit.SECONDS));
            RawSocket.Frame close = raw.readFrame();
            assertEquals(0x88, close.b0(), "the close goes first, the text is dropped: " + close);
            assertEquals(1008, close.closeCode());
            raw.write(RawSocket.masked(0x88, RawSocket.closePayload(1008, "")));
            raw.expectEof();
        }
        // The peer's close, which answered it, is the one onClose reports.
        assertEquals("close:1008:", listener.awaitClose());
        assertEquals(0, listener.opened.get().queuedBytes());
        assertNothingQueued();
    }

    @Test
    void rfc6455Section4_2_2AnAbortAfterTheUrgentCloseStillLetsThe101Out() throws Exception {
        OverflowingListener listener = new OverflowingListener(true);
        start(listener);
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.upgrade("/overflow", ""));
            String head = raw.readHead();
            assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head);
            byte[] rest;
            try {
                rest = raw.readUntilEof().getBytes(StandardCharsets.ISO_8859_1);
            } catch (SocketException reset) {
                rest = new byte[0];
            }
            assertEquals(0, rest.length, "bytes after the 101: " + new String(rest, StandardCharsets.ISO_8859_1));
        }
        assertEquals(CLOSE_FRAME, listener.queuedAfterClose.get(10, TimeUnit.SECONDS));
        assertEquals("close:1008:" + REASON, listener.awaitClose());
        assertEquals(0, listener.opened.get().queuedBytes());
        assertNothingQueued();
    }
}
