package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.extension.PerMessageDeflate;
import io.sockwave.testsupport.TestCertificates;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * Every path a broadcast takes to a session: off the loop and on it, mixed with other sends (in order), to client and
 * permessage-deflate sessions (each encodes its own frame), to stalled readers (whose backlog is uncounted when
 * dropped, closed with 1008 under the CLOSE policy, or timed out), amid pings, and from many threads to many loops,
 * over plain TCP and TLS.
 */
class BroadcastPathsTest {
    private final TestCertificates certificates = TestCertificates.loopback();

    @Test
    void offLoopThreadMixingSendTextAndBroadcastKeepsOrder() throws Exception {
        Recorder server = new Recorder();
        try (Server s = Server.builder().host("127.0.0.1").eventLoops(1).route("/", server).build().start();
             RawSocket socket = RawSocket.connect(s.port()).open("/")) {
            Session session = server.opened.get(10, TimeUnit.SECONDS);
            int n = 300;
            Thread sender = new Thread(() -> {
                for (int i = 0; i < n; i++) {
                    session.sendText("s" + i);
                    Server.broadcast(List.of(session), PreparedMessage.text("b" + i));
                }
            });
            sender.start();
            for (int i = 0; i < n; i++) {
                assertEquals("s" + i, socket.readFrame().text());
                assertEquals("b" + i, socket.readFrame().text());
            }
            sender.join(10_000);
        }
    }

    @Test
    void aClientSessionPassedToBroadcastSendsAMaskedFrame() throws Exception {
        Recorder server = new Recorder();
        Recorder clientEvents = new Recorder();
        byte[] big = new byte[300_000];
        new Random(1).nextBytes(big);
        try (Server s = Server.builder().host("127.0.0.1").eventLoops(1).route("/", server).build().start();
             Client client = Client.create()) {
            Session c = client.connect(URI.create("ws://127.0.0.1:" + s.port() + "/"), clientEvents)
                    .get(10, TimeUnit.SECONDS);
            assertEquals(1, Server.broadcast(List.of(c), "hello").queued());
            assertEquals(1, Server.broadcast(List.of(c), PreparedMessage.binary(ByteBuffer.wrap(big))).queued());
            assertEquals("open", server.events.poll(10, TimeUnit.SECONDS));
            assertEquals("text:hello", server.events.poll(10, TimeUnit.SECONDS));
            assertEquals("binary:" + big.length, server.events.poll(10, TimeUnit.SECONDS));
            for (int i = 0; i < 1000 && c.queuedBytes() != 0; i++) {
                Thread.sleep(10);
            }
            assertEquals(0, c.queuedBytes());
        }
    }

    @Test
    void aDeflateSessionGetsTheBroadcast() throws Exception {
        Recorder server = new Recorder();
        Recorder clientEvents = new Recorder();
        try (Server s = Server.builder().host("127.0.0.1").eventLoops(1).extensions(PerMessageDeflate.defaults())
                .route("/", server).build().start();
             Client client = Client.create()) {
            ClientOptions options = ClientOptions.builder().extensions(PerMessageDeflate.defaults()).build();
            client.connect(URI.create("ws://127.0.0.1:" + s.port() + "/"), options, clientEvents)
                    .get(10, TimeUnit.SECONDS);
            Session session = server.opened.get(10, TimeUnit.SECONDS);
            String text = "x".repeat(100_000);
            assertEquals(1, Server.broadcast(List.of(session), text).queued());
            assertEquals("open", clientEvents.events.poll(10, TimeUnit.SECONDS));
            assertEquals("text:" + text, clientEvents.events.poll(10, TimeUnit.SECONDS));
            for (int i = 0; i < 1000 && session.queuedBytes() != 0; i++) {
                Thread.sleep(10);
            }
            assertEquals(0, session.queuedBytes());
        }
    }

