package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Broadcasts, fragments, pings, attributes and the errors of misused sends. */
class MessagingTest {
    private Server server;
    private final Client client = Client.create();
    private final Recorder serverSide = new Recorder();

    @BeforeEach
    void start() throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(2).route("/", serverSide)
                .route("/echo", new EchoListener()).build().start();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + server.port() + path);
    }

    @Test
    void broadcastReachesEverySessionFromOneEncoding() throws Exception {
        Set<Session> room = new CopyOnWriteArraySet<>();
        try (Server chat = Server.builder().host("127.0.0.1").eventLoops(2).route("/room", new Listener() {
            @Override
            public void onOpen(Session session) {
                room.add(session);
            }

            @Override
            public void onClose(Session session, int code, String reason) {
                room.remove(session);
            }
        }).build().start()) {
            List<Recorder> recorders = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Recorder recorder = new Recorder();
                recorders.add(recorder);
                client.connect(URI.create("ws://127.0.0.1:" + chat.port() + "/room"), recorder)
                        .get(10, TimeUnit.SECONDS);
            }
            for (int i = 0; i < 1000 && room.size() < 20; i++) {
                Thread.sleep(10);
            }
            assertEquals(20, Server.broadcast(room, "news").queued());
            for (Recorder recorder : recorders) {
                recorder.expect("open");
                recorder.expect("text:news");
            }
            PreparedMessage binary = PreparedMessage.binary(ByteBuffer.wrap(new byte[300]));
            assertEquals(20, Server.broadcast(room, binary).queued());
            for (Recorder recorder : recorders) {
                recorder.expect("binary:300");
            }
            recorders.get(0).session().close().get(10, TimeUnit.SECONDS);
            recorders.get(0).awaitClose();
            for (int i = 0; i < 1000 && room.size() > 19; i++) {
                Thread.sleep(10);
            }
            assertEquals(19, Server.broadcast(room, "fewer").queued());
        }
    }

    @Test
    void preparedMessageFromAClientIsMaskedPerSession() throws Exception {
        Session session = client.connect(uri("/echo"), serverSide).get(10, TimeUnit.SECONDS);
        session.send(PreparedMessage.text("prepared")).get(10, TimeUnit.SECONDS);
        serverSide.expect("open");
        serverSide.expect("text:prepared");
    }

    @Test
    void fragmentsAreSentInOrderAndArriveAsOneMessage() throws Exception {
        Recorder recorder = new Recorder();
        Session session = client.connect(uri("/echo"), recorder).get(10, TimeUnit.SECONDS);
        session.sendText("frag", false);
        session.ping(ByteBuffer.wrap("mid".getBytes(StandardCharsets.UTF_8)));
        session.sendText("men", false);
        // A surrogate pair cut between two pieces travels whole.
        session.sendText("ted\uD83D", false);
        session.sendText("\uDE00", true);
        session.sendBinary(ByteBuffer.wrap(new byte[] {1}), false);
        session.sendBinary(ByteBuffer.wrap(new byte[] {2, 3}), true);
        recorder.expect("open");
        recorder.expect("pong:mid");
        recorder.expect("text:fragmented\uD83D\uDE00");
        recorder.expect("binary:3");
    }

    @Test
    void streamingDeliversPiecesToOnFragment() throws Exception {
        Recorder streamed = new Recorder();
        try (Server streaming = Server.builder().host("127.0.0.1").eventLoops(1).streaming(true)
                .route("/", streamed).build().start();
             RawSocket raw = RawSocket.connect(streaming.port()).open("/")) {
            raw.write(RawSocket.masked(0x01, "ab"));
            raw.write(RawSocket.masked(0x80, "cd"));
            streamed.expect("open");
            assertEquals("fragment:TEXT:ab", streamed.next());
            assertEquals("fragment:TEXT:cd:last", streamed.next());
        }
    }

    @Test
    void misusedArgumentsThrowAndSendsOutOfStateFailTheirFuture() throws Exception {
        Session session = client.connect(uri("/echo"), new Recorder()).get(10, TimeUnit.SECONDS);
        assertThrows(IllegalArgumentException.class, () -> session.ping(ByteBuffer.allocate(126)));
        assertThrows(IllegalArgumentException.class, () -> session.close(1005, ""));
        session.sendText("open", false);
        // RFC 6455 §5.6: a lone surrogate has no UTF-8 form; the piece is refused, not sent as '?'.
        assertInstanceOf(IllegalArgumentException.class, assertThrows(ExecutionException.class,
                () -> session.sendText("lone \uDC00", false).get(10, TimeUnit.SECONDS)).getCause());
        assertInstanceOf(IllegalStateException.class, assertThrows(ExecutionException.class,
                () -> session.sendBinary(ByteBuffer.allocate(1), false).get(10, TimeUnit.SECONDS)).getCause());
        assertInstanceOf(IllegalStateException.class, assertThrows(ExecutionException.class,
                () -> session.sendText("whole").get(10, TimeUnit.SECONDS)).getCause());
        session.sendText("", true);
        session.close(1000, "").get(10, TimeUnit.SECONDS);
        assertTrue(!session.isOpen());
        Throwable late = assertThrows(ExecutionException.class,
                () -> session.sendText("late").get(10, TimeUnit.SECONDS)).getCause();
        // Closing (close frame sent) or closed (the server answered and the session ended): refused either way.
        assertTrue(late instanceof IllegalStateException || late instanceof IOException, late.toString());
    }

    @Test
    void sendAfterTheSessionEndedFailsWithAnIoException() throws Exception {
        Recorder recorder = new Recorder();
        Session session = client.connect(uri("/echo"), recorder).get(10, TimeUnit.SECONDS);
        session.abort();
        assertTrue(recorder.awaitClose().startsWith("close:1006:"));
        assertInstanceOf(IOException.class, assertThrows(ExecutionException.class,
                () -> session.sendText("too late").get(10, TimeUnit.SECONDS)).getCause());
        assertTrue(session.whenWritable().isDone());
    }

    @Test
    void attributesAndAddressesAreKeptPerSession() throws Exception {
        Session session = client.connect(uri("/echo?x=1"), new Recorder()).get(10, TimeUnit.SECONDS);
        AttributeKey<String> user = AttributeKey.of("user", String.class);
        assertEquals(null, session.setAttribute(user, "ada"));
        assertEquals("ada", session.attribute(user));
        assertEquals(server.port(), session.remoteAddress().getPort());
        assertEquals("127.0.0.1", session.localAddress().getAddress().getHostAddress());
        assertEquals(List.of(), session.extensions());
        assertEquals(null, session.subprotocol());
        assertEquals("x=1", session.query());
    }

    @Test
    void binaryPiecesAreTypedBinary() throws Exception {
        Recorder recorder = new Recorder();
        try (Server streaming = Server.builder().host("127.0.0.1").eventLoops(1).streaming(true)
                .route("/", recorder).build().start();
             RawSocket raw = RawSocket.connect(streaming.port()).open("/")) {
            raw.write(RawSocket.masked(0x82, new byte[] {'x'}));
            recorder.expect("open");
            assertEquals("fragment:BINARY:x:last", recorder.next());
        }
    }
}
