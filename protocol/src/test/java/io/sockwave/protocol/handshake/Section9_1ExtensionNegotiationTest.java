package io.sockwave.protocol.handshake;

import static io.sockwave.protocol.handshake.Wire.respond;
import static io.sockwave.protocol.handshake.Wire.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.extension.Extension;
import io.sockwave.protocol.extension.ExtensionFactory;
import io.sockwave.protocol.extension.ExtensionOffer;
import io.sockwave.protocol.extension.ExtensionParameter;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6455 §9.1 and §4.2.2 /extensions/: who offers, who chooses, and in which order extensions apply. */
class Section9_1ExtensionNegotiationTest {
    private static final int RSV1 = Extension.RSV1;
    private static final int RSV2 = Extension.RSV2;

    private static ExtensionOffer offer(String name, String... parameterNames) {
        return new ExtensionOffer(name,
                Arrays.stream(parameterNames).map(p -> new ExtensionParameter(p, null)).toList());
    }

    private static String request(String extensionFields) {
        return "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + extensionFields + "\r\n";
    }

    private static ServerHandshake server(ExtensionFactory... factories) {
        return new ServerHandshake(List.of(), List.of(factories), OriginPolicy.any());
    }

    private static ClientHandshake client(ExtensionFactory... factories) {
        return new ClientHandshake(URI.create("ws://a/"), new HttpHeaders(), List.of(), List.of(factories));
    }

    private static String switching(ClientHandshake client, String extensions) {
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + AcceptKey.derive(client.key()) + "\r\n"
                + "Sec-WebSocket-Extensions: " + extensions + "\r\n\r\n";
    }

