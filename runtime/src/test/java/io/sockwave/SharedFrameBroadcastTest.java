package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.testsupport.TestCertificates;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * A broadcast queues each prepared message's one frame on every session (RFC 6455 §5.2 framing, written once).
 * Sessions whose reader stalls write it in pieces while fast ones write it whole, over plain TCP and TLS: every
 * session must still receive every frame whole, byte for byte, and in order.
 */
class SharedFrameBroadcastTest {
    private static final int STALLED = 3;
    private static final int FAST = 2;

    private final TestCertificates certificates = TestCertificates.loopback();

    @Test
    void stalledAndFastReadersEachGetEveryFrameWholeInPlainText() throws Exception {
        broadcastsArriveWhole(null);
    }

    @Test
    void stalledAndFastReadersEachGetEveryFrameWholeOverTls() throws Exception {
        broadcastsArriveWhole(certificates.client());
    }

    private void broadcastsArriveWhole(SSLContext clientTls) throws Exception {
        Set<Session> room = new CopyOnWriteArraySet<>();
        Random random = new Random(6455);
        List<PreparedMessage> messages = List.of(
                PreparedMessage.binary(ByteBuffer.wrap(randomBytes(random, 3 << 20))),
                PreparedMessage.text("between"),
                PreparedMessage.binary(ByteBuffer.wrap(randomBytes(random, 1_500_000))),
                PreparedMessage.text("t".repeat(200_000)));
        long total = messages.stream().mapToLong(m -> m.size() + 14).sum();
        Server.Builder builder = Server.builder().host("127.0.0.1").eventLoops(1)
                .outboundBuffer(64 << 10, 1 << 20, 2 * total)
                .route("/room", new Listener() {
                    @Override
                    public void onOpen(Session session) {
                        room.add(session);
                    }
                });
        if (clientTls != null) {
            builder.tls(certificates.server());
        }
        ExecutorService readers = Executors.newFixedThreadPool(STALLED + FAST);
        try (Server server = builder.build().start()) {
            List<RawSocket> stalled = new ArrayList<>();
            List<RawSocket> fast = new ArrayList<>();
            for (int i = 0; i < STALLED; i++) {
                stalled.add(RawSocket.connect(server.port(), clientTls, true).open("/room"));
            }
            for (int i = 0; i < FAST; i++) {
                fast.add(RawSocket.connect(server.port(), clientTls, false).open("/room"));
            }
            for (int i = 0; i < 500 && room.size() < STALLED + FAST; i++) {
                Thread.sleep(10);
            }
            assertEquals(STALLED + FAST, room.size());

            List<Future<List<RawSocket.Frame>>> fastFrames = new ArrayList<>();
            for (RawSocket socket : fast) {
                fastFrames.add(readers.submit(() -> readFrames(socket, messages.size())));
            }
            for (PreparedMessage message : messages) {
                assertEquals(STALLED + FAST, Server.broadcast(room, message).queued());
            }
            for (Future<List<RawSocket.Frame>> frames : fastFrames) {
                assertFramesMatch(messages, frames.get(20, TimeUnit.SECONDS));
            }
            long stuck = room.stream().filter(s -> s.queuedBytes() > 0).count();
            assertEquals(STALLED, stuck, "the stalled readers' sessions hold frames cut by partial writes");

            List<Future<List<RawSocket.Frame>>> stalledFrames = new ArrayList<>();
            for (RawSocket socket : stalled) {
                stalledFrames.add(readers.submit(() -> readFrames(socket, messages.size())));
            }
            for (Future<List<RawSocket.Frame>> frames : stalledFrames) {
                assertFramesMatch(messages, frames.get(20, TimeUnit.SECONDS));
            }
            for (RawSocket socket : stalled) {
                socket.close();
            }
            for (RawSocket socket : fast) {
                socket.close();
            }
        } finally {
            readers.shutdownNow();
        }
    }

    private static List<RawSocket.Frame> readFrames(RawSocket socket, int count) throws Exception {
        List<RawSocket.Frame> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            frames.add(socket.readFrame());
        }
        return frames;
    }

    private static void assertFramesMatch(List<PreparedMessage> messages, List<RawSocket.Frame> frames) {
        for (int i = 0; i < messages.size(); i++) {
            PreparedMessage message = messages.get(i);
            RawSocket.Frame frame = frames.get(i);
            assertEquals(message.isText() ? 0x81 : 0x82, frame.b0(), "frame " + i + ": FIN and opcode");
            byte[] expected = new byte[message.size()];
            message.payload().get(expected);
            assertArrayEquals(expected, frame.payload(), "frame " + i + "'s payload, byte for byte");
        }
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
