package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sockwave.protocol.extension.PerMessageDeflate;
import io.sockwave.testsupport.TestCertificates;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TlsChoppedRecordsTest {
    private final TestCertificates certificates = TestCertificates.loopback();

    @Test
    void everyProtocolWithRecordsCutEverywhereAndDeflate() throws Exception {
        for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
            try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).tls(certificates.server())
                    .extensions(PerMessageDeflate.defaults())
                    .route("/echo", new EchoListener()).build().start();
                 Client client = Client.create();
                 ChoppingProxy proxy = new ChoppingProxy(server.port())) {
                Recorder recorder = new Recorder();
                Session session = client.connect(URI.create("wss://127.0.0.1:" + proxy.port() + "/echo"),
                        ClientOptions.builder().sslContext(certificates.client())
                                .extensions(PerMessageDeflate.defaults())
                                .tlsParameters(p -> p.setProtocols(new String[] {protocol})).build(), recorder)
                        .get(20, TimeUnit.SECONDS);
                recorder.expect("open");
                byte[] big = new byte[40_000];
                new java.util.Random(1).nextBytes(big);
                session.sendBinary(ByteBuffer.wrap(big));
                session.ping(ByteBuffer.wrap(new byte[] {1}));
                session.sendText("x".repeat(1000), false);
                session.sendText("y", true);
                java.util.Set<String> events = new java.util.HashSet<>();
                for (int i = 0; i < 3; i++) {
                    events.add(recorder.next().replaceAll("^pong:.*", "pong"));
                }
                assertEquals(java.util.Set.of("binary:40000", "pong", "text:" + "x".repeat(1000) + "y"), events,
                        protocol);
                long t0 = System.nanoTime();
                session.close();
                assertEquals("close:1000:", recorder.awaitClose(), protocol);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms < 3000, protocol + " close took " + ms + " ms");
            }
        }
    }

    @Test
    void slowReadingClientGetsLargeMessagesWhole() throws Exception {
        slowReader(false);
    }

    @Test
    void slowReadingClientGetsLargeMessagesWholePlain() throws Exception {
        slowReader(true);
    }

    private void slowReader(boolean plain) throws Exception {
        Server.Builder sb = Server.builder().host("127.0.0.1").eventLoops(1).outboundBuffer(16 << 10, 64 << 10, 64 << 20);
        if (!plain) {
            sb.tls(certificates.server());
        }
        try (Server server = sb
                .route("/big", new Listener() {
                    @Override
                    public void onOpen(Session session) {
                        for (int i = 0; i < 5; i++) {
                            byte[] m = new byte[2_000_000 + i];
                            m[m.length - 1] = (byte) i;
                            session.sendBinary(ByteBuffer.wrap(m));
                        }
                        session.close(1000, "done");
                    }

                    @Override
                    public void onClose(Session session, int code, String reason) {
                    }
                }).build().start();
             Client client = Client.create()) {
            java.util.concurrent.LinkedBlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
            Session session = client.connect(URI.create((plain ? "ws" : "wss") + "://127.0.0.1:" + server.port() + "/big"),
                    ClientOptions.builder().sslContext(certificates.client()).build(), new Listener() {
                        @Override
                        public void onOpen(Session s) {
                            s.suspendReading();
                        }

                        @Override
                        public void onBinary(Session s, ByteBuffer data) {
                            // Suspended before the test sees the message, so that its resume cannot come first.
                            s.suspendReading();
                            got.add(data.remaining() + "/" + data.get(data.limit() - 1));
                        }

                        @Override
                        public void onClose(Session s, int code, String reason) {
                            got.add("close:" + code);
                        }
                    }).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 5; i++) {
                Thread.sleep(300);
                session.resumeReading();
                String event = got.poll(10, TimeUnit.SECONDS);
                if (!event.equals((2_000_000 + i) + "/" + i)) {
                    Thread.sleep(1000);
                    fail("message " + i + " was " + event + ", then " + got);
                }
            }
            session.resumeReading();
            assertEquals("close:1000", got.poll(10, TimeUnit.SECONDS));
        }
    }
}
