package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.protocol.extension.PerMessageDeflate;
import io.sockwave.testsupport.TestCertificates;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Zlib streams of sessions (about 300 KB native each) are ended however the session ends. */
class DeflateStreamsReleasedTest {
    private static final String TEXT = "compress me please ".repeat(100);

    @Test
    void streamsAreEndedAfterCloseAbortAndTimeout() throws Exception {
        TestCertificates certificates = TestCertificates.loopback();
        PerMessageDeflate serverDeflate = PerMessageDeflate.defaults();
        PerMessageDeflate clientDeflate = PerMessageDeflate.defaults();
        for (boolean tls : new boolean[] {false, true}) {
            Server.Builder sb = Server.builder().host("127.0.0.1").eventLoops(1).extensions(serverDeflate)
                    .idleTimeout(Duration.ofMillis(500)).route("/echo", new EchoListener());
            if (tls) {
                sb.tls(certificates.server());
            }
            try (Server server = sb.build().start(); Client client = Client.create()) {
                ClientOptions.Builder ob = ClientOptions.builder().extensions(clientDeflate);
                if (tls) {
                    ob.sslContext(certificates.client());
                }
                URI uri = URI.create((tls ? "wss" : "ws") + "://127.0.0.1:" + server.port() + "/echo");
                List<Session> sessions = new ArrayList<>();
                List<Recorder> recorders = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    Recorder r = new Recorder();
                    Session s = client.connect(uri, ob.build(), r).get(10, TimeUnit.SECONDS);
                    r.expect("open");
                    s.sendText(TEXT);
                    s.sendText(TEXT.substring(3), false);
                    if (i % 4 == 3) {
                        // Leaves a fragmented message in progress on both sides.
                    } else {
                        s.sendText("x", true);
                        r.expect("text:" + TEXT);
                    }
                    sessions.add(s);
                    recorders.add(r);
                }
                for (int i = 0; i < sessions.size(); i++) {
                    switch (i % 3) {
                        case 0 -> sessions.get(i).close();
                        case 1 -> sessions.get(i).abort();
                        default -> { } // idle timeout
                    }
                }
                for (Recorder r : recorders) {
                    r.awaitClose();
                }
                assertEquals(0, TlsEndToEndTest.awaitConnections(server));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while ((serverDeflate.streamsInUse() != 0 || clientDeflate.streamsInUse() != 0)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(0, serverDeflate.streamsInUse(), (tls ? "wss" : "ws") + " server streams");
                assertEquals(0, clientDeflate.streamsInUse(), (tls ? "wss" : "ws") + " client streams");
            }
        }
    }
}