    @Test
    void eachFactorySeesAllOffersOfItsExtensionInTheClientsOrder() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", RSV1);
        FakeExtensionFactory bar = new FakeExtensionFactory("bar", RSV2);
        String response = respond(server(bar, foo), request(
                "Sec-WebSocket-Extensions: foo; unsupported, bar, foo; a\r\n"
                        + "Sec-WebSocket-Extensions: baz, FOO; b\r\n"));
        assertEquals(List.of(List.of(offer("foo", "unsupported"), offer("foo", "a"), offer("FOO", "b"))),
                foo.offersSeen);
        assertEquals(List.of(List.of(offer("bar"))), bar.offersSeen);
        // The response follows the client's order (foo before bar), not the server's configuration order.
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                + "Sec-WebSocket-Extensions: foo; a, bar\r\n\r\n", response);
    }

    @Test
    void aSubprotocolAndAnExtensionAreAnsweredTogetherProtocolFirst() {
        // RFC 6455 §4.2.2 item 5: the 101 carries both the chosen subprotocol and the accepted extensions.
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", RSV1);
        ServerHandshake server = new ServerHandshake(List.of("v2"), List.of(foo), OriginPolicy.any());
        String response = respond(server, request(
                "Sec-WebSocket-Protocol: v1, v2\r\nSec-WebSocket-Extensions: foo; x=1\r\n"));
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                + "Sec-WebSocket-Protocol: v2\r\n"
                + "Sec-WebSocket-Extensions: foo; x=1\r\n\r\n", response);
    }

    @Test
    void anExtensionWhoseNegotiatedValueWouldSplitTheResponseIsRefusedAndClosed() {
        // RFC 7230 §3.2: a field value holds no CR or LF; one from an extension would end the 101's header line and
        // start a header of its choosing (response splitting).
        for (String value : List.of("a\r\nX-Injected: 1", "a\u010Ab")) {
            FakeExtensionFactory splitting = FakeExtensionFactory.answering(RSV1,
                    new ExtensionOffer("foo", List.of(new ExtensionParameter("x", value))));
            ServerHandshake server = server(splitting);
            HttpRequest request = Wire.request(request("Sec-WebSocket-Extensions: foo\r\n"));

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> server.accept(request));

            assertTrue(e.getMessage().contains("Sec-WebSocket-Extensions"), e.getMessage());
            assertTrue(splitting.created.get(0).closed, "the extension negotiated is closed");
        }
    }

    @Test
    void theAcceptedExtensionsAreHandedToTheCallerInResponseOrder() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", RSV1);
        FakeExtensionFactory bar = new FakeExtensionFactory("bar", RSV2);
        ServerHandshake.Accepted accepted = server(foo, bar).accept(Wire.request(request(
                "Sec-WebSocket-Extensions: bar, foo\r\n")));
        assertEquals(List.of(bar.created.get(0), foo.created.get(0)), accepted.extensions());
    }

    @Test
    void unknownAndDeclinedExtensionsAreLeftOutAndNoHeaderIsSentForNone() {
        // §9.1: the server lists only the extensions it accepts; the connection still opens.
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", RSV1);
        String response = respond(server(foo), request(
                "Sec-WebSocket-Extensions: baz, foo; unsupported\r\n"));
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", response);
        assertEquals(1, foo.offersSeen.size());
    }

    @Test
    void aSecondExtensionClaimingTheSameRsvBitIsDeclinedAndClosed() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", RSV1);
        FakeExtensionFactory bar = new FakeExtensionFactory("bar", RSV1);
        ServerHandshake.Accepted accepted = server(foo, bar).accept(Wire.request(request(
                "Sec-WebSocket-Extensions: foo, bar\r\n")));
        assertEquals(List.of(foo.created.get(0)), accepted.extensions());
        assertEquals("foo", accepted.response().headers().first("Sec-WebSocket-Extensions"));
        assertTrue(bar.created.get(0).closed);
        assertFalse(foo.created.get(0).closed);
    }

    @Test
    void extensionsAlreadyAcceptedAreClosedWhenALaterFactoryFails() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", RSV1);
        ExtensionFactory broken = new ExtensionFactory() {
            @Override
            public String name() {
                return "bar";
            }

            @Override
            public Extension accept(List<ExtensionOffer> offers) {
                throw new IllegalStateException("factory bug");
            }

            @Override
            public List<ExtensionOffer> offers() {
                return List.of();
            }

            @Override
            public Extension accepted(ExtensionOffer response) {
                throw new IllegalStateException("server side only");
            }
        };
        ServerHandshake server = server(foo, broken);
        HttpRequest request = Wire.request(request("Sec-WebSocket-Extensions: foo, bar\r\n"));
        assertEquals("factory bug", assertThrows(IllegalStateException.class, () -> server.accept(request))
                .getMessage());
        assertTrue(foo.created.get(0).closed);
    }

    @Test
    void theClientOffersEachFactorysOffersInOrder() {
        ClientHandshake client = client(new FakeExtensionFactory("foo", RSV1, offer("foo", "a"), offer("foo")),
                new FakeExtensionFactory("bar", RSV2, offer("bar")), new FakeExtensionFactory("quiet", 0));
        String request = text(client.request());
        assertTrue(request.contains("\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: foo; a, foo, bar\r\n"),
                request);
        assertFalse(text(client().request()).contains("Sec-WebSocket-Extensions"), "no offers, no header");
    }

    @Test
    void theClientRunsWhatTheServerAcceptedInTheServersOrder() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", RSV1, offer("foo"));
        FakeExtensionFactory bar = new FakeExtensionFactory("bar", RSV2, offer("bar"));
        ClientHandshake client = client(foo, bar);
        ClientHandshake.Accepted accepted = client.verify(Wire.response(switching(client, "bar, foo; a")));
        assertEquals(List.of(bar.created.get(0), foo.created.get(0)), accepted.extensions());
        assertEquals(offer("foo", "a"), foo.created.get(0).negotiated());
    }

    private static String failure(ClientHandshake client, String extensions) {
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> client.verify(Wire.response(switching(client, extensions))));
        assertEquals(101, e.status());
        return e.getMessage();
    }

    @Test
    void theClientFailsOnExtensionsItDidNotOffer() {
        // §4.1 response step 5 and §9.1.
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", RSV1, offer("foo"));
        FakeExtensionFactory silent = new FakeExtensionFactory("silent", RSV2);
        ClientHandshake client = client(foo, silent);
        assertEquals("invalid handshake response: server accepted extension baz, which was not offered",
                failure(client, "foo, baz"));
        assertTrue(foo.created.get(0).closed, "what was already accepted is released");
        assertEquals("invalid handshake response: server accepted extension silent, which was not offered",
                failure(client, "silent"));
    }

    @Test
    void theClientFailsOnAnExtensionAcceptedTwice() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", RSV1, offer("foo"), offer("foo", "a"));
        ClientHandshake client = client(foo);
        assertEquals("invalid handshake response: server accepted extension foo twice", failure(client, "foo, foo; a"));
        assertEquals(1, foo.created.size());
        assertTrue(foo.created.get(0).closed);
    }

    @Test
    void theClientFailsWhenItsFactoryRefusesTheServersTerms() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", RSV1, offer("foo"));
        assertEquals("invalid handshake response: server's terms for extension foo are unacceptable: bogus parameter",
                failure(client(foo), "foo; bogus"));
    }

    /** A client factory that fails on the server's terms other than by refusing them. */
    private static final class BrokenClientFactory implements ExtensionFactory {
        final IllegalStateException defect = new IllegalStateException("a defect of the factory");

        @Override
        public String name() {
            return "bar";
        }

        @Override
        public Extension accept(List<ExtensionOffer> offers) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public List<ExtensionOffer> offers() {
            return List.of(offer("bar"));
        }

        @Override
        public Extension accepted(ExtensionOffer response) {
            throw defect;
        }
    }

    @Test
    void aClientFactoryThatFailsIsNamedWithItsFailureAsTheCauseAndWhatWasAcceptedIsClosed() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", RSV1, offer("foo"));
        BrokenClientFactory bar = new BrokenClientFactory();
        ClientHandshake client = client(foo, bar);
        IllegalStateException failed = assertThrows(IllegalStateException.class,
                () -> client.verify(Wire.response(switching(client, "foo, bar; x=1"))));
        assertEquals("extension factory " + BrokenClientFactory.class.getName() + " failed on the server's "
                + "acceptance of bar (bar; x=1): java.lang.IllegalStateException: a defect of the factory",
                failed.getMessage());
        assertSame(bar.defect, failed.getCause());
        assertTrue(foo.created.get(0).closed, "what was already accepted is released");
    }

    @Test
    void theClientFailsWhenTwoExtensionsClaimTheSameRsvBit() {
        FakeExtensionFactory foo = new FakeExtensionFactory("foo", RSV1, offer("foo"));
        FakeExtensionFactory bar = new FakeExtensionFactory("bar", RSV1, offer("bar"));
        assertEquals("invalid handshake response: extension bar claims an RSV bit already in use",
                failure(client(foo, bar), "foo, bar"));
        assertTrue(foo.created.get(0).closed);
        assertTrue(bar.created.get(0).closed);
    }

    @Test
    void theClientFailsOnAMalformedHeader() {
        assertEquals("invalid handshake response: malformed Sec-WebSocket-Extensions: expected a parameter token "
                + "at offset 4, found end of value", failure(client(), "foo;"));
    }

    @Test
    void clientAndServerAgreeEndToEnd() {
        FakeExtensionFactory serverFoo = new FakeExtensionFactory("foo", RSV1);
        FakeExtensionFactory clientFoo = new FakeExtensionFactory("foo", RSV1, offer("foo", "unsupported"),
                offer("foo", "x"));
        FakeExtensionFactory clientBar = new FakeExtensionFactory("bar", RSV2, offer("bar"));
        ClientHandshake client = client(clientFoo, clientBar);
        ServerHandshake.Accepted serverSide = server(serverFoo).accept(Wire.request(text(client.request())));
        ClientHandshake.Accepted clientSide = client.verify(Wire.response(text(serverSide.response().encode())));
        assertEquals(offer("foo", "x"), serverFoo.created.get(0).negotiated());
        assertEquals(1, clientSide.extensions().size());
        assertSame(clientFoo.created.get(0), clientSide.extensions().get(0));
        assertEquals(offer("foo", "x"), clientSide.extensions().get(0).negotiated());
    }
}
