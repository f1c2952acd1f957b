package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 §4.2.2: the server's 101 completes the opening handshake, and only then is the connection open and may
 * frames flow (§4.1: the client reads the response first and fails the connection if it is not a valid 101). So no
 * frame goes out ahead of the 101, not even a control frame, which otherwise goes ahead of queued data: a ping or
 * close sent from {@code onOpen}, or the pong to a ping the client sent right behind its request.
 */
class Section4_2_2ResponseBeforeFramesTest {
    private Server server;

    @BeforeEach
    void start() throws Exception {
        server = Server.builder().host("127.0.0.1").port(0).eventLoops(1)
                .route("/ping-then-text", new Listener() {
                    @Override
                    public void onOpen(Session session) {
                        session.sendText("first data");
                        session.ping(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                    }
                })
                .route("/close", new Listener() {
                    @Override
                    public void onOpen(Session session) {
                        session.close(1001, "going");
                    }
                })
                .route("/quiet", new Listener() {
                })
                .build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aPingSentFromOnOpenFollowsThe101() throws Exception {
        try (RawSocket socket = upgraded("/ping-then-text", new byte[0])) {
            RawSocket.Frame ping = socket.readFrame();
            assertEquals(0x89, ping.b0(), "the ping, ahead of the data queued before it");
            RawSocket.Frame text = socket.readFrame();
            assertEquals(0x81, text.b0());
            assertEquals("first data", new String(text.payload(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aCloseSentFromOnOpenFollowsThe101() throws Exception {
        try (RawSocket socket = upgraded("/close", new byte[0])) {
            RawSocket.Frame close = socket.readFrame();
            assertEquals(0x88, close.b0());
            assertEquals(1001, close.closeCode());
        }
    }

    @Test
    void thePongToAPingSentRightBehindTheRequestFollowsThe101() throws Exception {
        try (RawSocket socket = upgraded("/quiet", RawSocket.masked(0x89, "early"))) {
            RawSocket.Frame pong = socket.readFrame();
            assertEquals(0x8A, pong.b0());
            assertEquals("early", new String(pong.payload(), StandardCharsets.UTF_8));
        }
    }

    /** @return a socket that sent an upgrade for {@code path} and then {@code after}, and read a 101 first */
    private RawSocket upgraded(String path, byte[] after) throws IOException {
        RawSocket socket = RawSocket.connect(server.port());
        socket.write(RawSocket.concat(RawSocket.upgrade(path, "").getBytes(StandardCharsets.ISO_8859_1), after));
        String head = socket.readHead();
        assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), "the 101 comes first, got: " + head);
        return socket;
    }
}
