package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.ProtocolException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's side of the framing rules (RFC 6455 §5, §7) against a hand-made server. */
class Section5ClientFramingTest {
    private final Client client = Client.create();
    private final Recorder recorder = new Recorder();
    private HandMadeServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = new HandMadeServer();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        client.close();
    }

    /** Connects the client to the hand-made server, which answers with a correct 101. @return the server's end */
    private RawSocket open(ClientOptions options) throws Exception {
        var connect = client.connect(server.uri("/"), options, recorder);
        HandMadeServer.Accepted accepted = server.accept();
        accepted.raw().accept101(accepted.request());
        connect.get(10, TimeUnit.SECONDS);
        recorder.expect("open");
        return accepted.raw();
    }

    @Test
    void section5_3_clientFramesAreMasked() throws Exception {
        RawSocket raw = open(ClientOptions.defaults());
        recorder.session().sendText("masked?");
        RawSocket.Frame frame = raw.readMaskedFrame();
        assertEquals(0x81, frame.b0());
        assertEquals("masked?", frame.text());
        raw.close();
    }

    @Test
    void section5_1_maskedServerFrameIsRefusedWith1002() throws Exception {
        RawSocket raw = open(ClientOptions.defaults());
        raw.write(RawSocket.masked(0x81, "I am masked"));
        RawSocket.Frame close = raw.readMaskedFrame();
        assertEquals(0x88, close.b0());
        assertEquals(1002, close.closeCode());
        raw.expectEof();
        recorder.expect("error:ProtocolException");
        assertInstanceOf(ProtocolException.class, recorder.errors.get(0));
        assertTrue(recorder.awaitClose().startsWith("close:1002:masked frame from server"),
                recorder.awaitClose());
    }

    @Test
    void section7_1_1_clientAnswersTheServersCloseAndLetsTheServerCloseTcp() throws Exception {
        RawSocket raw = open(ClientOptions.defaults());
        raw.write(RawSocket.frame(0x88, RawSocket.closePayload(1001, "restarting"), false));
        RawSocket.Frame reply = raw.readMaskedFrame();
        assertEquals(0x88, reply.b0());
        assertEquals(1001, reply.closeCode());
        raw.close();
        assertEquals("close:1001:restarting", recorder.awaitClose());
    }

    @Test
    void section7_1_1_clientClosesTcpAfterTheCloseTimeoutIfTheServerDoesNot() throws Exception {
        ClientOptions options = ClientOptions.builder().closeTimeout(Duration.ofMillis(300)).build();
        RawSocket raw = open(options);
        recorder.session().close(1000, "done");
        assertEquals(1000, raw.readMaskedFrame().closeCode());
        raw.write(RawSocket.frame(0x88, RawSocket.closePayload(1000, ""), false));
        raw.expectEof();
        assertEquals("close:1000:", recorder.awaitClose());
    }

    @Test
    void section5_5_2_clientAnswersPingsWithPongs() throws Exception {
        RawSocket raw = open(ClientOptions.defaults());
        raw.write(RawSocket.frame(0x89, "beat".getBytes(java.nio.charset.StandardCharsets.UTF_8), false));
        RawSocket.Frame pong = raw.readMaskedFrame();
        assertEquals(0x8A, pong.b0());
        assertEquals("beat", pong.text());
        recorder.expect("ping:beat");
        raw.close();
    }

    /**
     * RFC 6455 §5.5.2: a pong is owed "unless it already received a Close frame". The client that started the
     * closing handshake still answers the server's ping that comes before the server's close, masked (§5.3).
     */
    @Test
    void section5_5_2_clientThatSentItsCloseStillAnswersAPing() throws Exception {
        RawSocket raw = open(ClientOptions.defaults());
        recorder.session().close(1000, "done");
        assertEquals(1000, raw.readMaskedFrame().closeCode());
        raw.write(RawSocket.frame(0x89, "last beat".getBytes(java.nio.charset.StandardCharsets.UTF_8), false));
        RawSocket.Frame pong = raw.readMaskedFrame();
        assertEquals(0x8A, pong.b0());
        assertEquals("last beat", pong.text());
        raw.write(RawSocket.frame(0x88, RawSocket.closePayload(1000, ""), false));
        raw.close();
        assertEquals("close:1000:", recorder.awaitClose());
    }

    /**
     * RFC 6455 §5.5.2 owes the pong to a ping that comes before the peer's close, and §5.5.1 forbids only data frames
     * after a close: with automatic pongs off, the pong the listener sends after this end's close goes out, masked.
     */
    @Test
    void section5_5_2_listenersPongAfterItsCloseAnswersAPingWhenAutomaticPongsAreOff() throws Exception {
        CompletableFuture<Void> answered = new CompletableFuture<>();
        Listener answering = new Listener() {
            @Override
            public void onPing(Session session, ByteBuffer payload) {
                session.pong(payload).whenComplete((done, failure) -> {
                    if (failure != null) {
                        answered.completeExceptionally(failure);
                    } else {
                        answered.complete(null);
                    }
                });
            }
        };
        var connect = client.connect(server.uri("/"), ClientOptions.builder().autoPong(false).build(), answering);
        HandMadeServer.Accepted accepted = server.accept();
        RawSocket raw = accepted.raw();
        raw.accept101(accepted.request());
        Session session = connect.get(10, TimeUnit.SECONDS);
        session.close(1000, "done");
        assertEquals(1000, raw.readMaskedFrame().closeCode());

        raw.write(RawSocket.frame(0x89, "owed".getBytes(StandardCharsets.UTF_8), false));
        answered.get(10, TimeUnit.SECONDS);
        RawSocket.Frame pong = raw.readMaskedFrame();
        assertEquals(0x8A, pong.b0());
        assertEquals("owed", pong.text());
        raw.write(RawSocket.frame(0x88, RawSocket.closePayload(1000, ""), false));
        raw.close();
    }

    /**
     * A ping after this end's close is refused, with why: the server reads it after the close, when RFC 6455 §5.5.2
     * owes it no pong. None reaches the wire: the next frame after the close is the pong the server's ping is owed.
     */
    @Test
    void section5_5_2_pingAfterThisEndsCloseIsRefusedAndNotSent() throws Exception {
        RawSocket raw = open(ClientOptions.defaults());
        Session session = recorder.session();
        session.close(1000, "done");
        assertEquals(1000, raw.readMaskedFrame().closeCode());

        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> session.ping(ByteBuffer.wrap(new byte[] {1})).get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, refused.getCause());
        assertEquals("no ping after this end's close frame: the peer reads it after the close, when RFC 6455 §5.5.2"
                + " owes no pong", refused.getCause().getMessage());
        raw.write(RawSocket.frame(0x89, "probe".getBytes(StandardCharsets.UTF_8), false));
        RawSocket.Frame next = raw.readMaskedFrame();
        assertEquals(0x8A, next.b0(), "the pong, not a ping");
        assertEquals("probe", next.text());
        raw.write(RawSocket.frame(0x88, RawSocket.closePayload(1000, ""), false));
        raw.close();
        assertEquals("close:1000:", recorder.awaitClose());
    }
}
