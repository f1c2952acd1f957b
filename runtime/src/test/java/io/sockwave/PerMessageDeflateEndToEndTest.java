package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.extension.PerMessageDeflate;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/** permessage-deflate (RFC 7692) plugged into the runtime on both sides through the extension factories. */
class PerMessageDeflateEndToEndTest {
    private static final String COMPRESSIBLE = "all work and no play makes jack a dull boy. ".repeat(2000);

    @Test
    void compressedMessagesRoundTripIncludingPreparedOnes() throws Exception {
        try (Server server = deflateServer(new EchoListener()); Client client = Client.create()) {
            Recorder recorder = new Recorder();
            Session session = connectOfferingDeflate(client, server, recorder);
            assertEquals("permessage-deflate", session.extensions().get(0).name());
            recorder.expect("open");
            for (int i = 0; i < 10; i++) {
                session.sendText(i + COMPRESSIBLE);
            }
            session.send(PreparedMessage.text("prepared " + COMPRESSIBLE));
            session.sendBinary(ByteBuffer.wrap(new byte[100_000]));
            session.sendText("pie", false);
            session.sendText("ces", true);
            for (int i = 0; i < 10; i++) {
                assertEquals("text:" + i + COMPRESSIBLE, recorder.next());
            }
            assertEquals("text:prepared " + COMPRESSIBLE, recorder.next());
            recorder.expect("binary:100000");
            recorder.expect("text:pieces");
            session.close();
            assertEquals("close:1000:", recorder.awaitClose());
        }
    }

    @Test
    void serverCompressesWhatItSendsToAClientThatOffersDeflate() throws Exception {
        Recorder recorder = new Recorder();
        try (Server server = deflateServer(recorder); RawSocket raw = rawClientOfferingDeflate(server)) {
            Session session = recorder.session();
            session.sendText(COMPRESSIBLE);
            RawSocket.Frame frame = raw.readFrame();
            assertEquals(0xC1, frame.b0(), "FIN, RSV1 (compressed) and text");
            assertTrue(frame.payload().length < COMPRESSIBLE.length() / 10, "compressed to " + frame.payload().length);
            session.send(PreparedMessage.text(COMPRESSIBLE));
            assertEquals(0xC1, raw.readFrame().b0(), "a prepared message is compressed for this session too");
        }
    }

    /** The pieces of {@link #COMPRESSIBLE} a fragmented message is sent in: 44-character sentences, 20 at a time. */
    private static Server deflateServer(Listener listener) throws Exception {
        return Server.builder().host("127.0.0.1").eventLoops(1).extensions(PerMessageDeflate.defaults())
                .route("/", listener).build().start();
    }

    /** A Sockwave client session that offered permessage-deflate. */
    private static Session connectOfferingDeflate(Client client, Server server, Listener listener) throws Exception {
        ClientOptions options = ClientOptions.builder().extensions(PerMessageDeflate.defaults()).build();
        return client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"), options, listener)
                .get(10, TimeUnit.SECONDS);
    }

    /** A raw socket whose upgrade offered permessage-deflate, which the server accepted. */
    private static RawSocket rawClientOfferingDeflate(Server server) throws Exception {
        RawSocket raw = RawSocket.connect(server.port());
        try {
            raw.write(RawSocket.upgrade("/", "Sec-WebSocket-Extensions: permessage-deflate\r\n"));
            String head = raw.readHead();
            assertTrue(head.contains("Sec-WebSocket-Extensions: permessage-deflate"), head);
            return raw;
        } catch (Exception | AssertionError e) {
            raw.close();
            throw e;
        }
    }

    private static List<String> pieces() {
        List<String> pieces = new ArrayList<>();
        for (int at = 0; at < COMPRESSIBLE.length(); at += 880) {
            pieces.add(COMPRESSIBLE.substring(at, Math.min(COMPRESSIBLE.length(), at + 880)));
        }
        return pieces;
    }

