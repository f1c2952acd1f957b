package io.sockwave.interop.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.interop.matrix.PeerClient.DeflateOffer;
import io.sockwave.protocol.extension.PerMessageDeflate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Each feature of the matrix for a peer's client against Sockwave's server: a fresh server configured for the
 * feature, a fresh connection of the peer, and checks on what both ends saw.
 */
public final class PeerClientScenarios {
    static final int[] SIZES = {0, 125, 126, 65_535, 65_536};
    static final int LARGE = 16 * 1024 * 1024;
    static final String UTF8 = "héllo wörld ✓ \uD83D\uDE00 \uD834\uDD1E";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final PeerClient peer;

    public PeerClientScenarios(PeerClient peer) {
        this.peer = peer;
    }

    /** Runs one feature; returns the note for its cell. */
    public String run(Feature feature) throws Exception {
        return switch (feature) {
            case HANDSHAKE -> handshake();
            case SUBPROTOCOL -> subprotocol();
            case TEXT_SIZES -> echoAll(sizes(true), SockwaveServer.Setup.plain(), PeerClient.Setup.plain());
            case BINARY_SIZES -> echoAll(sizes(false), SockwaveServer.Setup.plain(), PeerClient.Setup.plain());
            case LARGE -> echoAll(List.of(Payload.text(LARGE), Payload.binary(LARGE)), SockwaveServer.Setup.plain(),
                    PeerClient.Setup.plain());
            case FRAGMENTS_TO_PEER -> fragmentsToPeer();
            case FRAGMENTS_FROM_PEER -> fragmentsFromPeer();
            case PING_PONG -> pingPong();
            case CLOSE_BY_SOCKWAVE -> closeBySockwave();
            case CLOSE_BY_PEER -> closeByPeer();
            case DEFLATE -> deflate(DeflateOffer.DEFAULT, PerMessageDeflate.builder().threshold(0).build());
            case DEFLATE_NO_CONTEXT_TAKEOVER -> deflate(DeflateOffer.NO_CONTEXT_TAKEOVER, PerMessageDeflate.builder()
                    .threshold(0).serverNoContextTakeover(true).clientNoContextTakeover(true).build());
            case DEFLATE_SMALLEST_WINDOW -> deflate(DeflateOffer.SMALLEST_WINDOW, PerMessageDeflate.builder()
                    .threshold(0).serverMaxWindowBits(peer.smallestWindowBits())
                    .clientMaxWindowBits(peer.smallestWindowBits()).build());
            case TLS -> tls();
        };
    }

    private static List<Payload> sizes(boolean text) {
        List<Payload> payloads = new java.util.ArrayList<>();
        for (int size : SIZES) {
            payloads.add(text ? Payload.text(size) : Payload.binary(size));
        }
        if (text) {
            payloads.add(Payload.text(UTF8));
        }
        return payloads;
    }

    private String handshake() throws Exception {
        try (SockwaveServer server = new SockwaveServer(SockwaveServer.Setup.plain());
             Link link = peer.connect(server.uri(), PeerClient.Setup.plain())) {
            assertNull(link.subprotocol(), "no subprotocol was offered");
            echo(link, Payload.text("hello"));
            assertNull(server.opened().get(10, TimeUnit.SECONDS).subprotocol());
        }
        return null;
    }

    private String subprotocol() throws Exception {
        SockwaveServer.Setup setup = new SockwaveServer.Setup(List.of("chat.v2", "chat.v1"), null, null);
        try (SockwaveServer server = new SockwaveServer(setup);
             Link link = peer.connect(server.uri(), new PeerClient.Setup(List.of("x.unknown", "chat.v1"),
                     DeflateOffer.NONE, null))) {
            assertEquals("chat.v1", link.subprotocol());
            assertEquals("chat.v1", server.opened().get(10, TimeUnit.SECONDS).subprotocol());
            echo(link, Payload.text("hello"));
        }
        return null;
    }

    private String echoAll(List<Payload> payloads, SockwaveServer.Setup serverSetup, PeerClient.Setup clientSetup)
            throws Exception {
        try (SockwaveServer server = new SockwaveServer(serverSetup);
             Link link = peer.connect(server.uri(), clientSetup)) {
            for (Payload payload : payloads) {
                echo(link, payload);
            }
            return null;
        }
    }

    private String fragmentsToPeer() throws Exception {
        try (SockwaveServer server = new SockwaveServer(SockwaveServer.Setup.plain());
             Link link = peer.connect(server.uri(), PeerClient.Setup.plain())) {
            link.send(Payload.text("!fragments"));
            expect(link, Received.Message.of(Commands.FRAGMENTED_TEXT));
            expect(link, Received.Message.of(false, Commands.FRAGMENTED_BINARY));
        }
        return null;
    }

