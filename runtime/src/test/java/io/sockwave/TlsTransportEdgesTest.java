package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sockwave.testsupport.TestCertificates;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The TLS transport at its edges, through real sockets: a KeyUpdate between messages, the close in TLS 1.2 and 1.3,
 * a close_notify without a close frame, a handshake cut or reset, the handshake timeout, wss:// to a plain server
 * and ws:// to a TLS one, a slow reader of a large message.
 */
class TlsTransportEdgesTest {
    private final TestCertificates certificates = TestCertificates.loopback();
    private Server server;
    private final Recorder serverSide = new Recorder();

    @BeforeEach
    void start() throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(1).tls(certificates.server())
                .handshakeTimeout(Duration.ofMillis(1500)).closeTimeout(Duration.ofSeconds(5))
                .route("/echo", new EchoListener()).route("/rec", serverSide).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RawSocket tlsRaw(String protocol) throws Exception {
        RawSocket raw = RawSocket.connect(server.port(), certificates.client(), false);
        ((SSLSocket) raw.socket).setEnabledProtocols(new String[] {protocol});
        return raw;
    }

    @Test
    void keyUpdateFromTheClientInterleavedWithData() throws Exception {
        try (RawSocket raw = tlsRaw("TLSv1.3")) {
            raw.open("/echo");
            for (int i = 0; i < 20; i++) {
                raw.write(RawSocket.masked(0x81, "m" + i));
                ((SSLSocket) raw.socket).startHandshake(); // TLS 1.3: a KeyUpdate with update_requested
                raw.write(RawSocket.masked(0x82, new byte[40_000]));
                assertEquals("m" + i, raw.readFrame().text());
                assertEquals(40_000, raw.readFrame().payload().length);
            }
            raw.write(RawSocket.masked(0x88, RawSocket.closePayload(1000, "")));
            assertEquals(1000, raw.readFrame().closeCode());
            raw.expectEof();
        }
    }

    /** RFC 8446 §6.1: close_notify precedes the server's TCP close; JDK read() returns -1 only after close_notify. */
    @Test
    void serverSendsCloseNotifyAfterTheClosingHandshake() throws Exception {
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            try (RawSocket raw = tlsRaw(protocol)) {
                raw.open("/echo");
                raw.write(RawSocket.masked(0x88, RawSocket.closePayload(1000, "")));
                assertEquals(1000, raw.readFrame().closeCode());
                long t0 = System.nanoTime();
                assertEquals(-1, raw.socket.getInputStream().read(), protocol);
                assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "server closed late");
            }
        }
    }

    /** A peer's close_notify without a close frame: the session ends 1006 and the server closes its side soon. */
    @Test
    void closeNotifyWithoutCloseFrameEndsTheSession() throws Exception {
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            try (RawSocket raw = tlsRaw(protocol)) {
                raw.open("/rec");
                serverSide.expect("open");
                if (protocol.equals("TLSv1.3")) {
                    raw.socket.shutdownOutput(); // close_notify, half-close
                } else {
                    ((SSLSocket) raw.socket).shutdownOutput();
                }
                String close = serverSide.awaitClose();
                assertTrue(close.startsWith("close:1006") || close.startsWith("close:1000"), close);
                long t0 = System.nanoTime();
                try {
                    int b = raw.socket.getInputStream().read();
                    assertEquals(-1, b);
                } catch (java.net.SocketException e) {
                    // closed
                }
                assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "server kept the connection");
                serverSide.drain();
            }
            assertEquals(0, TlsEndToEndTest.awaitConnections(server));
        }
    }

    @Test
    void halfCloseDuringTheTlsHandshakeIsDroppedAtOnce() throws Exception {
        // The first bytes of a ClientHello, then FIN.
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xc8, 0x01, 0x00});
            s.shutdownOutput();
            long t0 = System.nanoTime();
            int b = s.getInputStream().read();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 1000, "dropped after " + ms + " ms, byte " + b);
        }
        assertEquals(0, TlsEndToEndTest.awaitConnections(server));
    }

    @Test
    void resetDuringTheTlsHandshakeIsReleased() throws Exception {
        for (int i = 0; i < 10; i++) {
            Socket s = new Socket("127.0.0.1", server.port());
            s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xc8, 0x01, 0x00});
            s.setSoLinger(true, 0);
            s.close();
        }
        assertEquals(0, TlsEndToEndTest.awaitConnections(server));
    }

    @Test
    void handshakeTimeoutAppliesToTheTlsHandshake() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(8000);
            long t0 = System.nanoTime();
            int b;
            try {
                b = s.getInputStream().read();
            } catch (java.net.SocketException e) {
                b = -2;
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 3000, "closed after " + ms + " ms, byte " + b);
        }
    }

    @Test
    void handshakeTimeoutAfterTlsButBeforeTheRequest() throws Exception {
        try (RawSocket raw = tlsRaw("TLSv1.3")) {
            ((SSLSocket) raw.socket).startHandshake();
            long t0 = System.nanoTime();
            try {
                raw.socket.getInputStream().read();
            } catch (java.io.IOException e) {
                // closed
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 3000, "closed after " + ms + " ms");
        }
    }

    @Test
    void wssClientToAPlainServerFailsClearly() throws Exception {
        try (Server plain = Server.builder().host("127.0.0.1").eventLoops(1)
                .route("/echo", new EchoListener()).build().start()) {
            failsAtOnce(URI.create("wss://127.0.0.1:" + plain.port() + "/echo"),
                    ClientOptions.builder().sslContext(certificates.client()).build());
        }
    }

    @Test
    void wsClientToATlsServerFailsClearly() throws Exception {
        failsAtOnce(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), ClientOptions.defaults());
    }

    /** A scheme that does not match the server fails the connect well before any timeout, rather than hang. */
    private static void failsAtOnce(URI uri, ClientOptions options) throws Exception {
        try (Client client = Client.create()) {
            long start = System.nanoTime();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.connect(uri, options, new Recorder()).get(20, TimeUnit.SECONDS));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 3000, ms + " ms: " + e.getCause());
        }
    }

    @Test
    void largeMessageToASlowTlsReader() throws Exception {
        CompletableFuture<Session> opened = new CompletableFuture<>();
        try (Server big = Server.builder().host("127.0.0.1").eventLoops(1).tls(certificates.server())
                .route("/big", new Listener() {
                    @Override
                    public void onOpen(Session session) {
                        byte[] payload = new byte[3_000_000];
                        for (int i = 0; i < payload.length; i++) {
                            payload[i] = (byte) (i * 31 + (i >> 8));
                        }
                        session.sendBinary(ByteBuffer.wrap(payload));
                        session.sendText("after");
                    }
                }).build().start()) {
            try (RawSocket raw = RawSocket.connect(big.port(), certificates.client(), true)) {
                raw.open("/big");
                InputStream in = raw.socket.getInputStream();
                Thread.sleep(1000);
                RawSocket.Frame f = raw.readFrame();
                assertEquals(3_000_000, f.payload().length);
                for (int i = 0; i < f.payload().length; i++) {
                    if (f.payload()[i] != (byte) (i * 31 + (i >> 8))) {
                        fail("byte " + i);
                    }
                }
                assertEquals("after", raw.readFrame().text());
            }
        }
    }
}
