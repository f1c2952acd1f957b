package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.testsupport.TestCertificates;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A thousand connections, ending each of the ways a connection can end, leave the server holding nothing for them:
 * no connection, session, queued byte, timer or buffer, and every opened session got exactly one onClose.
 */
class ResourceReleaseTest {
    private static final int PER_WAY = 90;
    private static final Duration SHORT = Duration.ofMillis(300);

    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();

    private final Listener counting = new Listener() {
        @Override
        public void onOpen(Session session) {
            opened.incrementAndGet();
        }

        @Override
        public void onText(Session session, String text) {
            switch (text) {
                case "close me" -> session.close(4000, "as asked");
                case "boom" -> throw new IllegalStateException("handler bug on purpose");
                default -> session.sendText(text);
            }
        }

        @Override
        public void onClose(Session session, int code, String reason) {
            closed.incrementAndGet();
        }
    };

    private interface Ending {
        void run(int port) throws Exception;
    }

    @Test
    void thousandConnectionsEndingEveryWayLeaveNothingBehind() throws Exception {
        TestCertificates certificates = TestCertificates.loopback();
        try (Server server = start(null); Server tls = start(certificates)) {
            int port = server.port();
            List<Ending> sequential = List.of(
                    ResourceReleaseTest::clientCloses,
                    ResourceReleaseTest::serverCloses,
                    ResourceReleaseTest::peerResets,
                    ResourceReleaseTest::eofWithoutClose,
                    ResourceReleaseTest::halfClose,
                    ResourceReleaseTest::protocolError,
                    ResourceReleaseTest::handlerThrows,
                    ResourceReleaseTest::refusedUpgrade,
                    ResourceReleaseTest::plainHttp);
            int total = 0;
            for (Ending ending : sequential) {
                for (int i = 0; i < PER_WAY; i++) {
                    ending.run(port);
                    total++;
                }
            }
            total += abandonedInParallel(port, "GET / HTTP/1.1\r\nHost: x\r\n");
            total += abandonedInParallel(port, null);
            for (int i = 0; i < PER_WAY; i++) {
                tlsGarbage(tls.port());
                total++;
            }
            assertTrue(total >= 1000, "connections made: " + total);
            assertEquals(new ServerStats(0, 0, 0, 0, 0), ServerSettling.idle(server));
            assertEquals(new ServerStats(0, 0, 0, 0, 0), ServerSettling.idle(tls));
            assertEquals(opened.get(), closed.get(), "every opened session was closed exactly once");
        }
    }

    private Server start(TestCertificates certificates) throws IOException {
        return Server.builder().host("127.0.0.1").eventLoops(2)
                .handshakeTimeout(SHORT).idleTimeout(SHORT).closeTimeout(SHORT)
                .tls(certificates == null ? null : certificates.server())
                .route("/", counting).build().start();
    }

    private static void clientCloses(int port) throws Exception {
        try (RawSocket raw = RawSocket.connect(port).open("/")) {
            raw.write(RawSocket.masked(0x88, RawSocket.closePayload(1000, "")));
            raw.expectCloseAndEof();
        }
    }

    private static void serverCloses(int port) throws Exception {
        sendTextAndAnswerTheServersClose(port, "close me", 4000);
    }

    /** Sends {@code text}, which makes the server close with {@code code}, and completes the closing handshake. */
    private static void sendTextAndAnswerTheServersClose(int port, String text, int code) throws Exception {
        try (RawSocket raw = RawSocket.connect(port).open("/")) {
            raw.write(RawSocket.masked(0x81, text));
            assertEquals(code, raw.readFrame().closeCode());
            raw.write(RawSocket.masked(0x88, RawSocket.closePayload(code, "")));
            raw.expectEof();
        }
    }

    private static void peerResets(int port) throws Exception {
        RawSocket raw = RawSocket.connect(port).open("/");
        raw.socket.setSoLinger(true, 0);
        raw.close();
    }

    private static void eofWithoutClose(int port) throws Exception {
        RawSocket.connect(port).open("/").close();
    }

    private static void halfClose(int port) throws Exception {
        try (RawSocket raw = RawSocket.connect(port).open("/")) {
            raw.socket.shutdownOutput();
            raw.expectEof();
        }
    }

    private static void protocolError(int port) throws Exception {
        try (RawSocket raw = RawSocket.connect(port).open("/")) {
            raw.write(RawSocket.frame(0x81, new byte[] {1}, false));
            assertEquals(1002, raw.expectCloseAndEof());
        }
    }

    private static void handlerThrows(int port) throws Exception {
        sendTextAndAnswerTheServersClose(port, "boom", 1011);
    }

    private static void refusedUpgrade(int port) throws Exception {
        try (RawSocket raw = RawSocket.connect(port)) {
            raw.write(RawSocket.upgrade("/missing", ""));
            raw.readUntilEof();
        }
    }

    private static void plainHttp(int port) throws Exception {
        try (RawSocket raw = RawSocket.connect(port)) {
            raw.write("GET /page HTTP/1.1\r\nHost: x\r\n\r\n");
            raw.readUntilEof();
        }
    }

    /** Garbage for a TLS server: at most a fatal alert (RFC 8446 §6.2: it SHOULD send one), then the close. */
    private static void tlsGarbage(int port) throws Exception {
        try (RawSocket raw = RawSocket.connect(port)) {
            raw.write("this is not a TLS record\r\n\r\n");
            String answer;
            try {
                answer = raw.readUntilEof();
            } catch (java.net.SocketException reset) {
                return;
            }
            assertTrue(answer.isEmpty() || answer.charAt(0) == 21 && answer.length() <= 7,
                    "only an alert record (type 21) may come before the close: " + answer.length() + " bytes");
        }
    }

    /**
     * Opens {@link #PER_WAY} connections at once and goes silent: with a partial request head, the handshake
     * timeout ends them (slowloris); after a completed handshake, the idle timeout closes and, since the peer never
     * answers, the close timeout cuts them.
     */
    private static int abandonedInParallel(int port, String partialHead) throws Exception {
        List<RawSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < PER_WAY; i++) {
                RawSocket raw = RawSocket.connect(port);
                sockets.add(raw);
                if (partialHead == null) {
                    raw.open("/");
                } else {
                    raw.write(partialHead);
                }
            }
            for (RawSocket raw : sockets) {
                if (partialHead == null) {
                    assertEquals(1001, raw.readFrame().closeCode(), "idle timeout");
                }
                raw.expectEof();
            }
        } finally {
            for (Socket s : sockets.stream().map(r -> r.socket).toList()) {
                s.close();
            }
        }
        return PER_WAY;
    }
}
