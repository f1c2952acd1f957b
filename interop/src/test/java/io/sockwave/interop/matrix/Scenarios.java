package io.sockwave.interop.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.interop.matrix.Setup.Deflate;
import io.sockwave.testsupport.TestCertificates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Each feature of the matrix for one row: a fresh server configured for the feature, a fresh connection of the
 * driven client, and checks on what both ends saw. One end is Sockwave's, the other the peer's; the features that
 * have a direction (fragments, close) run the scenario that puts Sockwave and the peer on the named sides.
 */
public final class Scenarios {
    static final int[] SIZES = {0, 125, 126, 65_535, 65_536};
    static final int LARGE = 16 * 1024 * 1024;
    static final String UTF8 = "héllo wörld ✓ \uD83D\uDE00 \uD834\uDD1E";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final boolean peerIsClient;
    private final PeerClient client;
    private final EchoServer.Factory server;
    private final PeerTraits peer;

    /** A row where the peer is the client, against Sockwave's server. */
    public static Scenarios peerClient(PeerClient peer) {
        return new Scenarios(true, peer, SockwaveServer.factory(), peer);
    }

    /** A row where the peer is the server, driven by Sockwave's client. */
    public static Scenarios peerServer(EchoServer.Factory peer) {
        return new Scenarios(false, new SockwaveClient(), peer, peer);
    }

    private Scenarios(boolean peerIsClient, PeerClient client, EchoServer.Factory server, PeerTraits peer) {
        this.peerIsClient = peerIsClient;
        this.client = client;
        this.server = server;
        this.peer = peer;
    }

    /** Runs one feature; returns the note for its cell, or null. */
    public String run(Feature feature) throws Exception {
        try {
            return switch (feature) {
                case HANDSHAKE -> handshake();
                case SUBPROTOCOL -> subprotocol();
                case TEXT_SIZES -> echoAll(sizes(true));
                case BINARY_SIZES -> echoAll(sizes(false));
                case LARGE -> echoAll(List.of(Payload.text(LARGE), Payload.binary(LARGE)));
                case FRAGMENTS_TO_PEER -> peerIsClient ? serverSendsFragments() : clientSendsFragments();
                case FRAGMENTS_FROM_PEER -> peerIsClient ? clientSendsFragments() : serverSendsFragments();
                case PING_PONG -> pingPong();
                case CLOSE_BY_SOCKWAVE -> peerIsClient ? serverCloses() : clientCloses();
                case CLOSE_BY_PEER -> peerIsClient ? clientCloses() : serverCloses();
                case DEFLATE -> deflate(Deflate.DEFAULT);
                case DEFLATE_NO_CONTEXT_TAKEOVER -> deflate(Deflate.NO_CONTEXT_TAKEOVER);
                case DEFLATE_SMALLEST_WINDOW -> deflate(Deflate.SMALLEST_WINDOW);
                case TLS -> tls();
            };
        } finally {
            if (!peerIsClient) {
                client.close();
            }
        }
    }

    private static List<Payload> sizes(boolean text) {
        List<Payload> payloads = new ArrayList<>();
        for (int size : SIZES) {
            payloads.add(text ? Payload.text(size) : Payload.binary(size));
        }
        if (text) {
            payloads.add(Payload.text(UTF8));
        }
        return payloads;
    }

    private String handshake() throws Exception {
        try (EchoServer echo = server.start(Setup.plain()); Link link = client.connect(echo.uri(), Setup.plain())) {
            assertNull(link.subprotocol(), "no subprotocol was offered");
            echo(link, Payload.text("hello"));
            assertNull(echo.opened().get(10, TimeUnit.SECONDS).subprotocol());
        }
        return null;
    }

    private String subprotocol() throws Exception {
        try (EchoServer echo = server.start(Setup.plain().withSubprotocols("chat.v2", "chat.v1"));
             Link link = client.connect(echo.uri(), Setup.plain().withSubprotocols("x.unknown", "chat.v1"))) {
            assertEquals("chat.v1", link.subprotocol());
            assertEquals("chat.v1", echo.opened().get(10, TimeUnit.SECONDS).subprotocol());
            echo(link, Payload.text("hello"));
        }
        return null;
    }

    private String echoAll(List<Payload> payloads) throws Exception {
        try (EchoServer echo = server.start(Setup.plain()); Link link = client.connect(echo.uri(), Setup.plain())) {
            for (Payload payload : payloads) {
                echo(link, payload);
            }
            return null;
        }
    }

    private String serverSendsFragments() throws Exception {
        peerSendsFragments(!peerIsClient);
        try (EchoServer echo = server.start(Setup.plain()); Link link = client.connect(echo.uri(), Setup.plain())) {
            link.send(Payload.text("!fragments"));
            expect(link, Received.Message.of(Commands.FRAGMENTED_TEXT));
            expect(link, Received.Message.of(false, Commands.FRAGMENTED_BINARY));
        }
        return peerIsClient ? null : peer.fragmentsNote();
    }

    private String clientSendsFragments() throws Exception {
        peerSendsFragments(peerIsClient);
        try (EchoServer echo = server.start(Setup.plain()); Link link = client.connect(echo.uri(), Setup.plain())) {
            String note;
            try {
                link.sendUtf8Fragments(Commands.utf8Pieces());
                note = "U+1F600's UTF-8 split across frames";
            } catch (UnsupportedOperationException charsOnly) {
                String recut = link.sendTextFragments(Commands.textPieces());
                note = recut != null ? recut : "cut inside a surrogate pair";
            }
            expect(link, Received.Message.of(Commands.FRAGMENTED_TEXT));
            link.sendBinaryFragments(Commands.binaryPieces());
            expect(link, Received.Message.of(false, Commands.FRAGMENTED_BINARY));
            return peerIsClient ? note : null;
        }
    }

