package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.Limits;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the server treats each framing rule of RFC 6455 §5 and §7, seen from a raw socket: the close code it sends
 * when a client breaks a rule, then the TCP close (§7.1.7); and the answers it owes to valid control frames.
 */
class Section5ServerFramingTest {
    private Server server;
    private final Recorder recorder = new Recorder();

    @BeforeEach
    void start() throws Exception {
        server = Server.builder()
                .host("127.0.0.1")
                .eventLoops(1)
                .limits(Limits.DEFAULTS.withMaxMessageSize(1000))
                .route("/", recorder)
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Sends one frame on a fresh session and returns the close code the server answers with. */
    private int closeCodeFor(byte[] frame) throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            raw.write(frame);
            return raw.expectCloseAndEof();
        }
    }

    @Test
    void section5_1_unmaskedClientFrameIsAProtocolError() throws Exception {
        assertEquals(1002, closeCodeFor(RawSocket.frame(0x81, "hi".getBytes(StandardCharsets.UTF_8), false)));
        assertTrue(recorder.awaitClose().startsWith("close:1002:unmasked frame"), recorder.awaitClose());
    }

    @Test
    void section5_2_reservedOpcodesAreProtocolErrors() throws Exception {
        assertEquals(1002, closeCodeFor(RawSocket.masked(0x83, "x")));
        assertEquals(1002, closeCodeFor(RawSocket.masked(0x8B, "x")));
    }

    @Test
    void section5_2_rsvBitsWithoutAnExtensionAreProtocolErrors() throws Exception {
        assertEquals(1002, closeCodeFor(RawSocket.masked(0xC1, "x")));
        assertEquals(1002, closeCodeFor(RawSocket.masked(0xA1, "x")));
        assertEquals(1002, closeCodeFor(RawSocket.masked(0x91, "x")));
    }

    @Test
    void section5_5_controlFrameOver125BytesIsAProtocolError() throws Exception {
        assertEquals(1002, closeCodeFor(RawSocket.masked(0x89, new byte[126])));
    }

    @Test
    void section5_5_fragmentedControlFrameIsAProtocolError() throws Exception {
        assertEquals(1002, closeCodeFor(RawSocket.masked(0x09, "x")));
    }

    @Test
    void section5_4_continuationWithoutAMessageIsAProtocolError() throws Exception {
        assertEquals(1002, closeCodeFor(RawSocket.masked(0x80, "x")));
    }

    @Test
    void section8_1_invalidUtf8TextIs1007() throws Exception {
        assertEquals(1007, closeCodeFor(RawSocket.masked(0x81, new byte[] {(byte) 0xC3, (byte) 0x28})));
    }

    @Test
    void section7_4_invalidCloseCodesAreProtocolErrors() throws Exception {
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 2000, 2999, 5000}) {
            assertEquals(1002, closeCodeFor(RawSocket.masked(0x88, RawSocket.closePayload(code, ""))),
                    "close code " + code);
        }
    }

    @Test
    void section5_5_1_oneByteClosePayloadIsAProtocolError() throws Exception {
        assertEquals(1002, closeCodeFor(RawSocket.masked(0x88, new byte[] {3})));
    }

    @Test
    void section5_5_1_closeReasonMustBeUtf8() throws Exception {
        byte[] payload = {0x03, (byte) 0xE8, (byte) 0xFF};
        assertEquals(1007, closeCodeFor(RawSocket.masked(0x88, payload)));
    }

    @Test
    void section10_4_messageOverTheLimitIs1009() throws Exception {
        assertEquals(1009, closeCodeFor(RawSocket.masked(0x82, new byte[1001])));
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            raw.write(RawSocket.masked(0x02, new byte[600]));
            raw.write(RawSocket.masked(0x80, new byte[600]));
            assertEquals(1009, raw.expectCloseAndEof(), "the limit counts the whole fragmented message");
        }
    }

    @Test
    void section5_5_1_validCloseIsEchoedAndTcpClosedByTheServer() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            raw.write(RawSocket.masked(0x88, RawSocket.closePayload(4000, "bye")));
            assertEquals(4000, raw.expectCloseAndEof());
        }
        assertEquals("close:4000:bye", recorder.awaitClose());
    }

    @Test
    void section5_5_1_emptyCloseGetsAnEmptyReply() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            raw.write(RawSocket.masked(0x88, new byte[0]));
            RawSocket.Frame reply = raw.readFrame();
            assertEquals(0x88, reply.b0());
            assertEquals(0, reply.payload().length);
            raw.expectEof();
        }
        assertEquals("close:1005:", recorder.awaitClose());
    }

    @Test
    void section5_5_2_pingIsAnsweredWithAPongCarryingItsPayload() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            raw.write(RawSocket.masked(0x89, "are you there"));
            RawSocket.Frame pong = raw.readFrame();
            assertEquals(0x8A, pong.b0());
            assertEquals("are you there", pong.text());
        }
        recorder.expect("open");
        recorder.expect("ping:are you there");
    }

    /**
     * RFC 6455 §5.5.2: "Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in response, unless it
     * already received a Close frame." The server started the closing handshake and has received no close yet: the
     * ping the client sends before its close still gets a pong (§5.5.1 forbids only data frames after a close), as
     * python-websockets answers one; then the handshake ends as usual.
     */
    @Test
    void section5_5_2_pingAfterTheServersCloseIsAnsweredUntilTheClientsClose() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            recorder.session().close(1001, "leaving");
            assertEquals(0x88, raw.readFrame().b0());
            raw.write(RawSocket.masked(0x89, "still there?"));
            RawSocket.Frame pong = raw.readFrame();
            assertEquals(0x8A, pong.b0());
            assertEquals("still there?", pong.text());
            raw.write(RawSocket.masked(0x88, RawSocket.closePayload(1001, "")));
            raw.expectEof();
        }
        assertEquals("close:1001:", recorder.awaitClose());
    }

    @Test
    void section5_5_2_tenPingsWrittenAtOnceGetTenPongsInOrder() throws Exception {
        // Autobahn case 2.10: the pings arrive in one read, and each is answered with its own payload.
        java.io.ByteArrayOutputStream pings = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 10; i++) {
            pings.write(RawSocket.masked(0x89, "payload-" + i));
        }
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            raw.write(pings.toByteArray());
            for (int i = 0; i < 10; i++) {
                RawSocket.Frame pong = raw.readFrame();
                assertEquals(0x8A, pong.b0());
                assertEquals("payload-" + i, pong.text());
            }
        }
    }

    @Test
    void section5_4_fragmentsAreAssembledAroundAnInterleavedPing() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            raw.write(RawSocket.masked(0x01, "frag"));
            raw.write(RawSocket.masked(0x89, "p"));
            raw.write(RawSocket.masked(0x00, "men"));
            raw.write(RawSocket.masked(0x80, "ted"));
            assertEquals(0x8A, raw.readFrame().b0());
            recorder.expect("open");
            recorder.expect("ping:p");
            recorder.expect("text:fragmented");
        }
    }

    @Test
    void section5_2_frameSplitIntoSingleBytesIsReassembled() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            byte[] frame = RawSocket.masked(0x81, "byte by byte");
            for (byte b : frame) {
                raw.write(new byte[] {b});
            }
            recorder.expect("open");
            recorder.expect("text:byte by byte");
        }
    }

    @Test
    void section5_1_serverFramesAreUnmaskedAndCarryTheMessage() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            recorder.session().sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}));
            RawSocket.Frame frame = raw.readFrame();
            assertEquals(0x82, frame.b0());
            assertArrayEquals(new byte[] {1, 2, 3}, frame.payload());
        }
    }
}
