package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.Opcode;
import io.sockwave.protocol.extension.Extension;
import io.sockwave.protocol.extension.ExtensionFactory;
import io.sockwave.protocol.extension.ExtensionOffer;
import io.sockwave.protocol.extension.ExtensionParameter;
import io.sockwave.protocol.extension.PayloadSink;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The application's code that decides an upgrade besides its hooks, an {@link io.sockwave.protocol.handshake
 * .OriginPolicy} and an {@link ExtensionFactory}, may fail as a hook may: the client is answered 500 (RFC 9110
 * §15.6.1), as a failing {@link UpgradeHook} is, and the server goes on serving. It used to be closed without a word,
 * logged as an unexpected failure of the server's.
 */
class FailingOriginPolicyOrExtensionFactoryTest {
    /** An x-invert factory on the server whose acceptance is made by {@code accept}. */
    private record ServerFactory(Function<List<ExtensionOffer>, Extension> accept) implements ExtensionFactory {
        @Override
        public String name() {
            return "x-invert";
        }

        @Override
        public Extension accept(List<ExtensionOffer> offers) {
            return accept.apply(offers);
        }

        @Override
        public List<ExtensionOffer> offers() {
            return List.of(new ExtensionOffer("x-invert", List.of()));
        }

        @Override
        public Extension accepted(ExtensionOffer response) {
            throw new UnsupportedOperationException("a server's factory");
        }
    }

    /** The test's inverting extension, negotiating a parameter whose value would end the 101's header line. */
    private static final class LineBreaking implements Extension {
        private final Extension invert = new ExtensionNegotiationTest.Invert();

        @Override
        public String name() {
            return invert.name();
        }

        @Override
        public ExtensionOffer negotiated() {
            return new ExtensionOffer("x-invert", List.of(new ExtensionParameter("p", "a\r\nSet-Cookie: x")));
        }

        @Override
        public int rsvBits() {
            return invert.rsvBits();
        }

        @Override
        public void decode(ByteBuffer payload, boolean endOfMessage, PayloadSink out) {
            invert.decode(payload, endOfMessage, out);
        }

        @Override
        public Encoded encode(Opcode type, ByteBuffer payload) {
            return invert.encode(type, payload);
        }

        @Override
        public void close() {
            invert.close();
        }
    }

    @Test
    void anOriginPolicyThatThrowsIsAnswered500() throws Exception {
        Server.Builder builder = Server.builder().originPolicy(origin -> {
            if (origin != null && origin.endsWith("bad.example")) {
                throw new IllegalStateException("a defect of the policy");
            }
            return true;
        });
        answered500ThenServes(builder, "Origin: https://bad.example\r\n");
    }

    @Test
    void anExtensionFactoryThatThrowsIsAnswered500() throws Exception {
        answered500ThenServes(Server.builder().extensions(new ServerFactory(offers -> {
            throw new IllegalStateException("a defect of the factory");
        })), "Sec-WebSocket-Extensions: x-invert\r\n");
    }

    @Test
    void anExtensionThatNegotiatesALineBreakIsAnswered500AndClosed() throws Exception {
        int open = ExtensionNegotiationTest.OPEN_EXTENSIONS.get();
        answered500ThenServes(Server.builder().extensions(new ServerFactory(offers -> new LineBreaking())),
                "Sec-WebSocket-Extensions: x-invert\r\n");
        assertEquals(open, ExtensionNegotiationTest.OPEN_EXTENSIONS.get(), "the extension was closed");
    }

    private static void answered500ThenServes(Server.Builder builder, String failingHeaders) throws Exception {
        try (Server server = builder.host("127.0.0.1").eventLoops(1).route("/", new EchoListener()).build().start();
             Client client = Client.create()) {
            String answer = RawSocket.exchange(server.port(), RawSocket.upgrade("/", failingHeaders));
            assertTrue(answer.startsWith("HTTP/1.1 500 Internal Server Error\r\n"), answer);
            assertTrue(answer.contains("\r\nConnection: close\r\n"), answer);

            Recorder recorder = new Recorder();
            client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"), recorder).get(10, TimeUnit.SECONDS);
            recorder.expectEchoAndClose(recorder.session());
        }
    }
}
