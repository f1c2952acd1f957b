package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.extension.PerMessageDeflate;
import io.sockwave.testsupport.FinalBlockDeflater;
import io.sockwave.testsupport.FinalBlockDeflater.Ending;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * RFC 7692 §7.2.3.4 through real sockets, in both roles: a hand-made peer whose DEFLATE streams end with BFINAL
 * blocks, mid-message and at its end, each next stream primed so that it refers back across the end (§7.2.2), gets
 * every message echoed byte for byte by a Sockwave server and by a Sockwave client. Every window size (§7.1.2), with
 * and without context takeover, each message in up to four fragments written in pieces of random sizes.
 *
 * <p>Sockwave keeps only the message's last 16 KiB of output before a connection's first BFINAL block, and the
 * history an end copies is paid for by the compressed bytes before it, so the scripts end a stream within the first
 * 16 KiB of the first message (and, without context takeover, of every message), and two ends are 512 bytes apart
 * or more; what a reference beyond that gets is pinned by {@link #aReferenceBeforeTheFirstFinalBlockFailsWith1007}.
 */
class FinalBlockEndToEndTest {
    private static final int FIRST_END_WITHIN = 16 * 1024;
    private static final int GAP = 512;
    private static final int MESSAGES = 4;

    @Test
    void aServerDecodesStreamsEndingAnywhere() throws Exception {
        Random random = new Random(7692);
        try (Server server = deflateServer()) {
            for (int bits = 8; bits <= 15; bits++) {
                for (boolean takeover : new boolean[] {true, false}) {
                    String offer = "permessage-deflate; client_max_window_bits=" + bits
                            + (takeover ? "" : "; client_no_context_takeover");
                    try (WirePeer peer = connect(server, offer, random)) {
                        echoes(peer, bits, takeover, random);
                    }
                }
            }
        }
    }

    @Test
    void aClientDecodesStreamsEndingAnywhere() throws Exception {
        Random random = new Random(7692);
        try (Client client = Client.create(1); HandMadeServer server = new HandMadeServer()) {
            for (int bits = 8; bits <= 15; bits++) {
                for (boolean takeover : new boolean[] {true, false}) {
                    PerMessageDeflate deflate = PerMessageDeflate.builder().serverMaxWindowBits(bits)
                            .serverNoContextTakeover(!takeover).build();
                    CompletableFuture<Session> session = client.connect(server.uri("/"),
                            ClientOptions.builder().extensions(deflate).build(), new EchoListener());
                    HandMadeServer.Accepted accepted = server.accept();
                    String response = "permessage-deflate" + (bits < 15 ? "; server_max_window_bits=" + bits : "")
                            + (takeover ? "" : "; server_no_context_takeover");
                    accepted.raw().write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                            + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + RawSocket.acceptFor(accepted.request())
                            + "\r\nSec-WebSocket-Extensions: " + response + "\r\n\r\n");
                    session.get(10, TimeUnit.SECONDS);
                    try (WirePeer peer = new WirePeer(accepted.raw().socket, false, true, random)) {
                        echoes(peer, bits, takeover, random);
                    }
                }
            }
        }
    }

    /**
     * The first BFINAL block of a connection comes after a message that ended with a sync flush, and the next
     * stream refers back into that message, whose output Sockwave no longer has: the connection fails with 1007
     * (RFC 6455 §7.4.1), and no wrong message is delivered.
     */
    @Test
    void aReferenceBeforeTheFirstFinalBlockFailsWith1007() throws Exception {
        Random random = new Random(1007);
        byte[] text = "a message that the next one repeats word for word".getBytes(StandardCharsets.US_ASCII);
        try (Server server = deflateServer();
             WirePeer peer = connect(server, "permessage-deflate", random);
             FinalBlockDeflater sender = new FinalBlockDeflater(15, true)) {
            WirePeer.Received received = new WirePeer.Received();
            peer.write(peer.frame(0xC2, sender.compress(text, new int[0], Ending.SYNC_FLUSH)));
            peer.readInto(received, 1);
            assertArrayEquals(text, received.messages.get(0).payload());
            peer.write(peer.frame(0xC2, sender.compress(text, new int[] {0}, Ending.SYNC_FLUSH)));
            peer.readInto(received, -1);
            assertEquals(1007, received.closeCode, "the close code");
            assertEquals(1, received.messages.size(), "no message after the first");
        }
    }

    private static Server deflateServer() throws Exception {
        return Server.builder().host("127.0.0.1").eventLoops(1).extensions(PerMessageDeflate.defaults())
                .route("/", new EchoListener()).build().start();
    }

    /** A hand-made client whose upgrade offered {@code offer}, which the server accepted. */
    private static WirePeer connect(Server server, String offer, Random random) throws Exception {
        RawSocket raw = RawSocket.connect(server.port());
        try {
            raw.write(RawSocket.upgrade("/", "Sec-WebSocket-Extensions: " + offer + "\r\n"));
            String head = raw.readHead();
            assertTrue(head.startsWith("HTTP/1.1 101 ") && head.contains("permessage-deflate"), head);
            return new WirePeer(raw.socket, true, true, random);
        } catch (Exception | AssertionError e) {
            raw.close();
            throw e;
        }
    }

    /** Sends the messages one at a time, each echo checked before the next, then closes with 1000. */
    private static void echoes(WirePeer peer, int bits, boolean takeover, Random random) throws Exception {
        WirePeer.Received received = new WirePeer.Received();
        try (FinalBlockDeflater sender = new FinalBlockDeflater(bits, takeover)) {
            for (int m = 0; m < MESSAGES; m++) {
                byte[] message = compressible(random, random.nextInt(m == 0 ? FIRST_END_WITHIN : 40 * 1024));
                int[] ends = FinalBlockDeflater.randomStreamEnds(random, message.length, FIRST_END_WITHIN, GAP);
                Ending ending = Ending.values()[random.nextInt(Ending.values().length)];
                if (m == 0 && ends.length == 0 && ending == Ending.SYNC_FLUSH) {
                    ending = Ending.FINAL_BLOCK;
                }
                peer.writeChunked(fragments(peer, sender.compress(message, ends, ending), random), random, 1500);
                peer.readInto(received, 1);
                assertArrayEquals(message, received.messages.get(m).payload(),
                        "message " + m + " with window bits " + bits + (takeover ? "" : ", no context takeover"));
            }
        }
        peer.write(peer.frame(0x88, RawSocket.closePayload(1000, "")));
        peer.readInto(received, -1);
        assertEquals(1000, received.closeCode, "the close reply");
    }

    /** Text-like bytes from a small alphabet, in runs that repeat earlier ones: many back-references. */
    private static byte[] compressible(Random random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = i > 300 && random.nextInt(4) > 0 ? bytes[i - 1 - random.nextInt(300)]
                    : (byte) ('a' + random.nextInt(12));
        }
        return bytes;
    }

    /** A binary message in up to four frames, RSV1 on the first only (RFC 7692 §6.1). */
    private static byte[] fragments(WirePeer peer, byte[] payload, Random random) {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        int pieces = 1 + random.nextInt(4);
        int at = 0;
        for (int i = 0; i < pieces; i++) {
            int end = i == pieces - 1 ? payload.length : at + random.nextInt(payload.length - at + 1);
            int b0 = (i == pieces - 1 ? 0x80 : 0) | (i == 0 ? 0x42 : 0);
            frames.writeBytes(peer.frame(b0, java.util.Arrays.copyOfRange(payload, at, end)));
            at = end;
        }
        return frames.toByteArray();
    }
}