    /** @param peerSends whether the peer is the side that sends the fragments */
    private void peerSendsFragments(boolean peerSends) {
        String cannot = peer.sendsNoFragments();
        if (peerSends && cannot != null) {
            throw new UnsupportedOperationException(cannot);
        }
    }

    private String pingPong() throws Exception {
        try (EchoServer echo = server.start(Setup.plain()); Link link = client.connect(echo.uri(), Setup.plain())) {
            String note = null;
            try {
                link.ping("from-client");
                expect(link, new Received.Pong("from-client"));
            } catch (UnsupportedOperationException cannot) {
                note = "Sockwave's ping answered; " + cannot.getMessage();
            }
            link.send(Payload.text("!ping from-server"));
            expect(link, Received.Message.of("!pong from-server"));
            return note;
        }
    }

    private String serverCloses() throws Exception {
        try (EchoServer echo = server.start(Setup.plain()); Link link = client.connect(echo.uri(), Setup.plain())) {
            link.send(Payload.text("!close 4001 bye ✓"));
            expect(link, new Received.Closed(4001, "bye ✓"));
            assertEquals(4001, echo.closed().get(10, TimeUnit.SECONDS).code(), "the client echoes the code");
        }
        return null;
    }

    private String clientCloses() throws Exception {
        try (EchoServer echo = server.start(Setup.plain()); Link link = client.connect(echo.uri(), Setup.plain())) {
            echo(link, Payload.text("before close"));
            link.close(4002, "later ✓");
            assertEquals(new Received.Closed(4002, "later ✓"), echo.closed().get(10, TimeUnit.SECONDS));
            Received end = link.next(PATIENCE);
            assertTrue(end instanceof Received.Closed, "the close handshake ends on the client: " + end);
        }
        return null;
    }

    private String deflate(Deflate variant) throws Exception {
        String cannot = peer.noDeflateReason();
        if (cannot != null) {
            throw new UnsupportedOperationException(cannot);
        }
        Setup setup = Setup.plain().withDeflate(variant, peer.smallestWindowBits());
        try (EchoServer echo = server.start(setup); Link link = client.connect(echo.uri(), setup)) {
            String agreed = link.extensions();
            String declined = peer.smallWindowDeclined();
            if (variant == Deflate.SMALLEST_WINDOW && declined != null) {
                assertEquals("", agreed, "the peer was expected to decline the offer");
                throw new UnsupportedOperationException(declined);
            }
            assertTrue(agreed.startsWith("permessage-deflate"), "negotiated: " + agreed);
            String serverSide = echo.opened().get(10, TimeUnit.SECONDS).extensions();
            String hidden = peer.extensionParametersHidden();
            if (serverSide != null && hidden != null) {
                assertEquals(serverSide.replaceFirst("\\s*;.*", ""), agreed,
                        "the client names the extension the server answered");
                agreed = serverSide;
            } else if (serverSide != null) {
                assertEquals(agreed, serverSide, "both ends agree on the extension");
            }
            if (variant == Deflate.NO_CONTEXT_TAKEOVER) {
                // Sockwave's server imposes both; a peer's server may leave out client_no_context_takeover
                // (§7.1.1.2), which Sockwave's client, having offered it, keeps to anyway.
                assertTrue(agreed.contains("server_no_context_takeover")
                        && (!peerIsClient || agreed.contains("client_no_context_takeover")), agreed);
            }
            if (variant == Deflate.SMALLEST_WINDOW && !agreed.contains("max_window_bits")) {
                throw new UnsupportedOperationException(
                        "the peer negotiates no window below 15 bits (agreed: " + agreed + ")");
            }
            String json = "{\"type\":\"message\",\"text\":\"compress me\"}";
            for (Payload payload : List.of(Payload.text(json), Payload.text(json), Payload.text(70_000),
                    Payload.binary(70_000), Payload.text(UTF8), Payload.text(0))) {
                echo(link, payload);
            }
            if (peerIsClient || peer.sendsNoFragments() == null) {
                link.send(Payload.text("!fragments"));
                expect(link, Received.Message.of(Commands.FRAGMENTED_TEXT));
                expect(link, Received.Message.of(false, Commands.FRAGMENTED_BINARY));
            }
            String parameters = agreed.substring("permessage-deflate".length()).replaceFirst("^;\\s*", "");
            return hidden == null ? parameters
                    : "as Sockwave's server answered (" + hidden + ")" + (parameters.isEmpty() ? "" : ": " + parameters);
        }
    }

    private String tls() throws Exception {
        Setup setup = Setup.plain().withTls(TestCertificates.loopback());
        try (EchoServer echo = server.start(setup); Link link = client.connect(echo.uri(), setup)) {
            echo(link, Payload.text("over TLS"));
            echo(link, Payload.binary(70_000));
        }
        return peer.tlsNote();
    }

    private static void echo(Link link, Payload payload) throws Exception {
        link.send(payload);
        Received echo = link.next(PATIENCE);
        assertNotNull(echo, "no echo of " + payload + " within " + PATIENCE);
        assertEquals(payload.expected(), echo, "echo of " + payload);
    }

    private static void expect(Link link, Received expected) throws InterruptedException {
        assertEquals(expected, link.next(PATIENCE));
    }
}
