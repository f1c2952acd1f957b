package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bounded outbound buffer: watermarks, the limit and its policies, and control frames going ahead of queued
 * data, against a raw client that stops reading.
 */
class OutboundBackpressureTest {
    private static final int LOW = 64 << 10;
    private static final int HIGH = 256 << 10;
    private static final int LIMIT = 1 << 20;
    private static final int MESSAGE = 16 << 10;
    /** Far beyond what the limit and loopback socket buffers together can hold. */
    private static final int ATTEMPTS = 2000;

    private Server server;
    private final Recorder recorder = new Recorder();
    /** Messages {@link #sendUntilRefused} had accepted. */
    private int accepted;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(OutboundLimitPolicy policy) throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(1)
                .outboundBuffer(LOW, HIGH, LIMIT).outboundLimitPolicy(policy)
                .route("/", recorder).route("/echo", new EchoListener()).build().start();
    }

    /**
     * Sends until a send is refused, lets the loop write what it took, and again, until the queue stays above the high
     * watermark: the kernel's socket buffers absorb some megabytes first, which the queue sees drain away.
     */
    private CompletableFuture<Void> fillUntilStalled(Session session, LoopBarrier loop) throws Exception {
        for (int round = 0; round < 50; round++) {
            CompletableFuture<Void> refused = sendUntilRefused(session);
            loop.pass();
            if (session.queuedBytes() > HIGH) {
                return refused;
            }
        }
        throw new AssertionError("the socket never filled up");
    }

    /** Sends until a send fails; returns that failure. */
    private CompletableFuture<Void> sendUntilRefused(Session session) {
        for (int i = 0; i < ATTEMPTS; i++) {
            CompletableFuture<Void> sent = session.sendBinary(ByteBuffer.allocate(MESSAGE));
            if (sent.isCompletedExceptionally()) {
                return sent;
            }
            accepted++;
            assertTrue(session.queuedBytes() <= LIMIT, "queued " + session.queuedBytes() + " > limit");
        }
        throw new AssertionError("no send refused after " + ATTEMPTS + " messages of " + MESSAGE + " bytes");
    }

    @Test
    void clientThatNeverReadsMeetsTheLimitAndOthersAreUnaffected() throws Exception {
        start(OutboundLimitPolicy.FAIL_SEND);
        try (RawSocket stalled = RawSocket.connectStalling(server.port()).open("/");
             LoopBarrier loop = new LoopBarrier(server.port());
             Client client = Client.create()) {
            recorder.recordWritable = true;
            Session session = recorder.session();
            assertTrue(session.isWritable());
            CompletableFuture<Void> refused = fillUntilStalled(session, loop);
            ExecutionException e = assertThrows(ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
            assertInstanceOf(OutboundLimitExceededException.class, e.getCause());
            assertFalse(session.isWritable());
            assertTrue(session.isOpen(), "FAIL_SEND leaves the session open");
            assertTrue(server.stats().queuedBytes() <= LIMIT, "server-wide queued bytes stay within the limit");
            CompletableFuture<Void> writable = session.whenWritable();
            assertFalse(writable.isDone());

            Recorder other = new Recorder();
            Session healthy = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), other)
                    .get(10, TimeUnit.SECONDS);
            healthy.sendText("still served");
            other.expect("open");
            other.expect("text:still served");

            // The stalled client starts reading: the queue drains below the low watermark. Reading stops with the last
            // message, not only with the future: the loop may complete it after the reader took its last write.
            for (int read = 0; !writable.isDone() && read < accepted; read++) {
                assertEquals(MESSAGE, stalled.readFrame().payload().length);
            }
            writable.get(10, TimeUnit.SECONDS);
            assertTrue(session.isWritable());
            recorder.expect("open");
            recorder.expect("writable");
        }
    }

    @Test
    void closePolicyClosesWith1008AheadOfTheQueuedData() throws Exception {
        start(OutboundLimitPolicy.CLOSE);
        try (RawSocket stalled = RawSocket.connectStalling(server.port()).open("/");
             LoopBarrier loop = new LoopBarrier(server.port())) {
            Session session = recorder.session();
            // Fill the queue to just under the limit, with the socket stalled, so nothing drains meanwhile.
            int accepted = loop.queueUntilStalled(session, MESSAGE, HIGH, bytes -> bytes + 2L * MESSAGE <= LIMIT);
            // A message as large as the limit cannot fit beside what is queued, however much drains meanwhile.
            CompletableFuture<Void> refused = session.sendBinary(ByteBuffer.allocate(LIMIT));
            assertInstanceOf(OutboundLimitExceededException.class, assertThrows(ExecutionException.class,
                    () -> refused.get(10, TimeUnit.SECONDS)).getCause());
            int dataFrames = 0;
            RawSocket.Frame frame;
            while ((frame = stalled.readFrame()).opcode() == 2) {
                dataFrames++;
            }
            assertEquals(0x88, frame.b0());
            assertEquals(1008, frame.closeCode());
            assertTrue(dataFrames < accepted, "queued messages were dropped: " + dataFrames + " of " + accepted);
            stalled.write(RawSocket.masked(0x88, RawSocket.closePayload(1008, "")));
            stalled.expectEof();
        }
        assertEquals("close:1008:", recorder.awaitClose());
        assertEquals(0, server.stats().queuedBytes());
    }

    @Test
    void pongGoesAheadOfQueuedDataButNotIntoAFrame() throws Exception {
        start(OutboundLimitPolicy.FAIL_SEND);
        try (RawSocket stalled = RawSocket.connectStalling(server.port()).open("/");
             LoopBarrier loop = new LoopBarrier(server.port())) {
            Session session = recorder.session();
            int queued = loop.queueUntilStalled(session, MESSAGE, HIGH, bytes -> bytes < LIMIT / 2);
            stalled.write(RawSocket.masked(0x89, "urgent"));
            recorder.expect("open");
            recorder.expect("ping:urgent");
            int before = 0;
            RawSocket.Frame frame;
            while ((frame = stalled.readFrame()).opcode() == 2) {
                assertEquals(MESSAGE, frame.payload().length, "every data frame arrives whole");
                before++;
            }
            assertEquals(0x8A, frame.b0());
            assertEquals("urgent", frame.text());
            assertTrue(before < queued, "the pong overtook queued messages: " + before + " of " + queued);
            for (int i = before; i < queued; i++) {
                assertEquals(MESSAGE, stalled.readFrame().payload().length);
            }
        }
    }

    @Test
    void aFirstMessageOverTheLimitIsTakenEvenFromOnOpenWhileThe101WaitsToBeWritten() throws Exception {
        // An empty queue takes one message of any size; the 101 ahead of it is not the session's.
        CompletableFuture<CompletableFuture<Void>> sentOnOpen = new CompletableFuture<>();
        server = Server.builder().host("127.0.0.1").eventLoops(1).outboundBuffer(LOW, HIGH, LIMIT)
                .route("/", new Listener() {
                    @Override
                    public void onOpen(Session session) {
                        sentOnOpen.complete(session.sendBinary(ByteBuffer.allocate((int) LIMIT + 1)));
                    }
                }).build().start();
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            RawSocket.Frame frame = raw.readFrame();
            assertEquals(LIMIT + 1, frame.payload().length);
            sentOnOpen.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void sendFuturesCompleteOnceWritten() throws Exception {
        start(OutboundLimitPolicy.FAIL_SEND);
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            Session session = recorder.session();
            CompletableFuture<Void> sent = session.sendText("hello");
            sent.get(10, TimeUnit.SECONDS);
            assertFalse(sent.complete(null), "a caller cannot complete a send future");
            assertEquals("hello", raw.readFrame().text());
            assertEquals(0, session.queuedBytes());
        }
    }
}
