package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 §7.1.7 ("Fail the WebSocket Connection") when a valid message and a frame that breaks a rule arrive in
 * one read: the endpoint sends a close frame and stops, but what the application already sent for the valid message
 * (its echo) goes on the wire before that close when the peer is reading, as Autobahn's cases 3.2-3.4, 4.1.3-4.1.5,
 * 4.2.3-4.2.5 and 5.15 expect. A peer that does not read still gets the close ahead of the queued data, so the
 * failure never waits on it. Byte-level, through real loopback sockets, in both roles.
 */
class Section7_1_7FailureCloseOrderTest {
    private static final int LOW = 64 << 10;
    private static final int HIGH = 256 << 10;
    private static final int LIMIT = 1 << 20;
    private static final int MESSAGE = 16 << 10;

    private Server server;
    private Client client;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (client != null) {
            client.close();
        }
    }

    private void startEchoServer() throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(1)
                .route("/echo", new EchoListener()).build().start();
    }

    /** Writes a valid text message and {@code violation} in one write, and checks: echo, close {@code code}, EOF. */
    private void expectEchoThenClose(byte[] violation, int code) throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port()).open("/echo")) {
            raw.write(RawSocket.concat(RawSocket.masked(0x81, "Hello, world!"), violation));
            RawSocket.Frame echo = raw.readFrame();
            assertEquals(0x81, echo.b0(), "the echo of the valid message comes first, got " + echo);
            assertEquals("Hello, world!", echo.text());
            assertEquals(code, raw.expectCloseAndEof());
        }
    }

    @Test
    void section5_2_reservedBitAfterAValidMessage_echoThenClose1002() throws Exception {
        startEchoServer();
        // Autobahn 3.2: a text message, a text frame with RSV2 set, then a ping that must go unanswered.
        expectEchoThenClose(RawSocket.concat(RawSocket.masked(0xA1, "Hello, world!"), RawSocket.masked(0x89, "")),
                1002);
    }

    @Test
    void section5_2_reservedOpcodeAfterAValidMessage_echoThenClose1002() throws Exception {
        startEchoServer();
        // Autobahn 4.1.3 and 4.2.3: reserved data opcode 5 and reserved control opcode 0xB.
        expectEchoThenClose(RawSocket.masked(0x85, ""), 1002);
        expectEchoThenClose(RawSocket.masked(0x8B, ""), 1002);
    }

    @Test
    void section5_4_continuationOutsideAMessageAfterAValidMessage_echoThenClose1002() throws Exception {
        startEchoServer();
        // Autobahn 5.15: a message in two fragments, then a continuation with no message to continue.
        byte[] violation = RawSocket.concat(RawSocket.masked(0x00, "fragment3"), RawSocket.masked(0x80, "fragment4"));
        try (RawSocket raw = RawSocket.connect(server.port()).open("/echo")) {
            raw.write(RawSocket.concat(RawSocket.masked(0x01, "fragment1"), RawSocket.masked(0x80, "fragment2"),
                    violation));
            RawSocket.Frame echo = raw.readFrame();
            assertEquals(0x81, echo.b0(), "the echo of the valid message comes first, got " + echo);
            assertEquals("fragment1fragment2", echo.text());
            assertEquals(1002, raw.expectCloseAndEof());
        }
    }

    @Test
    void section8_1_invalidUtf8AfterAValidMessage_echoThenClose1007() throws Exception {
        startEchoServer();
        expectEchoThenClose(RawSocket.masked(0x81, new byte[] {(byte) 0xC3, 0x28}), 1007);
    }

    @Test
    void section7_1_7_closeStillGoesAheadOfDataAPeerDoesNotRead() throws Exception {
        Recorder recorder = new Recorder();
        server = Server.builder().host("127.0.0.1").eventLoops(1).outboundBuffer(LOW, HIGH, LIMIT)
                .route("/", recorder).route("/echo", new EchoListener()).build().start();
        try (RawSocket stalled = RawSocket.connectStalling(server.port()).open("/");
             LoopBarrier loop = new LoopBarrier(server.port())) {
            Session session = recorder.session();
            int queued = loop.queueUntilStalled(session, MESSAGE, HIGH, bytes -> bytes < LIMIT / 2);
            stalled.write(RawSocket.masked(0xC1, "bad RSV"));
            // The peer still reads nothing until the server has failed the connection: reading at once would let
            // the socket take the whole queue as fast as the failure is handled, and nothing would be left to
            // overtake. The loop reads the bad frame in the turn that reads the barrier's first echo, or before.
            loop.pass();
            int before = 0;
            RawSocket.Frame frame;
            while ((frame = stalled.readFrame()).opcode() == 2) {
                assertEquals(MESSAGE, frame.payload().length, "every data frame arrives whole (§5.4)");
                before++;
            }
            assertEquals(0x88, frame.b0());
            assertEquals(1002, frame.closeCode());
            assertTrue(before < queued, "the close overtook messages never read: " + before + " of " + queued);
            stalled.write(RawSocket.masked(0x88, RawSocket.closePayload(1002, "")));
            stalled.expectEof();
        }
        assertTrue(recorder.awaitClose().startsWith("close:1002:"), recorder.awaitClose());
    }

    @Test
    void clientRole_reservedBitAfterAValidMessage_echoThenClose1002() throws Exception {
        client = Client.create();
        try (HandMadeServer hand = new HandMadeServer()) {
            var connect = client.connect(hand.uri("/"), new EchoListener());
            HandMadeServer.Accepted accepted = hand.accept();
            RawSocket raw = accepted.raw();
            raw.accept101(accepted.request());
            connect.get(10, TimeUnit.SECONDS);
            byte[] hello = "Hello, world!".getBytes(StandardCharsets.UTF_8);
            raw.write(RawSocket.concat(RawSocket.frame(0x81, hello, false), RawSocket.frame(0xA1, hello, false),
                    RawSocket.frame(0x89, new byte[0], false)));
            RawSocket.Frame echo = raw.readMaskedFrame();
            assertEquals(0x81, echo.b0(), "the echo of the valid message comes first, got " + echo);
            assertEquals("Hello, world!", echo.text());
            RawSocket.Frame close = raw.readMaskedFrame();
            assertEquals(0x88, close.b0(), "no pong for the ping after the violation, got " + close);
            assertEquals(1002, close.closeCode());
            raw.close();
        }
    }
}
