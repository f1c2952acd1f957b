package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a client meets on the wire in an opening and closing handshake, through a raw socket: the 101 written whole,
 * and, once the closing handshake is complete, the server closing TCP first (RFC 6455 §7.1.1) and at once, without
 * waiting for the client's FIN. In a reconnect storm each extra segment, read or wake-up is paid per connection.
 */
class Section7_1_1ServerClosesTcpTest {
    /** Far longer than any wait below: a server that lingered until its close timeout would fail them. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

    private Server server;

    @BeforeEach
    void start() throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(1).closeTimeout(CLOSE_TIMEOUT)
                .route("/", new Listener() {
                })
                .build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** §4.2.2: the 101 and its header fields in one write, so the client reads the whole head at once. */
    @Test
    void the101ArrivesWholeInTheClientsFirstRead() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port())) {
            String request = RawSocket.upgrade("/", "");
            raw.write(request);
            byte[] buffer = new byte[4096];
            int n = raw.socket.getInputStream().read(buffer);
            String head = new String(buffer, 0, Math.max(n, 0), StandardCharsets.ISO_8859_1);
            assertEquals("HTTP/1.1 101 Switching Protocols\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + RawSocket.acceptFor(request) + "\r\n"
                    + "\r\n", head);
        }
    }

    /**
     * §7.1.1: after the client's close frame and the server's reply, the server closes TCP first: the client reads
     * the close frame, then the end of the stream (not a reset) while its own side is still open.
     */
    @Test
    void afterTheClosingHandshakeTheServerClosesFirstWithAFin() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            raw.write(RawSocket.masked(0x88, RawSocket.closePayload(1000, "")));
            RawSocket.Frame reply = raw.readFrame();
            assertEquals(0x88, reply.b0());
            assertEquals(1000, reply.closeCode());
            assertEquals(-1, raw.socket.getInputStream().read(), "the end of the stream right after the close frame");
            assertFalse(raw.socket.isOutputShutdown(), "the client had not ended its side");
        }
    }

    /**
     * The client's close frame completes the handshake and the client sends nothing after it (§5.5.1), so the server
     * releases the connection as soon as its reply is written, instead of lingering for the client's FIN (the
     * kernel answers that one): here the client never sends its FIN, and the connection is gone long before the
     * close timeout.
     */
    @Test
    void afterTheClosingHandshakeTheServerDoesNotWaitForTheClientsFin() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            raw.write(RawSocket.masked(0x88, RawSocket.closePayload(1000, "")));
            assertEquals(1000, raw.readFrame().closeCode());
            assertEquals(-1, raw.socket.getInputStream().read());
            assertEquals(0, connectionsWithin(Duration.ofSeconds(5), 0),
                    "the server still holds the connection, waiting for the client's FIN");
        }
    }

    /**
     * An HTTP answer that ends the connection still lingers: the client may be sending its request's rest, and
     * closing on unread bytes would reset the connection and could destroy the answer before it is read.
     */
    @Test
    void anHttpAnswerStillWaitsForTheClientToClose() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.upgrade("/missing", ""));
            InputStream in = raw.socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 404 "), answer);
            assertEquals(1, server.stats().connections(), "lingering until the client closes");
            raw.socket.shutdownOutput();
            assertEquals(0, connectionsWithin(Duration.ofSeconds(5), 0));
        }
    }

    /** @return the server's connection count once it is {@code expected}, or its last value after {@code wait} */
    private int connectionsWithin(Duration wait, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        int connections = server.stats().connections();
        while (connections != expected && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
            connections = server.stats().connections();
        }
        return connections;
    }
}
