package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.testsupport.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * A TLS 1.2 server that starts handshakes again after the first one (HelloRequest, RFC 5246 §7.4.1.1), here the
 * JDK's own {@link SSLSocket} calling {@code startHandshake()} on an open connection. A Sockwave client follows one
 * renegotiation, as a server asking for a client certificate only once it has seen the request (IIS, Apache's
 * per-location {@code SSLVerifyClient}) needs, and refuses the next: a server has no other use for them on a
 * WebSocket, and each one re-runs a key exchange and certificate checks on the client's event loop.
 */
class TlsServerRenegotiationTest {
    /** The renegotiations a client follows on one connection. */
    static final int FOLLOWED = 1;
    /** Echoes a renegotiation may take to finish: a few round trips; the bound only keeps a failure from hanging. */
    private static final int MAX_EXCHANGES = 100;
    private final TestCertificates certificates = TestCertificates.loopback();

    @Test
    void theClientFollowsOneRenegotiationAndEndsTheConnectionAtTheNext() throws Exception {
        Recorder echo = new Recorder() {
            @Override
            public void onText(Session session, String text) {
                super.onText(session, text);
                session.sendText(text);
            }
        };
        ExecutorService serverThread = Executors.newSingleThreadExecutor();
        try (SSLServerSocket listening = (SSLServerSocket) certificates.server().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Client client = Client.create()) {
            listening.setEnabledProtocols(new String[] {"TLSv1.2"});
            Future<String> server = serverThread.submit(() -> renegotiateEachEcho(listening, 3));
            client.connect(URI.create("wss://127.0.0.1:" + listening.getLocalPort() + "/"),
                    ClientOptions.builder().sslContext(certificates.client()).build(), echo)
                    .get(Recorder.WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals("renegotiation 2 ended the connection",
                    server.get(Recorder.WAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals("close:1006:TLS renegotiation refused: the server started a second one, and a client"
                    + " follows one", echo.awaitClose());
            List<String> events = List.copyOf(echo.events);
            assertEquals(List.of("open", "text:before"), events.subList(0, 2));
            assertTrue(events.contains("text:renegotiation 1"), events.toString());
            assertFalse(events.contains("text:renegotiation 2"), events.toString());
        } finally {
            serverThread.shutdownNow();
        }
    }

    /**
     * Upgrades one connection and has a message echoed; then, {@code times} over, renegotiates and has messages
     * echoed until the renegotiation has finished. The server's reads are what drive it, and the client may echo a
     * message between its handshake messages: a renegotiation started before the last one finished would be no new
     * one.
     *
     * @return how it went: {@code renegotiation N ended the connection}, or that all were followed
     */
    private static String renegotiateEachEcho(SSLServerSocket listening, int times) throws IOException {
        try (SSLSocket socket = (SSLSocket) listening.accept()) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(Recorder.WAIT_SECONDS));
            socket.startHandshake();
            AtomicInteger finished = new AtomicInteger();
            socket.addHandshakeCompletedListener(event -> finished.incrementAndGet());
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String head = readHead(in);
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + RawSocket.acceptFor(head) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            echoed(in, out, "before");
            for (int i = 1; i <= times; i++) {
                socket.startHandshake();
                try {
                    for (int exchanges = 0; finished.get() < i; exchanges++) {
                        if (exchanges == MAX_EXCHANGES) {
                            return "renegotiation " + i + " unfinished after " + exchanges + " echoes";
                        }
                        echoed(in, out, "renegotiation " + i);
                    }
                } catch (IOException e) {
                    return "renegotiation " + i + " ended the connection";
                }
            }
            return "all " + times + " renegotiations followed";
        }
    }

    /** Sends a text message and reads the client's echo of it (RFC 6455 §5.2: short frames, the client's masked). */
    private static void echoed(InputStream in, OutputStream out, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        out.write(RawSocket.frame(0x81, payload, false));
        out.flush();
        int b0 = readByte(in);
        int length = readByte(in) & 0x7F;
        byte[] mask = in.readNBytes(4);
        byte[] echo = in.readNBytes(length);
        for (int i = 0; i < echo.length; i++) {
            echo[i] ^= mask[i % 4];
        }
        if (b0 != 0x81 || !text.equals(new String(echo, StandardCharsets.UTF_8))) {
            throw new AssertionError("not an echo of '" + text + "': " + Integer.toHexString(b0) + " "
                    + new String(echo, StandardCharsets.UTF_8));
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            head.write(readByte(in));
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("end of stream");
        }
        return b;
    }
}
