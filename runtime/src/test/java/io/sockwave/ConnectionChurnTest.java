package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.extension.PerMessageDeflate;
import io.sockwave.testsupport.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Open/close churn (issue #14): 1,500 connections, plain, TLS and with permessage-deflate, ending every way a peer can
 * end one (a closing handshake, a reset in the middle of a frame, a reset in the middle of the opening handshake, a
 * TLS connection cut in the middle of a record, a reset in the middle of a compressed message), counted at the level
 * of the process: file descriptors ({@code /proc/self/fd}), direct buffers ({@link BufferPoolMXBean}), threads, zlib
 * streams ({@link PerMessageDeflate#streamsInUse()}), and the servers' timers and connections. After the churn every count
 * is back where it was, so that a server running for months does not leak one of each per odd connection.
 */
@Timeout(120)
class ConnectionChurnTest {
    /**
     * Each round: 3 x 28 plain connections, 5 TLS ones (whose handshakes cost the most time) and 3 compressed ones;
     * with the 5 rounds that warm up before counting, 1,564 connections in all, which keeps the test to about half a
     * minute on a busy machine. More rounds find nothing new: each count is compared exactly, so one leak per connection shows.
     * {@code -Dsockwave.churn.rounds=104 -Djunit.jupiter.execution.timeout.mode=disabled} churns the 10,000
     * connections (a few minutes).
     */
    private static final int ROUNDS = Integer.getInteger("sockwave.churn.rounds", 12);
    private static final int PLAIN_PER_TLS = 28;
    /** Every ending here is seen by the server at once (a close, a reset, an end of stream): none waits for these. */
    private static final Duration PATIENT = Duration.ofSeconds(5);

    private interface Ending {
        void run() throws Exception;
    }

    @Test
    void connectionsEndingEveryWayLeaveNoDescriptorBufferThreadOrTimerBehind() throws Exception {
        TestCertificates certificates = TestCertificates.loopback();
        PerMessageDeflate serverDeflate = PerMessageDeflate.defaults();
        PerMessageDeflate clientDeflate = PerMessageDeflate.defaults();
        try (Server plain = start(null); Server tls = start(certificates);
             Server deflating = Server.builder().host("127.0.0.1").eventLoops(1).extensions(serverDeflate)
                     .route("/", new EchoListener()).build().start();
             Client client = Client.create(1)) {
            URI deflatingUri = URI.create("ws://127.0.0.1:" + deflating.port() + "/");
            ClientOptions offersDeflate = ClientOptions.builder().extensions(clientDeflate).build();
            Ending plainEndings = () -> {
                for (int i = 0; i < PLAIN_PER_TLS; i++) {
                    closingHandshake(RawSocket.connect(plain.port()));
                    resetMidFrame(RawSocket.connect(plain.port()));
                    resetMidHandshake(RawSocket.connect(plain.port()));
                }
            };
            List<Ending> endings = List.of(
                    plainEndings,
                    () -> closingHandshake(new RawSocket(tlsSocket(certificates, tls.port()))),
                    () -> resetMidFrame(new RawSocket(tlsSocket(certificates, tls.port()))),
                    () -> resetMidHandshake(new RawSocket(tlsSocket(certificates, tls.port()))),
                    () -> tlsCutMidRecord(tls.port(), certificates, true),
                    () -> tlsCutMidRecord(tls.port(), certificates, false),
                    () -> deflateSession(client, deflatingUri, offersDeflate, DeflateEnding.CLOSE),
                    () -> deflateSession(client, deflatingUri, offersDeflate, DeflateEnding.RESET),
                    () -> deflateSession(client, deflatingUri, offersDeflate, DeflateEnding.RESET_MID_MESSAGE));
            churn(endings, 5);
            ServerSettling.idle(plain);
            ServerSettling.idle(tls);
            ProcessHoldings before = ProcessHoldings.now();

            churn(endings, ROUNDS);
            ServerSettling.idle(plain);
            ServerSettling.idle(tls);
            ServerSettling.idle(deflating);
            ProcessHoldings after = ProcessHoldings.withThreadsAtMost(before.threads());

            // Each permessage-deflate session held a zlib stream per direction on each side (some 300 KB of native
            // memory for a deflater): every one is ended with its connection, however it ended.
            awaitNoStreams(serverDeflate);
            awaitNoStreams(clientDeflate);
            assertEquals(0, serverDeflate.streamsInUse(), "the server's zlib streams");
            assertEquals(0, clientDeflate.streamsInUse(), "the client's zlib streams");

            assertEquals(new ServerStats(0, 0, 0, 0, 0), plain.stats());
            assertEquals(new ServerStats(0, 0, 0, 0, 0), tls.stats());
            // A little slack for what the JDK itself opens lazily (a cached key store, a resolver).
            assertTrue(after.descriptors() <= before.descriptors() + 2, "descriptors " + before + " -> " + after);
            assertTrue(after.directBuffers() <= before.directBuffers() + 2, "direct buffers " + before + " -> " + after);
            assertTrue(after.directBytes() <= before.directBytes() + (256 << 10), "direct bytes " + before + " -> " + after);
            assertTrue(after.threads() <= before.threads(), "threads " + before + " -> " + after);
        }
    }

    private static Server start(TestCertificates certificates) throws IOException {
        return Server.builder().host("127.0.0.1").eventLoops(2)
                .handshakeTimeout(PATIENT).idleTimeout(PATIENT).closeTimeout(PATIENT)
                .tls(certificates == null ? null : certificates.server())
                .route("/", new EchoListener()).build().start();
    }

    private static void churn(List<Ending> endings, int rounds) throws Exception {
        for (int i = 0; i < rounds; i++) {
            for (Ending ending : endings) {
                ending.run();
            }
        }
    }

    private static void closingHandshake(RawSocket raw) throws Exception {
        try (raw) {
            raw.open("/");
            raw.write(RawSocket.masked(0x88, RawSocket.closePayload(1000, "")));
            assertEquals(1000, raw.expectCloseAndEof());
        }
    }

    /** A frame announced at 1,000 bytes, 10 of them sent, then a reset (SO_LINGER 0). */
    private static void resetMidFrame(RawSocket raw) throws Exception {
        raw.open("/");
        byte[] frame = RawSocket.masked(0x82, new byte[1000]);
        raw.write(java.util.Arrays.copyOf(frame, 18));
        reset(raw.socket);
    }

    /** Half a request head, then a reset. */
    private static void resetMidHandshake(RawSocket raw) throws Exception {
        raw.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: webs");
        reset(raw.socket);
    }

    /**
     * A TLS session whose next record is cut: its header and part of its body go out on the TCP socket beneath the
     * TLS one, then the connection is reset or closed.
     */
    private static void tlsCutMidRecord(int port, TestCertificates certificates, boolean resetAfter) throws Exception {
        Socket tcp = new Socket("127.0.0.1", port);
        SSLSocket tls = (SSLSocket) certificates.client().getSocketFactory().createSocket(tcp, "127.0.0.1", port, false);
        RawSocket raw = new RawSocket(tls);
        raw.open("/");
        OutputStream out = tcp.getOutputStream();
        // Application data, TLS 1.2 on the wire, 200 bytes announced, 20 sent.
        out.write(new byte[] {0x17, 0x03, 0x03, 0x00, (byte) 200});
        out.write(new byte[20]);
        out.flush();
        if (resetAfter) {
            reset(tcp);
        } else {
            tcp.shutdownOutput();
            InputStream in = tcp.getInputStream();
            tcp.setSoTimeout(10_000);
            try {
                in.readAllBytes();
            } catch (IOException reset) {
                // The server gave up on the record: closed either way.
            }
            tcp.close();
        }
    }

    private enum DeflateEnding { CLOSE, RESET, RESET_MID_MESSAGE }

    /**
     * A session with permessage-deflate, whose echo of a compressible message makes both ends take their zlib
     * streams, then ends: a closing handshake, a reset, or a reset in the middle of a compressed message, while the
     * server's inflater holds its first piece.
     */
    private static void deflateSession(Client client, URI uri, ClientOptions options, DeflateEnding ending)
            throws Exception {
        Recorder recorder = new Recorder();
        Session session = client.connect(uri, options, recorder).get(10, TimeUnit.SECONDS);
        recorder.expect("open");
        String text = "compressible ".repeat(100);
        session.sendText(text);
        recorder.expect("text:" + text);
        switch (ending) {
            case CLOSE -> session.close();
            case RESET -> session.abort();
            case RESET_MID_MESSAGE -> {
                session.sendText(text, false).get(10, TimeUnit.SECONDS);
                session.abort();
            }
        }
        recorder.awaitClose();
    }

    private static void awaitNoStreams(PerMessageDeflate deflate) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (deflate.streamsInUse() != 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
    }

    private static Socket tlsSocket(TestCertificates certificates, int port) throws IOException {
        return certificates.client().getSocketFactory().createSocket("127.0.0.1", port);
    }

    private static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

}