    /**
     * One broadcast to a deflate session, a plain one and a closed one: the count says two queued and one skipped,
     * and that is what happened. The plain session gets the shared frame byte for byte, with RSV1 clear (RFC 7692
     * §6: only a session that negotiated the extension may see it set), the deflate one the same text.
     */
    @Test
    void oneBroadcastToDeflatePlainAndClosedSessionsCountsWhatHappened() throws Exception {
        Recorder plainSide = new Recorder();
        Recorder closedSide = new Recorder();
        Recorder deflateSide = new Recorder();
        Recorder deflating = new Recorder();
        try (Server s = Server.builder().host("127.0.0.1").eventLoops(1).extensions(PerMessageDeflate.defaults())
                .route("/plain", plainSide).route("/closed", closedSide).route("/deflate", deflateSide)
                .build().start();
             Client client = Client.create();
             RawSocket plain = RawSocket.connect(s.port()).open("/plain");
             RawSocket closing = RawSocket.connect(s.port()).open("/closed")) {
            ClientOptions options = ClientOptions.builder().extensions(PerMessageDeflate.defaults()).build();
            client.connect(URI.create("ws://127.0.0.1:" + s.port() + "/deflate"), options, deflating)
                    .get(10, TimeUnit.SECONDS);
            assertEquals("open", deflating.events.poll(10, TimeUnit.SECONDS));
            Session deflateSession = deflateSide.session();
            assertEquals(1, deflateSession.extensions().size());
            Session closedSession = closedSide.session();
            closedSession.close(1000, "").get(10, TimeUnit.SECONDS);
            String text = "news ".repeat(200);

            BroadcastResult result = Server.broadcast(List.of(plainSide.session(), closedSession, deflateSession),
                    PreparedMessage.text(text));

            assertEquals(2, result.queued());
            assertEquals(1, result.skipped().size());
            assertEquals(closedSession, result.skipped().get(0).session());
            assertEquals(BroadcastResult.Reason.CLOSED, result.skipped().get(0).reason());
            RawSocket.Frame frame = plain.readFrame();
            assertEquals(0x81, frame.b0(), "FIN and text, RSV1 clear");
            assertEquals(text, frame.text());
            assertEquals("text:" + text, deflating.events.poll(10, TimeUnit.SECONDS));
            assertEquals(1000, closing.readFrame().closeCode());
        }
    }

    @Test
    void queuedBytesReturnToZeroAfterAStalledBroadcastIsDroppedPlain() throws Exception {
        droppedBacklogIsUncounted(null);
    }

    @Test
    void queuedBytesReturnToZeroAfterAStalledBroadcastIsDroppedTls() throws Exception {
        droppedBacklogIsUncounted(certificates.client());
    }