    private String fragmentsFromPeer() throws Exception {
        try (SockwaveServer server = new SockwaveServer(SockwaveServer.Setup.plain());
             Link link = peer.connect(server.uri(), PeerClient.Setup.plain())) {
            String note;
            try {
                link.sendUtf8Fragments(Commands.utf8Pieces());
                note = "U+1F600's UTF-8 split";
            } catch (UnsupportedOperationException charsOnly) {
                String recut = link.sendTextFragments(Commands.textPieces());
                note = recut != null ? recut : "cut inside a surrogate pair";
            }
            expect(link, Received.Message.of(Commands.FRAGMENTED_TEXT));
            link.sendBinaryFragments(Commands.binaryPieces());
            expect(link, Received.Message.of(false, Commands.FRAGMENTED_BINARY));
            return note;
        }
    }

    private String pingPong() throws Exception {
        try (SockwaveServer server = new SockwaveServer(SockwaveServer.Setup.plain());
             Link link = peer.connect(server.uri(), PeerClient.Setup.plain())) {
            String note = null;
            try {
                link.ping("from-peer");
                expect(link, new Received.Pong("from-peer"));
            } catch (UnsupportedOperationException cannot) {
                note = "Sockwave's ping answered; " + cannot.getMessage();
            }
            link.send(Payload.text("!ping from-sockwave"));
            expect(link, Received.Message.of("!pong from-sockwave"));
            return note;
        }
    }

    private String closeBySockwave() throws Exception {
        try (SockwaveServer server = new SockwaveServer(SockwaveServer.Setup.plain());
             Link link = peer.connect(server.uri(), PeerClient.Setup.plain())) {
            link.send(Payload.text("!close 4001 bye ✓"));
            expect(link, new Received.Closed(4001, "bye ✓"));
            assertEquals(4001, server.closed().get(10, TimeUnit.SECONDS).code(), "the peer echoes the code");
        }
        return null;
    }

    private String closeByPeer() throws Exception {
        try (SockwaveServer server = new SockwaveServer(SockwaveServer.Setup.plain());
             Link link = peer.connect(server.uri(), PeerClient.Setup.plain())) {
            echo(link, Payload.text("before close"));
            link.close(4002, "later ✓");
            assertEquals(new Received.Closed(4002, "later ✓"), server.closed().get(10, TimeUnit.SECONDS));
            Received end = link.next(PATIENCE);
            assertTrue(end instanceof Received.Closed, "the close handshake ends on the peer: " + end);
        }
        return null;
    }

    private String deflate(DeflateOffer offer, PerMessageDeflate deflate) throws Exception {
        String cannot = peer.noDeflateReason();
        if (cannot != null) {
            throw new UnsupportedOperationException(cannot);
        }
        SockwaveServer.Setup serverSetup = new SockwaveServer.Setup(List.of(), deflate, null);
        try (SockwaveServer server = new SockwaveServer(serverSetup);
             Link link = peer.connect(server.uri(), new PeerClient.Setup(List.of(), offer, null))) {
            String agreed = link.extensions();
            assertTrue(agreed.startsWith("permessage-deflate"), "negotiated: " + agreed);
            assertEquals(agreed, server.opened().get(10, TimeUnit.SECONDS).extensions().get(0).toHeaderValue());
            if (offer == DeflateOffer.NO_CONTEXT_TAKEOVER) {
                assertTrue(agreed.contains("server_no_context_takeover")
                        && agreed.contains("client_no_context_takeover"), agreed);
            }
            for (Payload payload : List.of(Payload.text("{\"type\":\"message\",\"text\":\"compress me\"}"),
                    Payload.text("{\"type\":\"message\",\"text\":\"compress me\"}"), Payload.text(70_000),
                    Payload.binary(70_000), Payload.text(UTF8), Payload.text(0))) {
                echo(link, payload);
            }
            link.send(Payload.text("!fragments"));
            expect(link, Received.Message.of(Commands.FRAGMENTED_TEXT));
            expect(link, Received.Message.of(false, Commands.FRAGMENTED_BINARY));
            return agreed.substring("permessage-deflate".length()).replaceFirst("^;\\s*", "");
        }
    }

    private String tls() throws Exception {
        TestCertificates certificates = TestCertificates.get();
        SockwaveServer.Setup setup = new SockwaveServer.Setup(List.of(), null, certificates.server());
        try (SockwaveServer server = new SockwaveServer(setup);
             Link link = peer.connect(server.uri(), new PeerClient.Setup(List.of(), DeflateOffer.NONE,
                     certificates))) {
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
        Received got = link.next(PATIENCE);
        assertEquals(expected, got);
    }
}
