package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.Opcode;
import io.sockwave.protocol.extension.Extension;
import io.sockwave.protocol.extension.ExtensionFactory;
import io.sockwave.protocol.extension.ExtensionOffer;
import io.sockwave.protocol.extension.PayloadSink;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Extensions plug in through {@link ExtensionFactory} on both sides (RFC 6455 §9): negotiated in the handshake, run
 * on every message, listed by the session, and released when the connection ends. The test extension inverts every
 * payload bit under RSV1, so a message that arrives intact went through both ends' extension.
 */
class ExtensionNegotiationTest {
    static final AtomicInteger OPEN_EXTENSIONS = new AtomicInteger();

    /** Inverts payload bits; marks the messages it transformed with RSV1. */
    static final class Invert implements Extension {
        private boolean closed;

        Invert() {
            OPEN_EXTENSIONS.incrementAndGet();
        }

        @Override
        public String name() {
            return "x-invert";
        }

        @Override
        public ExtensionOffer negotiated() {
            return new ExtensionOffer("x-invert", List.of());
        }

        @Override
        public int rsvBits() {
            return RSV1;
        }

        @Override
        public void decode(ByteBuffer payload, boolean endOfMessage, PayloadSink out) {
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) ~bytes[i];
            }
            out.write(bytes, 0, bytes.length);
        }

        @Override
        public Encoded encode(Opcode type, ByteBuffer payload) {
            ByteBuffer inverted = ByteBuffer.allocate(payload.remaining());
            while (payload.hasRemaining()) {
                inverted.put((byte) ~payload.get());
            }
            return new Encoded(inverted.flip(), RSV1);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                OPEN_EXTENSIONS.decrementAndGet();
            }
        }
    }

    static final class InvertFactory implements ExtensionFactory {
        @Override
        public String name() {
            return "x-invert";
        }

        @Override
        public Extension accept(List<ExtensionOffer> offers) {
            return new Invert();
        }

        @Override
        public List<ExtensionOffer> offers() {
            return List.of(new ExtensionOffer("x-invert", List.of()));
        }

        @Override
        public Extension accepted(ExtensionOffer response) {
            return new Invert();
        }
    }

    /** Offers x-invert, and fails on the server's acceptance as a defect would, not by refusing its terms. */
    static final class FailingInvertFactory implements ExtensionFactory {
        final IllegalStateException defect = new IllegalStateException("a defect of the factory");

        @Override
        public String name() {
            return "x-invert";
        }

        @Override
        public Extension accept(List<ExtensionOffer> offers) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public List<ExtensionOffer> offers() {
            return List.of(new ExtensionOffer("x-invert", List.of()));
        }

        @Override
        public Extension accepted(ExtensionOffer response) {
            throw defect;
        }
    }

    /**
     * A client whose extension factory fails on the server's 101 must fail the WebSocket connection (RFC 6455 §4.1,
     * RFC 7692 §5), which is not established yet: the TCP connection is closed without a Close frame (§7.1.7), so the
     * server sees 1006, and the connect fails naming the factory, with its failure as the cause.
     */
    @Test
    void aClientFactoryThatFailsFailsTheConnectNamingItAndClosesTheConnection() throws Exception {
        Recorder served = new Recorder();
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).extensions(new InvertFactory())
                .route("/", served).build().start();
             Client client = Client.create(1)) {
            FailingInvertFactory failing = new FailingInvertFactory();
            ClientOptions options = ClientOptions.builder().extensions(failing).build();
            ExecutionException failed = assertThrows(ExecutionException.class, () -> client.connect(
                    URI.create("ws://127.0.0.1:" + server.port() + "/"), options, new Recorder())
                    .get(10, TimeUnit.SECONDS));
            Throwable cause = failed.getCause();
            assertInstanceOf(IOException.class, cause);
            assertTrue(cause.getMessage().startsWith("extension factory " + FailingInvertFactory.class.getName()
                    + " failed on the server's acceptance of x-invert"), cause.getMessage());
            assertSame(failing.defect, cause.getCause());

            assertTrue(served.awaitClose().startsWith("close:1006:"), "the server saw no Close frame");
            assertEquals(new ServerStats(0, 0, 0, 0, 0), ServerSettling.idle(server), "the server");
            assertEquals(new ServerStats(0, 0, 0, 0, 0), ServerSettling.idle(client), "the client's loops");
        }
        assertEquals(0, OPEN_EXTENSIONS.get(), "the server's extension was closed");
    }

    @Test
    void negotiatedExtensionTransformsEveryMessageBothWaysAndIsReleased() throws Exception {
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).extensions(new InvertFactory())
                .route("/echo", new EchoListener()).build().start();
             Client client = Client.create()) {
            Recorder recorder = new Recorder();
            ClientOptions options = ClientOptions.builder().extensions(new InvertFactory()).build();
            Session session = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), options,
                    recorder).get(10, TimeUnit.SECONDS);
            assertEquals("x-invert", session.extensions().get(0).name());
            session.sendText("through the extension");
            session.send(PreparedMessage.text("prepared, encoded per session"));
            recorder.expect("open");
            recorder.expect("text:through the extension");
            recorder.expect("text:prepared, encoded per session");
            session.close();
            recorder.awaitClose();
            assertEquals(0, TlsEndToEndTest.awaitConnections(server));
        }
        assertEquals(0, OPEN_EXTENSIONS.get(), "every extension was closed when its connection ended");
    }

    @Test
    void serverFramesCarryTheExtensionsRsvBitAndTransformedPayload() throws Exception {
        Recorder recorder = new Recorder();
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).extensions(new InvertFactory())
                .route("/", recorder).build().start();
             RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.upgrade("/", "Sec-WebSocket-Extensions: x-invert\r\n"));
            String head = raw.readHead();
            assertTrue(head.contains("\r\nSec-WebSocket-Extensions: x-invert\r\n"), head);
            recorder.session().sendBinary(ByteBuffer.wrap(new byte[] {0x0F}));
            RawSocket.Frame frame = raw.readFrame();
            assertEquals(0xC2, frame.b0(), "FIN, RSV1 and binary");
            assertEquals((byte) 0xF0, frame.payload()[0]);
            raw.write(RawSocket.masked(0xC1, new byte[] {(byte) ~'o', (byte) ~'k'}));
            recorder.expect("open");
            recorder.expect("text:ok");
        }
    }
}
