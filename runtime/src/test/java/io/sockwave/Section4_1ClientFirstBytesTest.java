package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.extension.PerMessageDeflate;
import io.sockwave.protocol.handshake.HandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's first bytes after its request, against a hand-made server on loopback: frames that come in the same
 * TCP segment as the 101 are the session's first frames (RFC 6455 §4.1: once the response is valid the connection is
 * open, and whatever follows is framed data), a 101 that trickles in byte by byte, a server that closes right after
 * its 101, header names and tokens in any case and in lists, and a 101 that accepts what was never offered.
 */
class Section4_1ClientFirstBytesTest {
    private final Client client = Client.create();

    @AfterEach
    void stop() {
        client.close();
    }

    private static byte[] switching(String request, String extraHeaders) {
        return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + RawSocket.acceptFor(request) + "\r\n" + extraHeaders + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] text(String payload) {
        return RawSocket.frame(0x81, payload.getBytes(StandardCharsets.UTF_8), false);
    }

    @Test
    void framesInTheSameWriteAsThe101AreTheSessionsFirst() throws Exception {
        try (HandMadeServer server = new HandMadeServer()) {
            Recorder recorder = new Recorder();
            client.connect(server.uri("/"), recorder);
            HandMadeServer.Accepted accepted = server.accept();
            accepted.raw().write(RawSocket.concat(switching(accepted.request(), ""), text("first"),
                    RawSocket.frame(0x88, RawSocket.closePayload(1000, "bye"), false)));
            recorder.expect("open");
            recorder.expect("text:first");
            assertEquals(1000, accepted.raw().readMaskedFrame().closeCode(), "the client answers the close");
            // The server closes the TCP connection first (RFC 6455 §7.1.1), so that the client's onClose does not
            // wait out its close timeout.
            accepted.raw().close();
            recorder.expect("close:1000:bye");
        }
    }

    /** RFC 7692 §6: a compressed message right behind the 101 that negotiated permessage-deflate is inflated. */
    @Test
    void aCompressedFrameInTheSameWriteAsThe101IsInflated() throws Exception {
        try (HandMadeServer server = new HandMadeServer()) {
            Recorder recorder = new Recorder();
            client.connect(server.uri("/"), ClientOptions.builder().extensions(PerMessageDeflate.defaults()).build(),
                    recorder);
            HandMadeServer.Accepted accepted = server.accept();
            Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            deflater.setInput("squeezed squeezed squeezed".getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[256];
            int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
            deflater.end();
            // RSV1 set, and the 00 00 ff ff tail of the flush left off (RFC 7692 §7.2.1).
            byte[] frame = RawSocket.frame(0xC1, Arrays.copyOf(out, n - 4), false);
            accepted.raw().write(RawSocket.concat(
                    switching(accepted.request(), "Sec-WebSocket-Extensions: permessage-deflate\r\n"), frame));
            recorder.expect("open");
            recorder.expect("text:squeezed squeezed squeezed");
            accepted.raw().close();
        }
    }

    @Test
    void aResponseAndAFrameThatArriveByteByByteOpenTheSession() throws Exception {
        try (HandMadeServer server = new HandMadeServer()) {
            Recorder recorder = new Recorder();
            client.connect(server.uri("/"), recorder);
            HandMadeServer.Accepted accepted = server.accept();
            byte[] all = RawSocket.concat("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
                    switching(accepted.request(), ""), text("trickled"));
            for (byte b : all) {
                accepted.raw().write(new byte[] {b});
            }
            recorder.expect("open");
            recorder.expect("text:trickled");
            accepted.raw().close();
        }
    }

    /** The 101 made the session: a server that then closes without a close frame gives it 1006 (§7.1.5). */
    @Test
    void aServerThatClosesRightAfterThe101LeavesAnOpenedSessionClosedWith1006() throws Exception {
        try (HandMadeServer server = new HandMadeServer()) {
            Recorder recorder = new Recorder();
            CompletableFuture<Session> connect = client.connect(server.uri("/"), recorder);
            HandMadeServer.Accepted accepted = server.accept();
            accepted.raw().write(RawSocket.concat(switching(accepted.request(), ""), text("last words")));
            accepted.raw().close();
            connect.get(10, TimeUnit.SECONDS);
            recorder.expect("open");
            recorder.expect("text:last words");
            assertTrue(recorder.next().startsWith("close:1006:"));
        }
    }

    /** RFC 9110 §5.1 and §7.6.1: field names and Connection options are case-insensitive, Connection is a list. */
    @Test
    void upgradeAndConnectionInAnyCaseAndInListsAreAccepted() throws Exception {
        try (HandMadeServer server = new HandMadeServer()) {
            Recorder recorder = new Recorder();
            CompletableFuture<Session> connect = client.connect(server.uri("/"), recorder);
            HandMadeServer.Accepted accepted = server.accept();
            accepted.raw().write("HTTP/1.1 101 Switching Protocols\r\nUPGRADE: WebSocket\r\n"
                    + "connection: keep-alive, UPGRADE\r\nsec-websocket-accept: "
                    + RawSocket.acceptFor(accepted.request()) + "\r\n\r\n");
            connect.get(10, TimeUnit.SECONDS);
            recorder.expect("open");
            accepted.raw().close();
        }
    }

    /** §4.1: an extension or a subprotocol the client did not offer fails the connection, whose socket is closed. */
    @Test
    void aResponseThatAcceptsWhatWasNotOfferedFailsTheConnect() throws Exception {
        String[] answers = {"Sec-WebSocket-Extensions: permessage-deflate\r\n", "Sec-WebSocket-Protocol: chat\r\n"};
        String[] reasons = {"server accepted extension permessage-deflate, which was not offered",
            "server chose subprotocol chat, which was not offered"};
        for (int i = 0; i < answers.length; i++) {
            try (HandMadeServer server = new HandMadeServer()) {
                Recorder recorder = new Recorder();
                CompletableFuture<Session> connect = client.connect(server.uri("/"), recorder);
                HandMadeServer.Accepted accepted = server.accept();
                accepted.raw().write(RawSocket.concat(switching(accepted.request(), answers[i]), text("never")));
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> connect.get(10, TimeUnit.SECONDS));
                HandshakeException refusal = assertInstanceOf(HandshakeException.class, e.getCause());
                assertTrue(refusal.getMessage().contains(reasons[i]), refusal.getMessage());
                accepted.raw().expectEof();
                assertTrue(recorder.events.isEmpty(), "no listener call: " + recorder.drain());
            }
        }
    }
}
