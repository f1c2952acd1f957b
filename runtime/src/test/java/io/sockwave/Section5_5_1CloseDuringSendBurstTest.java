package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RFC 6455 §5.5.1: an endpoint that receives a Close sends its own "as soon as practical"; it may finish the message
 * it is sending first, and sends no data frame after its Close. A peer's Close that arrived in the middle of a long
 * send burst used to be answered only once the whole burst was written, however long the peer took to read it. Now,
 * in both roles, the frame or fragmented message being written is finished, the whole messages not yet begun are
 * dropped (their sends fail with an {@link IOException} saying so), and the Close follows. Each peer here is a bare
 * socket that does not read (a small receive window) until it has sent its Close, then reads every byte.
 */
@Timeout(60)
class Section5_5_1CloseDuringSendBurstTest {
    private static final int MESSAGES = 64;
    private static final int MESSAGE_SIZE = 256 << 10;
    private static final long LARGE_LIMIT = 64L << 20;

    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void startServer(Recorder listener) throws Exception {
        server = Server.builder().host("127.0.0.1").port(0).eventLoops(1)
                .outboundBuffer(1 << 20, 2 << 20, LARGE_LIMIT)
                .route("/", listener).route("/echo", new EchoListener()).build().start();
    }

    private static ByteBuffer message(int i, int size) {
        ByteBuffer payload = ByteBuffer.allocate(size);
        while (payload.hasRemaining()) {
            payload.put((byte) i);
        }
        return payload.flip();
    }

