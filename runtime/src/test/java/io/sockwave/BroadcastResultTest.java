package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A broadcast reports each session it skipped with the reason, and still reaches the healthy ones. */
class BroadcastResultTest {
    private static final int LIMIT = 64 * 1024;
    private static final int MESSAGE = 256 * 1024;

    @Test
    void skippedSessionsAreReportedWithTheirReason() throws Exception {
        Recorder healthy = new Recorder();
        Recorder closed = new Recorder();
        Recorder stalled = new Recorder();
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1)
                .outboundBuffer(1024, 32 * 1024, LIMIT)
                .route("/healthy", healthy).route("/closed", closed).route("/stalled", stalled)
                .build().start();
             RawSocket a = RawSocket.connect(server.port()).open("/healthy");
             RawSocket b = RawSocket.connect(server.port()).open("/closed");
             RawSocket c = RawSocket.connectStalling(server.port()).open("/stalled")) {
            Session closing = closed.session();
            closing.close(1000, "").get(10, TimeUnit.SECONDS);
            Session slow = stalled.session();
            fillUntilRefused(slow);

            BroadcastResult result = Server.broadcast(List.of(healthy.session(), closing, slow), "news");

            assertEquals(1, result.queued());
            assertEquals(2, result.skipped().size());
            assertSame(closing, result.skipped().get(0).session());
            assertEquals(BroadcastResult.Reason.CLOSED, result.skipped().get(0).reason());
            assertSame(slow, result.skipped().get(1).session());
            assertEquals(BroadcastResult.Reason.OUTBOUND_LIMIT, result.skipped().get(1).reason());
            assertInstanceOf(OutboundLimitExceededException.class, result.skipped().get(1).cause());
            assertEquals("news", a.readFrame().text());
        }
    }

    /** A session of the application's own making (here a proxy around Sockwave's) is reported the same way. */
    @Test
    void aWrappedSessionIsSentToAndReportedThroughItsOwnSend() throws Exception {
        Recorder healthy = new Recorder();
        Recorder closed = new Recorder();
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1)
                .route("/healthy", healthy).route("/closed", closed)
                .build().start();
             RawSocket a = RawSocket.connect(server.port()).open("/healthy");
             RawSocket b = RawSocket.connect(server.port()).open("/closed")) {
            Session closing = wrapped(closed.session());
            closing.close(1000, "").get(10, TimeUnit.SECONDS);

            BroadcastResult result = Server.broadcast(List.of(wrapped(healthy.session()), closing), "news");

            assertEquals(1, result.queued());
            assertEquals(1, result.skipped().size());
            assertSame(closing, result.skipped().get(0).session());
            assertEquals(BroadcastResult.Reason.CLOSED, result.skipped().get(0).reason());
            assertEquals("news", a.readFrame().text());
        }
    }

    /**
     * RFC 6455 §5.6 and §8.1: a text message is UTF-8, which cannot carry an unpaired surrogate. A session's own
     * {@code sendText} refuses such text; the broadcast of it must not send something else in its place (it sent
     * "a?b", the JDK's replacement for what it cannot encode), but refuse it at the call, sending nothing.
     */
    @Test
    void textWithAnUnpairedSurrogateIsRefusedNotReplacedPerRfc6455Section5_6() throws Exception {
        Recorder listener = new Recorder();
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", listener).build().start();
             RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            Session session = listener.session();
            for (String text : new String[] {"a\uD800b", "a\uDC00", "\uD83D"}) {
                IllegalArgumentException prepared = assertThrows(IllegalArgumentException.class,
                        () -> PreparedMessage.text(text));
                assertTrue(prepared.getMessage().contains("unpaired surrogate"), prepared.getMessage());
                assertThrows(IllegalArgumentException.class, () -> Server.broadcast(List.of(session), text));
            }
            // A pair is one character, and fine.
            assertEquals("\uD83D\uDE00",
                    new String(bytes(PreparedMessage.text("\uD83D\uDE00").payload()), StandardCharsets.UTF_8));
            // Nothing was sent: the next frame on the wire is the answer to this ping.
            raw.write(RawSocket.masked(0x89, "still there?"));
            RawSocket.Frame pong = raw.readFrame();
            assertEquals(0x8A, pong.b0());
            assertEquals("still there?", pong.text());
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static Session wrapped(Session session) {
        return (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> {
                    try {
                        return method.invoke(session, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * Sends until a send is refused even after the loop had time to write: the kernel's socket buffers absorb some
     * megabytes first, which the queue sees drain away.
     */
    private static void fillUntilRefused(Session session) throws InterruptedException {
        int refusedInARow = 0;
        for (int i = 0; i < 2000 && refusedInARow < 3; i++) {
            boolean refused = session.sendBinary(ByteBuffer.allocate(MESSAGE)).isCompletedExceptionally();
            refusedInARow = refused ? refusedInARow + 1 : 0;
            Thread.sleep(refused ? 50 : 1);
        }
        if (refusedInARow < 3) {
            throw new AssertionError("no send was refused");
        }
    }
}