    private void droppedBacklogIsUncounted(SSLContext tls) throws Exception {
        Recorder server = new Recorder();
        Server.Builder builder = Server.builder().host("127.0.0.1").eventLoops(1).route("/", server)
                .outboundBuffer(64 << 10, 1 << 20, 64 << 20);
        if (tls != null) {
            builder.tls(certificates.server());
        }
        try (Server s = builder.build().start()) {
            RawSocket socket = RawSocket.connect(s.port(), tls, true).open("/");
            Session session = server.opened.get(10, TimeUnit.SECONDS);
            PreparedMessage message = PreparedMessage.binary(ByteBuffer.allocate(300_000));
            for (int i = 0; i < 20; i++) {
                assertEquals(1, Server.broadcast(List.of(session), message).queued());
            }
            Thread.sleep(300);
            assertTrue(session.queuedBytes() > 0);
            socket.close();
            server.closed.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 1000 && s.stats().queuedBytes() != 0; i++) {
                Thread.sleep(10);
            }
            assertEquals(0, s.stats().queuedBytes(), "loop's queued count");
            assertEquals(0, session.queuedBytes(), "session's queued count");
        }
    }

    @Test
    void theClosePolicyClosesAStalledBroadcastReceiverWith1008() throws Exception {
        Recorder server = new Recorder();
        try (Server s = Server.builder().host("127.0.0.1").eventLoops(1).route("/", server)
                .outboundBuffer(16 << 10, 64 << 10, 256 << 10).outboundLimitPolicy(OutboundLimitPolicy.CLOSE)
                .build().start();
             RawSocket socket = RawSocket.connectStalling(s.port()).open("/")) {
            Session session = server.opened.get(10, TimeUnit.SECONDS);
            PreparedMessage message = PreparedMessage.binary(ByteBuffer.allocate(50_000));
            BroadcastResult.Reason reason = null;
            for (int i = 0; i < 2000 && reason == null; i++) {
                BroadcastResult r = Server.broadcast(List.of(session), message);
                if (!r.skipped().isEmpty()) {
                    reason = r.skipped().get(0).reason();
                }
            }
            assertEquals(BroadcastResult.Reason.OUTBOUND_LIMIT, reason);
            int close = -1;
            for (int i = 0; i < 5000; i++) {
                RawSocket.Frame f = socket.readFrame();
                if (f.b0() == 0x88) {
                    close = f.closeCode();
                    break;
                }
                assertEquals(50_000, f.payload().length);
            }
            assertEquals(1008, close);
        }
    }

    @Test
    void aStalledBroadcastReceiverTimesOut() throws Exception {
        Recorder server = new Recorder();
        try (Server s = Server.builder().host("127.0.0.1").eventLoops(1).route("/", server)
                .sendTimeout(Duration.ofMillis(300)).build().start();
             RawSocket socket = RawSocket.connectStalling(s.port()).open("/")) {
            Session session = server.opened.get(10, TimeUnit.SECONDS);
            Server.broadcast(List.of(session), PreparedMessage.binary(ByteBuffer.allocate(8 << 20)));
            String closed = server.closed.get(10, TimeUnit.SECONDS);
            assertTrue(closed.startsWith("close:1006"), closed);
        }
    }

    @Test
    void pingsAnsweredAmidPartlyWrittenSharedFramesPlain() throws Exception {
        pingsAmid(null);
    }

    @Test
    void pingsAnsweredAmidPartlyWrittenSharedFramesTls() throws Exception {
        pingsAmid(certificates.client());
    }

    private void pingsAmid(SSLContext tls) throws Exception {
        Recorder server = new Recorder();
        Server.Builder builder = Server.builder().host("127.0.0.1").eventLoops(1).route("/", server)
                .outboundBuffer(64 << 10, 1 << 20, 256 << 20);
        if (tls != null) {
            builder.tls(certificates.server());
        }
        byte[] payload = new byte[200_000];
        new Random(7).nextBytes(payload);
        PreparedMessage message = PreparedMessage.binary(ByteBuffer.wrap(payload));
        try (Server s = builder.build().start()) {
            RawSocket socket = RawSocket.connect(s.port(), tls, true).open("/");
            Session session = server.opened.get(10, TimeUnit.SECONDS);
            int n = 20;
            for (int i = 0; i < n; i++) {
                Server.broadcast(List.of(session), message);
            }
            int pings = 10;
            for (int i = 0; i < pings; i++) {
                socket.write(RawSocket.masked(0x89, "p" + i));
            }
            int data = 0;
            int pongs = 0;
            while (data < n || pongs < pings) {
                RawSocket.Frame f = socket.readFrame();
                if (f.b0() == 0x8A) {
                    pongs++;
                } else {
                    assertEquals(0x82, f.b0());
                    assertArrayEquals(payload, f.payload(), "frame " + data);
                    data++;
                }
            }
            for (int i = 0; i < 1000 && session.queuedBytes() != 0; i++) {
                Thread.sleep(10);
            }
            assertEquals(0, session.queuedBytes());
            assertEquals(0, s.stats().queuedBytes());
            socket.close();
        }
    }


    @Test
    void manyLoopsManyThreadsEveryFrameWholePlain() throws Exception {
        manyLoops(null);
    }

    @Test
    void manyLoopsManyThreadsEveryFrameWholeTls() throws Exception {
        manyLoops(certificates.client());
    }

    private void manyLoops(SSLContext tls) throws Exception {
        java.util.Set<Session> room = new java.util.concurrent.CopyOnWriteArraySet<>();
        Listener join = new Listener() {
            @Override
            public void onOpen(Session session) {
                room.add(session);
            }
        };
        int sessions = 8;
        int threads = 4;
        int perThread = 30;
        java.util.Map<Integer, byte[]> payloads = new java.util.concurrent.ConcurrentHashMap<>();
        List<PreparedMessage> messages = new java.util.ArrayList<>();
        Random random = new Random(99);
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                byte[] p = new byte[1000 + random.nextInt(150_000)];
                random.nextBytes(p);
                p[0] = (byte) t;
                p[1] = (byte) i;
                payloads.put(t * 1000 + i, p);
                messages.add(PreparedMessage.binary(ByteBuffer.wrap(p)));
            }
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(sessions + threads);
        Server.Builder builder = Server.builder().host("127.0.0.1").eventLoops(4).route("/", join)
                .outboundBuffer(64 << 10, 1 << 20, 1L << 30);
        if (tls != null) {
            builder.tls(certificates.server());
        }
        try (Server s = builder.build().start()) {
            List<RawSocket> sockets = new java.util.ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                sockets.add(RawSocket.connect(s.port(), tls, i % 2 == 0).open("/"));
            }
            for (int i = 0; i < 1000 && room.size() < sessions; i++) {
                Thread.sleep(10);
            }
            assertEquals(sessions, room.size());
            List<java.util.concurrent.Future<?>> readers = new java.util.ArrayList<>();
            for (RawSocket socket : sockets) {
                readers.add(pool.submit(() -> {
                    int[] next = new int[threads];
                    for (int k = 0; k < threads * perThread; k++) {
                        RawSocket.Frame f = socket.readFrame();
                        int t = f.payload()[0];
                        int i = f.payload()[1];
                        assertEquals(next[t]++, i, "order within a sender thread");
                        assertArrayEquals(payloads.get(t * 1000 + i), f.payload());
                        if (k % 7 == 0) {
                            Thread.sleep(1);
                        }
                    }
                    return null;
                }));
            }
            List<java.util.concurrent.Future<?>> senders = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int tt = t;
                senders.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        assertEquals(sessions, Server.broadcast(room, messages.get(tt * perThread + i)).queued());
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : senders) {
                f.get(30, TimeUnit.SECONDS);
            }
            for (java.util.concurrent.Future<?> f : readers) {
                f.get(60, TimeUnit.SECONDS);
            }
            for (RawSocket socket : sockets) {
                socket.close();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
