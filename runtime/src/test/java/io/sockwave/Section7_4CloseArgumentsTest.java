package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Programmer errors in close and control sends throw at the call and leave the session open (RFC 6455 §7.4.1 close
 * codes, §5.5 payload sizes), while what depends on the session's state fails the future; and what the peer sent
 * before it saw a local close still arrives (§1.4). Checked on the wire through a real socket.
 */
class Section7_4CloseArgumentsTest {
    private Server server;
    private final Recorder recorder = new Recorder();

    @BeforeEach
    void start() throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", recorder).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void codesThatMayNotBeSentThrowAndTheSessionStaysOpen() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            Session session = recorder.session();
            for (int code : new int[] {-1, 0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> session.close(code, ""), "code " + code);
                assertTrue(e.getMessage().contains(Integer.toString(code)), e.getMessage());
            }
            assertTrue(session.isOpen());
            // Nothing was sent: the next frame on the wire is the answer to this ping.
            raw.write(RawSocket.masked(0x89, "still there?"));
            RawSocket.Frame pong = raw.readFrame();
            assertEquals(0x8A, pong.b0());
            assertEquals("still there?", pong.text());
        }
    }

    @Test
    void reasonOver123BytesOfUtf8ThrowsAnd123IsSentExactly() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            Session session = recorder.session();
            String twoByteChars = "\u00e9".repeat(62); // 124 bytes of UTF-8 in 62 chars
            assertThrows(IllegalArgumentException.class, () -> session.close(1000, twoByteChars));
            assertThrows(IllegalArgumentException.class, () -> session.close(1000, "\ud800 unpaired"));
            assertThrows(NullPointerException.class, () -> session.close(1000, null));
            assertTrue(session.isOpen());

            String reason = "x" + "\u00e9".repeat(61); // 123 bytes
            session.close(4000, reason).get(10, TimeUnit.SECONDS);
            RawSocket.Frame close = raw.readFrame();
            assertEquals(0x88, close.b0());
            assertEquals(4000, close.closeCode());
            assertEquals(reason, close.closeReason());
            assertEquals(125, close.payload().length);
        }
    }

    @Test
    void controlPayloadOver125BytesThrows() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            Session session = recorder.session();
            assertThrows(IllegalArgumentException.class, () -> session.ping(ByteBuffer.allocate(126)));
            assertThrows(IllegalArgumentException.class, () -> session.pong(ByteBuffer.allocate(126)));
            session.ping(ByteBuffer.allocate(125)).get(10, TimeUnit.SECONDS);
            RawSocket.Frame ping = raw.readFrame();
            assertEquals(0x89, ping.b0());
            assertArrayEquals(new byte[125], ping.payload());
        }
    }

    /** Sends after close are a matter of state, which the peer can change at any moment: they fail the future. */
    @Test
    void sendsAfterCloseFailTheFutureWithoutThrowing() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            Session session = recorder.session();
            session.close(1000, "bye").get(10, TimeUnit.SECONDS);
            assertFalse(session.isOpen());
            assertInstanceOf(IllegalStateException.class, failure(session.sendText("late")));
            assertInstanceOf(IllegalStateException.class, failure(session.close()));

            raw.write(RawSocket.masked(0x88, RawSocket.closePayload(1000, "")));
            assertEquals(1000, raw.expectCloseAndEof());
            recorder.awaitClose();
            assertInstanceOf(IOException.class, failure(session.sendText("later")));
        }
    }

    /**
     * README.md: "isOpen() is false from the close on". Called on another thread while the session's loop is
     * busy, close() used to return with isOpen() still true until the loop ran the close, though every send made
     * after it already failed there.
     */
    @Test
    void isOpenIsFalseOnceCloseReturnsEvenBeforeTheLoopRunsIt() throws Exception {
        CompletableFuture<Session> blocking = new CompletableFuture<>();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Listener blocker = new Listener() {
            @Override
            public void onText(Session session, String text) {
                blocking.complete(session);
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (Server busy = Server.builder().host("127.0.0.1").eventLoops(1).route("/", blocker).build().start();
             RawSocket raw = RawSocket.connect(busy.port()).open("/")) {
            raw.write(RawSocket.masked(0x81, "hold the loop"));
            Session session = blocking.get(10, TimeUnit.SECONDS);
            CompletableFuture<Void> closed;
            CompletableFuture<Void> late;
            try {
                closed = session.close(1000, "bye");
                assertFalse(session.isOpen(), "close() returned");
                late = session.sendText("late");
            } finally {
                release.countDown();
            }
            closed.get(10, TimeUnit.SECONDS);
            assertInstanceOf(IllegalStateException.class, failure(late));
            RawSocket.Frame close = raw.readFrame();
            assertEquals(0x88, close.b0());
            assertEquals(1000, close.closeCode());
            assertEquals("bye", close.closeReason());
        }
    }

    /** RFC 6455 §1.4: after sending a close frame, an endpoint still receives until the peer's close frame. */
    @Test
    void messagesSentBeforeThePeerSawTheCloseStillArrive() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            Session session = recorder.session();
            recorder.expect("open");
            session.close(1000, "").get(10, TimeUnit.SECONDS);
            assertEquals(0x88, raw.readFrame().b0());
            raw.write(RawSocket.masked(0x81, "in flight"));
            raw.write(RawSocket.masked(0x88, RawSocket.closePayload(1000, "")));
            recorder.expect("text:in flight");
            assertTrue(recorder.awaitClose().startsWith("close:1000"));
        }
    }

    private static Throwable failure(CompletableFuture<Void> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }
}
