package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.protocol.Limits;
import io.sockwave.protocol.extension.PerMessageDeflate;
import io.sockwave.testsupport.TestCertificates;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** RFC 7692 end to end: every parameter on either side, Sockwave to Sockwave, plain and TLS. */
class DeflateParameterMatrixTest {
    private static final List<UnaryOperator<PerMessageDeflate.Builder>> CONFIGS = List.of(
            b -> b,
            b -> b.serverNoContextTakeover(true),
            b -> b.clientNoContextTakeover(true),
            b -> b.serverMaxWindowBits(8),
            b -> b.clientMaxWindowBits(8),
            b -> b.serverMaxWindowBits(9).clientMaxWindowBits(10),
            b -> b.serverNoContextTakeover(true).clientNoContextTakeover(true).serverMaxWindowBits(12)
                    .clientMaxWindowBits(9).threshold(0));

    private static List<byte[]> messages() {
        Random random = new Random(7);
        List<byte[]> list = new ArrayList<>();
        list.add(new byte[0]);
        list.add(new byte[] {1});
        for (int size : new int[] {127, 128, 255, 256, 257, 511, 512, 4096, 40_000, 70_000, 300_000}) {
            byte[] compressible = new byte[size];
            for (int i = 0; i < size; i++) {
                compressible[i] = (byte) ("abcdefgh".charAt((i / 7) % 8) + (i % 1000 == 0 ? 1 : 0));
            }
            list.add(compressible);
            byte[] noise = new byte[size];
            random.nextBytes(noise);
            list.add(noise);
            // Repeats at a distance longer than a small window, shorter than 32 KiB.
            byte[] farRepeat = new byte[size];
            byte[] block = new byte[700];
            random.nextBytes(block);
            for (int i = 0; i < size; i++) {
                farRepeat[i] = block[i % block.length];
            }
            list.add(farRepeat);
        }
        return list;
    }

    @Test
    void everyParameterCombinationEchoes() throws Exception {
        TestCertificates certificates = TestCertificates.loopback();
        List<byte[]> messages = messages();
        List<String> failures = new ArrayList<>();
        for (boolean tls : new boolean[] {false, true}) {
            for (int s = 0; s < CONFIGS.size(); s++) {
                Server.Builder sb = Server.builder().host("127.0.0.1").eventLoops(1)
                        .extensions(CONFIGS.get(s).apply(PerMessageDeflate.builder()).build())
                        .route("/echo", new EchoListener());
                if (tls) {
                    sb.tls(certificates.server());
                }
                try (Server server = sb.build().start(); Client client = Client.create()) {
                    for (int c = 0; c < CONFIGS.size(); c++) {
                        String label = (tls ? "wss" : "ws") + " server#" + s + " client#" + c;
                        try {
                            exercise(client, server, tls, certificates, CONFIGS.get(c), messages);
                        } catch (Throwable e) {
                            failures.add(label + ": " + e);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    private static void exercise(Client client, Server server, boolean tls, TestCertificates certificates,
            UnaryOperator<PerMessageDeflate.Builder> config, List<byte[]> messages) throws Exception {
        ClientOptions.Builder ob = ClientOptions.builder()
                .extensions(config.apply(PerMessageDeflate.builder()).build());
        if (tls) {
            ob.sslContext(certificates.client());
        }
        Recorder recorder = new Recorder();
        URI uri = URI.create((tls ? "wss" : "ws") + "://127.0.0.1:" + server.port() + "/echo");
        Session session = client.connect(uri, ob.build(), recorder).get(10, TimeUnit.SECONDS);
        recorder.expect("open");
        assertEquals("permessage-deflate", session.extensions().get(0).name());
        for (byte[] m : messages) {
            session.sendBinary(ByteBuffer.wrap(m));
        }
        // Fragmented, with pings between fragments (RFC 6455 §5.4), uneven fragment sizes.
        for (byte[] m : messages) {
            int at = 0;
            int piece = 1;
            while (true) {
                int n = Math.min(piece, m.length - at);
                boolean last = at + n == m.length;
                session.sendBinary(ByteBuffer.wrap(m, at, n), last);
                at += n;
                if (last) {
                    break;
                }
                if (piece % 3 == 0) {
                    session.ping(ByteBuffer.wrap(new byte[] {(byte) piece}));
                }
                piece = piece * 5 + 3;
            }
        }
        for (int round = 0; round < 2; round++) {
            for (byte[] m : messages) {
                String event;
                do {
                    event = recorder.next();
                } while (event.startsWith("pong"));
                assertEquals("binary:" + m.length, event, "round " + round);
            }
        }
        session.close();
        assertEquals("close:1000:", recorder.awaitClose());
    }

    /** RFC 7692 §8 / RFC 6455 §10.4: a compressed message inflating to exactly the limit is delivered. */
    @Test
    void compressedMessageExactlyAtTheLimitEndToEnd() throws Exception {
        int limit = 200_000;
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1)
                .limits(Limits.DEFAULTS.withMaxMessageSize(limit))
                .extensions(PerMessageDeflate.defaults()).route("/echo", new EchoListener()).build().start();
             Client client = Client.create()) {
            Recorder recorder = new Recorder();
            Session session = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"),
                    ClientOptions.builder().extensions(PerMessageDeflate.defaults()).build(), recorder)
                    .get(10, TimeUnit.SECONDS);
            recorder.expect("open");
            session.sendBinary(ByteBuffer.wrap(new byte[limit]));
            recorder.expect("binary:" + limit);
            session.sendBinary(ByteBuffer.wrap(new byte[limit]), false);
            session.sendBinary(ByteBuffer.wrap(new byte[0]), true);
            recorder.expect("binary:" + limit);
            session.sendBinary(ByteBuffer.wrap(new byte[limit + 1]));
            assertEquals("close:1009:", recorder.awaitClose().replaceAll(":[^:]*$", ":"));
        }
    }

    /**
     * RFC 7692 §8 / RFC 6455 §10.4, through real sockets: a message of random bytes (deflate makes it larger, and
     * under 32 KiB it is still sent compressed) of exactly the server's message limit, which also bounds its frames,
     * is delivered; one byte more is refused with 1009.
     */
    @Test
    void incompressibleMessageExactlyAtTheLimitEndToEnd() throws Exception {
        int limit = 10_000;
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1)
                .limits(Limits.DEFAULTS.withMaxMessageSize(limit))
                .extensions(PerMessageDeflate.defaults()).route("/echo", new EchoListener()).build().start();
             Client client = Client.create()) {
            Recorder recorder = new Recorder();
            Session session = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"),
                    ClientOptions.builder().extensions(PerMessageDeflate.defaults()).build(), recorder)
                    .get(10, TimeUnit.SECONDS);
            recorder.expect("open");
            byte[] random = new byte[limit + 1];
            new Random(16).nextBytes(random);
            session.sendBinary(ByteBuffer.wrap(random, 0, limit));
            recorder.expect("binary:" + limit);
            session.sendBinary(ByteBuffer.wrap(random));
            assertEquals("close:1009:", recorder.awaitClose().replaceAll(":[^:]*$", ":"));
        }
    }
}
