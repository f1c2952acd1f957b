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
                // A close timeout far beyond the waits for a prompt close below (RawSocket's read timeout): a close
                // that waited for it would not pass them, however slow the machine.
                .handshakeTimeout(Duration.ofMillis(1500)).closeTimeout(Duration.ofMinutes(2))
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
                // within RawSocket's read timeout (10 s), well short of the close timeout
                assertEquals(-1, raw.socket.getInputStream().read(), protocol);
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
                try {
                    // within RawSocket's read timeout (10 s), well short of the close timeout
                    int b = raw.socket.getInputStream().read();
                    assertEquals(-1, b);
                } catch (java.net.SocketException e) {
                    // closed
                }
                serverSide.drain();
            }
            assertEquals(0, TlsEndToEndTest.awaitConnections(server));
        }
    }

    /**
     * The server drops a connection whose peer half-closed in the middle of the TLS handshake on reading the FIN, not
     * at its handshake timeout: one far longer than the wait here tells the two apart however slow the machine.
     */
    @Test
    void halfCloseDuringTheTlsHandshakeIsDroppedAtOnce() throws Exception {
        try (Server patient = Server.builder().host("127.0.0.1").eventLoops(1).tls(certificates.server())
                .handshakeTimeout(Duration.ofMinutes(2)).route("/echo", new EchoListener()).build().start();
             Socket s = new Socket("127.0.0.1", patient.port())) {
            // The first bytes of a ClientHello, then FIN.
            s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xc8, 0x01, 0x00});
            s.shutdownOutput();
            s.setSoTimeout(30_000);
            try {
                s.getInputStream().readAllBytes();
            } catch (java.net.SocketTimeoutException e) {
                fail("the connection was still open 30 s after the FIN, with 2 minutes of handshake timeout left");
            } catch (java.net.SocketException reset) {
                // dropped with a reset: as good as a FIN here
            }
            assertEquals(0, TlsEndToEndTest.awaitConnections(patient));
        }
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
            awaitDropByTheHandshakeTimeout(s);
        }
    }

    @Test
    void handshakeTimeoutAfterTlsButBeforeTheRequest() throws Exception {
        try (RawSocket raw = tlsRaw("TLSv1.3")) {
            // The first read runs the TLS handshake (which a machine slow enough to take 1.5 s over it sees cut, and
            // that is the same timeout), then waits for what never comes while no request is sent.
            awaitDropByTheHandshakeTimeout(raw.socket);
        }
    }

    /**
     * Waits for the server to end a connection that sends nothing: the handshake timeout (1.5 s) ends it, and nothing
     * else would within the 20 s allowed, however slow the machine.
     */
    private static void awaitDropByTheHandshakeTimeout(Socket socket) throws Exception {
        socket.setSoTimeout(20_000);
        try {
            socket.getInputStream().readAllBytes();
        } catch (java.net.SocketTimeoutException e) {
            fail("the connection was still open 20 s on, the handshake timeout being 1.5 s");
        } catch (java.io.IOException closed) {
            // dropped with a reset, or TLS saw the connection end without its close_notify
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