    /**
     * @return the sends, made from this thread (each with its own future): tasks of the session's loop, which the
     *     peer's Close must find queued, and the socket full, so each test lets the loop take them before the Close
     */
    private static List<CompletableFuture<Void>> burst(Session session) {
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            sends.add(session.sendBinary(message(i, MESSAGE_SIZE)));
        }
        return sends;
    }

    /**
     * Checks that the frames read before the Close are the first messages of the burst, whole and in order, that
     * their sends succeeded, and that every later send failed as dropped.
     */
    private static void assertFirstWrittenRestDropped(List<CompletableFuture<Void>> sends, List<RawSocket.Frame> read) {
        assertTrue(read.size() < MESSAGES, "the Close waited for the whole burst: " + read.size() + " messages first");
        for (int i = 0; i < read.size(); i++) {
            RawSocket.Frame frame = read.get(i);
            assertEquals(0x82, frame.b0(), "message " + i + " whole, in one frame");
            assertEquals(MESSAGE_SIZE, frame.payload().length);
            assertEquals((byte) i, frame.payload()[MESSAGE_SIZE - 1], "message " + i + " in order");
            assertTrue(sends.get(i).isDone() && !sends.get(i).isCompletedExceptionally(), "send " + i + " succeeded");
        }
        for (int i = read.size(); i < MESSAGES; i++) {
            CompletableFuture<Void> send = sends.get(i);
            assertTrue(send.isCompletedExceptionally(), "send " + i + " of a message never begun failed");
            Throwable cause = assertInstanceOf(CompletionException.class, catchJoin(send)).getCause();
            assertInstanceOf(IOException.class, cause);
            assertTrue(cause.getMessage().contains("peer closed"), cause.getMessage());
        }
    }

    private static Throwable catchJoin(CompletableFuture<Void> send) {
        try {
            send.join();
            return null;
        } catch (CompletionException e) {
            return e;
        }
    }

    @Test
    void rfc6455Section5_5_1TheServerAnswersACloseWithoutTheRestOfItsBurst() throws Exception {
        Recorder listener = new Recorder();
        startServer(listener);
        try (RawSocket raw = RawSocket.connectStalling(server.port());
             LoopBarrier loop = new LoopBarrier(server.port())) {
            raw.open("/");
            Session session = listener.opened.get(10, TimeUnit.SECONDS);
            List<CompletableFuture<Void>> sends = burst(session);
            loop.pass();

            raw.write(RawSocket.masked(0x88, RawSocket.closePayload(1000, "")));
            List<RawSocket.Frame> read = new ArrayList<>();
            for (RawSocket.Frame frame = raw.readFrame(); frame.b0() != 0x88; frame = raw.readFrame()) {
                read.add(frame);
            }
            raw.expectEof();
            assertEquals("close:1000:", listener.awaitClose());
            assertFirstWrittenRestDropped(sends, read);
        }
    }

    @Test
    void rfc6455Section5_5_1TheClientAnswersTheServersCloseWithoutTheRestOfItsBurst() throws Exception {
        Recorder listener = new Recorder();
        try (HandMadeServer bare = new HandMadeServer(); Client client = Client.create();
             Server echo = Server.builder().host("127.0.0.1").route("/echo", new EchoListener()).build().start()) {
            // A second session on the client's one loop, which runs its tasks in order: the echo of a text sent
            // behind the burst comes back once the burst's sends are queued.
            Recorder echoes = new Recorder();
            Session behind = client.connect(URI.create("ws://127.0.0.1:" + echo.port() + "/echo"), echoes)
                    .get(10, TimeUnit.SECONDS);
            echoes.expect("open");
            bare.socket.setReceiveBufferSize(4096);
            CompletableFuture<Session> connecting = client.connect(bare.uri("/"), ClientOptions.builder()
                    .outboundBuffer(1 << 20, 2 << 20, LARGE_LIMIT).build(), listener);
            HandMadeServer.Accepted accepted = bare.accept();
            try (RawSocket raw = accepted.raw()) {
                raw.accept101(accepted.request());
                Session session = connecting.get(10, TimeUnit.SECONDS);
                List<CompletableFuture<Void>> sends = burst(session);
                behind.sendText("behind the burst");
                echoes.expect("text:behind the burst");

                raw.write(RawSocket.frame(0x88, RawSocket.closePayload(1012, "restarting"), false));
                List<RawSocket.Frame> read = new ArrayList<>();
                for (RawSocket.Frame frame = raw.readMaskedFrame(); frame.b0() != 0x88;
                        frame = raw.readMaskedFrame()) {
                    read.add(frame);
                }
                assertFirstWrittenRestDropped(sends, read);
            }
            assertEquals("close:1012:restarting", listener.awaitClose());
        }
    }

    /**
     * The message being written when the Close came is a fragmented one: its first fragment, partly written, is
     * finished, and so is the rest of it, queued; the messages after it are dropped.
     */
    @Test
    void rfc6455Section5_5_1TheFragmentedMessageInProgressIsFinishedBeforeTheClose() throws Exception {
        Recorder listener = new Recorder();
        startServer(listener);
        try (RawSocket raw = RawSocket.connectStalling(server.port());
             LoopBarrier loop = new LoopBarrier(server.port())) {
            raw.open("/");
            Session session = listener.opened.get(10, TimeUnit.SECONDS);
            int first = 8 << 20;
            CompletableFuture<Void> head = session.sendBinary(message(1, first), false);
            CompletableFuture<Void> tail = session.sendBinary(message(2, 100), true);
            CompletableFuture<Void> next = session.sendBinary(message(3, MESSAGE_SIZE));
            CompletableFuture<Void> last = session.sendText("never begun");
            loop.pass();
            assertTrue(!head.isDone(), "the first fragment is still being written when the Close comes");

            raw.write(RawSocket.masked(0x88, RawSocket.closePayload(1001, "")));
            RawSocket.Frame fragment = raw.readFrame();
            assertEquals(0x02, fragment.b0(), "the first fragment: binary, not final");
            assertEquals(first, fragment.payload().length);
            RawSocket.Frame continuation = raw.readFrame();
            assertEquals(0x80, continuation.b0(), "the rest of the message: a final continuation frame");
            assertEquals(100, continuation.payload().length);
            RawSocket.Frame close = raw.readFrame();
            assertEquals(0x88, close.b0(), "the Close right after the message in progress, no data frame after it");
            assertEquals(1001, close.closeCode());
            raw.expectEof();

            head.get(10, TimeUnit.SECONDS);
            tail.get(10, TimeUnit.SECONDS);
            for (CompletableFuture<Void> dropped : List.of(next, last)) {
                Throwable cause = assertInstanceOf(CompletionException.class, catchJoin(dropped)).getCause();
                assertInstanceOf(IOException.class, cause);
            }
        }
        assertEquals("close:1001:", listener.awaitClose());
    }
}
