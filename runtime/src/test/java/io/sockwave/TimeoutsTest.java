package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sockwave.protocol.handshake.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each deadline the runtime keeps, fired through real sockets with short timeouts. */
class TimeoutsTest {
    private static final Duration SHORT = Duration.ofMillis(300);

    private Server server;
    private final Client client = Client.create();

    @AfterEach
    void stop() {
        client.close();
        if (server != null) {
            server.close();
        }
    }

    private Server start(Server.Builder builder, Listener listener) throws IOException {
        server = builder.host("127.0.0.1").eventLoops(1).route("/", listener).build().start();
        return server;
    }

    @Test
    void slowlorisRequestIsDroppedAfterTheHandshakeTimeout() throws Exception {
        start(Server.builder().handshakeTimeout(SHORT), new Recorder());
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpg");
            raw.expectEof();
        }
        assertEquals(0, TlsEndToEndTest.awaitConnections(server));
    }

    @Test
    void anHttpAnswerIsNotCutByTheHandshakeTimeoutWhileAClientReadsIt() throws Exception {
        // The handshake timeout bounds the wait for a request; the answer's writing is the send timeout's.
        int size = 6 << 20;
        server = Server.builder().host("127.0.0.1").eventLoops(1).handshakeTimeout(SHORT)
                .httpHandler(request -> HttpResponse.of(200, "application/octet-stream", new byte[size]))
                .build().start();
        try (RawSocket raw = RawSocket.connectStalling(server.port())) {
            raw.write("GET /large HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            byte[] bytes = readSlowlyUntilEof(raw);
            String head = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.ISO_8859_1);
            int body = head.indexOf("\r\n\r\n") + 4;
            assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
            assertEquals(size, bytes.length - body, "the whole body");
        }
    }

    /** Reads through the stalling socket's small window, pausing between reads, for several short timeouts. */
    private static byte[] readSlowlyUntilEof(RawSocket raw) throws Exception {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] chunk = new byte[64 << 10];
        InputStream in = raw.socket.getInputStream();
        for (int n; (n = in.read(chunk)) >= 0; ) {
            received.write(chunk, 0, n);
            Thread.sleep(1);
        }
        return received.toByteArray();
    }

    @Test
    void idleSessionIsClosedWithGoingAway() throws Exception {
        Recorder recorder = new Recorder();
        start(Server.builder().idleTimeout(SHORT), recorder);
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            RawSocket.Frame close = raw.readFrame();
            assertEquals(1001, close.closeCode());
            assertEquals("idle timeout", close.closeReason());
            raw.write(RawSocket.masked(0x88, RawSocket.closePayload(1001, "")));
            raw.expectEof();
        }
        assertEquals("close:1001:", recorder.awaitClose());
    }

    @Test
    void activityKeepsAnIdleTimeoutAway() throws Exception {
        long timeout = TimeUnit.SECONDS.toNanos(1);
        BlockingQueue<Session> opened = new LinkedBlockingQueue<>();
        start(Server.builder().idleTimeout(Duration.ofNanos(timeout)), new Listener() {
            @Override
            public void onOpen(Session session) {
                opened.add(session);
            }
        });
        // This thread keeps the pace, and a loaded machine may keep it waiting for a whole timeout: the server is
        // then right to close. The server reads a tick no earlier than it was written, and reads before it runs its
        // timers in a turn, so that a pause of this thread shorter than the timeout (counted from before one write
        // to after the next) leaves it no reason to. An attempt with a longer one shows nothing: the next is judged.
        for (int attempt = 0; attempt < 5; attempt++) {
            long since = System.nanoTime();
            try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
                Session session = opened.poll(10, TimeUnit.SECONDS);
                assertNotNull(session, "no session within 10 s");
                long longestPause = 0;
                for (int i = 0; i < 20; i++) {
                    Thread.sleep(100);
                    long before = System.nanoTime();
                    raw.write(RawSocket.masked(0x81, "tick"));
                    longestPause = Math.max(longestPause, System.nanoTime() - since);
                    since = before;
                }
                boolean open = session.isOpen();
                longestPause = Math.max(longestPause, System.nanoTime() - since);
                if (longestPause < timeout) {
                    assertTrue(open, "2 s of traffic every 100 ms outlives a 1 s idle timeout");
                    return;
                }
            }
        }
        fail("this thread paused for a whole idle timeout in each of 5 attempts");
    }

    @Test
    void peerThatNeverAnswersACloseIsCutAfterTheCloseTimeout() throws Exception {
        Recorder recorder = new Recorder();
        start(Server.builder().closeTimeout(SHORT), recorder);
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            recorder.session().close(1000, "bye");
            assertEquals(1000, raw.readFrame().closeCode());
            raw.expectEof();
        }
        String close = recorder.awaitClose();
        assertTrue(close.startsWith("close:1006:no close frame from the peer within"), close);
    }

    @Test
    void theCloseTimeoutCountsFromTheCloseFrameNotFromTheMessagesAheadOfIt() throws Exception {
        // RFC 6455 §7.1.2 and §5.5.1: a close goes after the data sent before it; the wait for the peer's close
        // starts once it is sent. A peer reading slowly gets every byte, then the close, however long that takes.
        Recorder recorder = new Recorder();
        // An outbound limit above the message: one over it is taken only by an empty queue, and the 101's bytes may
        // not be counted out yet when the client, which has read them, sends.
        start(Server.builder().closeTimeout(SHORT).outboundBuffer(16 << 10, 1 << 20, 64 << 20), recorder);
        // More than the kernel's socket buffers hold, so that most of it waits in the session's queue.
        int size = 6 << 20;
        try (RawSocket raw = RawSocket.connectStalling(server.port()).open("/")) {
            CompletableFuture<Void> sent = recorder.session().sendBinary(ByteBuffer.wrap(new byte[size]));
            recorder.session().close(1000, "done");
            assertFalse(sent.isCompletedExceptionally(), "the message was taken");
            Thread.sleep(2 * SHORT.toMillis());
            assertTrue(recorder.session().queuedBytes() > 0, "two close timeouts on, the close still waits behind"
                    + " the message (and the session lives): else the kernel took it all, and size must grow");
            byte[] bytes = readSlowlyUntilEof(raw);
            assertEquals(10 + size + 2 + 6, bytes.length, "the message, then the close, whole");
            assertEquals(0x88, bytes[10 + size] & 0xFF);
            assertEquals("done", new String(bytes, 10 + size + 4, 4, StandardCharsets.UTF_8));
        }
    }

    /** @return a recorder whose session suspends reading on the text "a", and resumes a second later */
    private static Recorder suspendingOnA() {
        return new Recorder() {
            @Override
            public void onText(Session session, String text) {
                super.onText(session, text);
                if (text.equals("a")) {
                    session.suspendReading();
                    CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(session::resumeReading);
                }
            }
        };
    }

    @Test
    void aMessageThePeerFinishedWhileTheServerDidNotReadIsNotLate() throws Exception {
        // The incomplete-message timeout blames a peer that stops sending; what waits unread behind a suspension
        // was sent on time.
        Recorder recorder = suspendingOnA();
        start(Server.builder().incompleteMessageTimeout(SHORT), recorder);
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            raw.write(RawSocket.concat(RawSocket.masked(0x81, "a"), RawSocket.masked(0x01, "b")));
            recorder.expect("open");
            recorder.expect("text:a");
            raw.write(RawSocket.masked(0x80, "c"));
            recorder.expect("text:bc");
            assertTrue(recorder.session().isOpen());
        }
    }

    /**
     * A keepalive pong the peer sent at once, but that waits unread behind a suspension outlasting the pong timeout,
     * is not late. Nothing here depends on this thread's pace: "a" comes with the upgrade request, so that the
     * suspension precedes the first ping and every pong waits behind it; the second ping, which the server sends only
     * once the first one's pong timeout has run out, shows that it ran out while the server did not read and the
     * session lived on; the pong the server reads once reading resumes, that the session lived on through it.
     */
    @Test
    void aPongThePeerSentWhileTheServerDidNotReadIsNotLate() throws Exception {
        Recorder recorder = new Recorder() {
            @Override
            public void onText(Session session, String text) {
                session.suspendReading();
                super.onText(session, text);
            }
        };
        start(Server.builder().keepAlive(Duration.ofMillis(100), SHORT), recorder);
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.concat(RawSocket.upgrade("/", "").getBytes(StandardCharsets.ISO_8859_1),
                    RawSocket.masked(0x81, "a")));
            String head = raw.readHead();
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            recorder.expect("open");
            recorder.expect("text:a");
            for (int ping = 1; ping <= 2; ping++) {
                RawSocket.Frame frame = raw.readFrame();
                assertEquals(0x89, frame.b0(), "ping " + ping + ", not the end of a session whose pong was late");
                raw.write(RawSocket.masked(0x8A, frame.payload()));
            }
            recorder.session().resumeReading();
            recorder.expect("pong:");
        }
    }

    @Test
    void keepalivePingWithoutPongClosesTheConnection() throws Exception {
        Recorder recorder = new Recorder();
        start(Server.builder().keepAlive(Duration.ofMillis(100), Duration.ofMillis(200)), recorder);
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            RawSocket.Frame ping = raw.readFrame();
            assertEquals(0x89, ping.b0());
            raw.expectEof();
        }
        recorder.expect("open");
        recorder.expect("error:TimeoutException");
        assertTrue(recorder.awaitClose().startsWith("close:1006:"));
    }

    @Test
    void keepaliveIsSatisfiedByAClientThatAnswersPings() throws Exception {
        Recorder serverSide = new Recorder();
        // Each ping follows the pong to the one before: three pings show the pongs taken, however long the pong
        // timeout. A long one, since a client's loop that a loaded machine keeps waiting answers late.
        start(Server.builder().keepAlive(Duration.ofMillis(50), Duration.ofSeconds(10)), serverSide);
        Recorder clientSide = new Recorder();
        Session session = client.connect(java.net.URI.create("ws://127.0.0.1:" + server.port() + "/"),
                clientSide).get(10, TimeUnit.SECONDS);
        clientSide.expect("open");
        for (int i = 0; i < 3; i++) {
            assertEquals("ping:", clientSide.next());
        }
        assertTrue(session.isOpen());
        serverSide.expect("open");
        assertEquals("pong:", serverSide.next());
    }

    /**
     * A peer that takes no byte of what is queued for it leaves the session idle: it is closed at the idle timeout
     * (the messages not yet begun dropped, their sends failed, the 1001 ahead of them), and its socket at most the
     * close timeout later, not at the far longer send timeout.
     */
    @Test
    void anIdleTimeoutClosesASessionWhosePeerNeverReadsBeforeTheSendTimeout() throws Exception {
        Recorder recorder = new Recorder();
        // Not SHORT: the sends below must all be queued before the session goes idle, and on a loaded machine the
        // test's thread may wait longer than 300 ms for its turn. Two seconds is still far below the send timeout.
        start(Server.builder().idleTimeout(Duration.ofSeconds(2)).closeTimeout(SHORT)
                .sendTimeout(Duration.ofMinutes(5)).outboundBuffer(1 << 10, 1 << 20, 64 << 20), recorder);
        ByteBuffer mebibyte = ByteBuffer.allocate(1 << 20);
        try (RawSocket raw = RawSocket.connectStalling(server.port()).open("/")) {
            Session session = recorder.session();
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            // 32 MiB: far more than loopback socket buffers hold, so the tail waits in the queue.
            for (int i = 0; i < 32; i++) {
                sends.add(session.sendBinary(mebibyte.duplicate()));
            }
            CompletableFuture<Void> last = sends.get(sends.size() - 1);
            ExecutionException e = assertThrows(ExecutionException.class, () -> last.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("idle timeout"), e.getCause().getMessage());
            assertTrue(recorder.awaitClose().startsWith("close:1006:"), "the peer never answered the close");
            assertEquals(0, session.queuedBytes(), "the dropped sends are no longer counted");
        }
        assertEquals(0, TlsEndToEndTest.awaitConnections(server));
    }

    @Test
    void sendThatCannotBeWrittenFailsAfterTheSendTimeout() throws Exception {
        Recorder recorder = new Recorder();
        start(Server.builder().sendTimeout(SHORT).outboundBuffer(1 << 10, 1 << 20, 64 << 20), recorder);
        try (RawSocket raw = RawSocket.connectStalling(server.port()).open("/")) {
            Session session = recorder.session();
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            // 32 MiB: far more than loopback socket buffers hold, so the tail waits in the queue.
            for (int i = 0; i < 32; i++) {
                sends.add(session.sendBinary(ByteBuffer.allocate(1 << 20)));
            }
            CompletableFuture<Void> last = sends.get(sends.size() - 1);
            assertThrows(ExecutionException.class, () -> last.get(10, TimeUnit.SECONDS));
            // On a slow machine the timeout may close the session before the loop above ends: the sends made
            // after that are refused as closed, and the ones queued before it fail with the timeout.
            CompletableFuture<Void> firstFailed = sends.stream().filter(CompletableFuture::isCompletedExceptionally)
                    .findFirst().orElseThrow();
            ExecutionException e = assertThrows(ExecutionException.class, firstFailed::get);
            assertInstanceOf(TimeoutException.class, e.getCause());
            recorder.expect("open");
            recorder.expect("error:TimeoutException");
            assertTrue(recorder.awaitClose().startsWith("close:1006:"));
            assertEquals(0, session.queuedBytes(), "the failed sends are no longer counted");
        }
        assertEquals(0, TlsEndToEndTest.awaitConnections(server));
        assertEquals(0, server.stats().queuedBytes());
    }

    @Test
    void clientConnectTimeoutFiresWhenTheServerNeverAccepts() throws Exception {
        // A listening socket whose accept queue is full: further SYNs get no answer, so connects hang.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket filler = new Socket();
                    fillers.add(filler);
                    try {
                        filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()),
                                100);
                    } catch (IOException timedOut) {
                        break;
                    }
                }
                ClientOptions options = ClientOptions.builder().connectTimeout(SHORT).build();
                CompletableFuture<Session> connect = client.connect(
                        java.net.URI.create("ws://127.0.0.1:" + full.getLocalPort() + "/"), options, new Recorder());
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> connect.get(10, TimeUnit.SECONDS));
                Throwable cause = e.getCause();
                assertTrue(cause instanceof TimeoutException && cause.getMessage().contains("not established"),
                        String.valueOf(cause));
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }
}