    /**
     * RFC 7692 §6.1 through real sockets, in both directions: a message sent in pieces with Session.sendText(piece,
     * last) is compressed across its fragments and arrives whole.
     */
    @Test
    void fragmentedMessagesAreCompressedAndArriveWhole() throws Exception {
        try (Server server = deflateServer(new EchoListener()); Client client = Client.create()) {
            Recorder recorder = new Recorder();
            Session session = connectOfferingDeflate(client, server, recorder);
            recorder.expect("open");
            List<String> pieces = pieces();
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < pieces.size(); i++) {
                    session.sendText(pieces.get(i), i == pieces.size() - 1);
                }
                assertEquals("text:" + COMPRESSIBLE, recorder.next());
            }
            byte[] binary = COMPRESSIBLE.getBytes(StandardCharsets.US_ASCII);
            session.sendBinary(ByteBuffer.wrap(binary, 0, 50_000), false);
            session.sendBinary(ByteBuffer.wrap(binary, 50_000, 0), false);
            session.sendBinary(ByteBuffer.wrap(binary, 50_000, binary.length - 50_000), true);
            recorder.expect("binary:" + binary.length);
            session.close();
            assertEquals("close:1000:", recorder.awaitClose());
        }
    }

    /** The server's fragments on the wire, read by a raw client that offered permessage-deflate. */
    @Test
    void serverFragmentsOnTheWireCarryRsv1FirstAndAreMuchSmallerThanTheMessage() throws Exception {
        Recorder recorder = new Recorder();
        try (Server server = deflateServer(recorder); RawSocket raw = rawClientOfferingDeflate(server)) {
            List<String> pieces = pieces();
            Session session = recorder.session();
            for (int i = 0; i < pieces.size(); i++) {
                session.sendText(pieces.get(i), i == pieces.size() - 1);
            }
            List<RawSocket.Frame> frames = new ArrayList<>();
            for (int i = 0; i < pieces.size(); i++) {
                frames.add(raw.readFrame());
            }
            assertWireFrames(frames, COMPRESSIBLE);
        }
    }

    /** The client's fragments on the wire, read by a hand-made server that accepts permessage-deflate. */
    @Test
    void clientFragmentsOnTheWireCarryRsv1FirstAndAreMuchSmallerThanTheMessage() throws Exception {
        try (HandMadeServer hand = new HandMadeServer(); Client client = Client.create()) {
            ClientOptions options = ClientOptions.builder().extensions(PerMessageDeflate.defaults()).build();
            CompletableFuture<Session> connecting = client.connect(hand.uri("/"), options, new Recorder());
            HandMadeServer.Accepted accepted = hand.accept();
            assertTrue(accepted.request().contains("permessage-deflate"), accepted.request());
            RawSocket raw = accepted.raw();
            raw.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + RawSocket.acceptFor(accepted.request()) + "\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n");
            Session session = connecting.get(10, TimeUnit.SECONDS);
            List<String> pieces = pieces();
            for (int i = 0; i < pieces.size(); i++) {
                session.sendText(pieces.get(i), i == pieces.size() - 1);
            }
            List<RawSocket.Frame> frames = new ArrayList<>();
            for (int i = 0; i < pieces.size(); i++) {
                frames.add(raw.readMaskedFrame());
            }
            assertWireFrames(frames, COMPRESSIBLE);
            raw.close();
        }
    }

    /**
     * §6.1: RSV1 and the opcode on the first frame, continuations after it, FIN on the last; §7.2.2: the payloads
     * with 00 00 ff ff appended inflate to the message; and they are far smaller than it.
     */
    private static void assertWireFrames(List<RawSocket.Frame> frames, String message) throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < frames.size(); i++) {
            int expected = i == 0 ? 0x41 : i == frames.size() - 1 ? 0x80 : 0x00;
            assertEquals(expected, frames.get(i).b0(), "FIN, RSV and opcode of frame " + i);
            stream.writeBytes(frames.get(i).payload());
        }
        assertTrue(stream.size() < message.length() / 10,
                stream.size() + " bytes on the wire for a message of " + message.length());
        stream.writeBytes(new byte[] {0, 0, (byte) 0xFF, (byte) 0xFF});
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(stream.toByteArray());
            byte[] out = new byte[message.length() + 1];
            int n = inflater.inflate(out);
            assertEquals(message, new String(out, 0, n, StandardCharsets.US_ASCII));
        } finally {
            inflater.end();
        }
    }
}
