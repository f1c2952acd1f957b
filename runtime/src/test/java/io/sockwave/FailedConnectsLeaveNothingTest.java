package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.testsupport.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client whose connects fail every way they can leaves nothing behind: a refused connect, a server that never
 * answers (the connect timeout), an HTTP proxy that refuses CONNECT or resets in the middle of it, a SOCKS5 proxy
 * that accepts no method or closes in the middle of the request, a wss:// server whose certificate is not trusted,
 * and a wss:// connect to a plain server. Afterwards the client's loops hold no connection, timer, queued byte or
 * buffer, and the process no more descriptors, direct buffers or threads than before; the TLS server, which saw
 * its handshakes fail, holds nothing either.
 */
class FailedConnectsLeaveNothingTest {
    private static final int PER_WAY = 25;
    private static final Duration PATIENT = Duration.ofSeconds(10);
    private static final Duration QUICK = Duration.ofMillis(50);

    /** One way a connect fails. */
    private record Way(String name, URI uri, ClientOptions options) {
    }

    @Test
    void connectsFailingEveryWayLeaveNoConnectionTimerDescriptorOrThread() throws Exception {
        TestCertificates certificates = TestCertificates.loopback();
        int refused;
        try (ServerSocket bound = listen()) {
            refused = bound.getLocalPort();
        }
        try (Client client = Client.create(1);
             Server tls = Server.builder().host("127.0.0.1").eventLoops(1).tls(certificates.server())
                     .route("/", new EchoListener()).build().start();
             Server plain = Server.builder().host("127.0.0.1").eventLoops(1)
                     .route("/", new EchoListener()).build().start();
             FakePeer silent = new FakePeer(socket -> socket.getInputStream().readAllBytes());
             FakePeer httpRefusing = new FakePeer(socket -> {
                 readHead(socket.getInputStream());
                 socket.getOutputStream().write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".getBytes());
                 socket.getInputStream().readAllBytes();
             });
             FakePeer httpCut = new FakePeer(socket -> {
                 socket.getInputStream().readNBytes(10);
                 socket.setSoLinger(true, 0);
             });
             FakePeer socksRefusing = new FakePeer(socket -> {
                 socket.getInputStream().readNBytes(3);
                 socket.getOutputStream().write(new byte[] {5, (byte) 0xFF});
                 socket.getInputStream().readAllBytes();
             });
             FakePeer socksCut = new FakePeer(socket -> {
                 socket.getInputStream().readNBytes(3);
                 socket.getOutputStream().write(new byte[] {5, 0});
                 socket.getInputStream().readNBytes(5);
             })) {
            URI unreachable = URI.create("ws://127.0.0.1:9/");
            URI wss = URI.create("wss://127.0.0.1:" + tls.port() + "/");
            List<Way> ways = List.of(
                    new Way("refused", URI.create("ws://127.0.0.1:" + refused + "/"), ClientOptions.defaults()),
                    new Way("silent server", URI.create("ws://127.0.0.1:" + silent.port() + "/"),
                            ClientOptions.builder().connectTimeout(QUICK).handshakeTimeout(QUICK).build()),
                    new Way("HTTP proxy refusing", unreachable, through(Proxy.http("127.0.0.1", httpRefusing.port()))),
                    new Way("HTTP proxy reset", unreachable, through(Proxy.http("127.0.0.1", httpCut.port()))),
                    new Way("SOCKS5 proxy refusing", unreachable,
                            through(Proxy.socks5("127.0.0.1", socksRefusing.port()))),
                    new Way("SOCKS5 proxy closing", unreachable, through(Proxy.socks5("127.0.0.1", socksCut.port()))),
                    new Way("untrusted certificate", wss,
                            ClientOptions.builder().sslContext(TestCertificates.otherHost().client()).build()),
                    new Way("wss to a plain server", URI.create("wss://127.0.0.1:" + plain.port() + "/"),
                            ClientOptions.builder().sslContext(certificates.client()).build()));
            failEach(client, ways, 3);
            settle(client, tls);
            ProcessHoldings before = ProcessHoldings.now();

            failEach(client, ways, PER_WAY);
            assertEquals(new ServerStats(0, 0, 0, 0, 0), settle(client, tls), "the client's loops");
            assertEquals(new ServerStats(0, 0, 0, 0, 0), tls.stats(), "the TLS server");
            ProcessHoldings after = ProcessHoldings.withThreadsAtMost(before.threads() + 1);
            assertTrue(after.descriptors() <= before.descriptors() + 2, "descriptors " + before + " -> " + after);
            assertTrue(after.directBuffers() <= before.directBuffers() + 2, "direct buffers " + before + " -> " + after);
            assertTrue(after.threads() <= before.threads() + 1, "threads " + before + " -> " + after);
        }
    }

    /**
     * A connect that fails on the loop right after its socket began connecting, before any byte could travel (here
     * the TLS parameters cannot be set), fails its future with that failure and leaves no socket, timer, queued
     * request or buffer on the loop; the loop goes on serving connects.
     */
    @Test
    void aConnectFailingAtOnceLeavesNoTimerOrQueuedRequest() throws Exception {
        try (Client client = Client.create(1);
             Server server = Server.builder().host("127.0.0.1").eventLoops(1)
                     .route("/", new EchoListener()).build().start()) {
            ClientOptions refusing = ClientOptions.builder().tlsParameters(parameters -> {
                throw new IllegalStateException("no TLS parameters for this test");
            }).build();
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> client.connect(URI.create("wss://127.0.0.1:" + server.port() + "/"), refusing,
                            new Recorder()).get(PATIENT.toSeconds(), TimeUnit.SECONDS));
            assertEquals("no TLS parameters for this test", failed.getCause().getMessage(),
                    failed.getCause().toString());

            // A connect that opens and closes on the same loop ends a turn after the failed one: the counts the loop
            // publishes then are what the failure left.
            Recorder recorder = new Recorder();
            Session session = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"), recorder)
                    .get(PATIENT.toSeconds(), TimeUnit.SECONDS);
            session.close(1000, "done");
            recorder.closed.get(PATIENT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(new ServerStats(0, 0, 0, 0, 0), ServerSettling.idle(client), "the client's loops");
        }
    }

    private static ClientOptions through(Proxy proxy) {
        return ClientOptions.builder().proxy(proxy).build();
    }

    private static void failEach(Client client, List<Way> ways, int times) throws Exception {
        for (Way way : ways) {
            for (int i = 0; i < times; i++) {
                ExecutionException failed = assertThrows(ExecutionException.class,
                        () -> client.connect(way.uri(), way.options(), new Recorder()).get(PATIENT.toSeconds(),
                                TimeUnit.SECONDS), way.name());
                assertTrue(failed.getCause() instanceof IOException
                        || failed.getCause() instanceof java.util.concurrent.TimeoutException,
                        way.name() + ": " + failed.getCause());
            }
        }
    }

    /** Waits (bounded) for the client's loops and the TLS server to let go of what the failures left. */
    private static ServerStats settle(Client client, Server tls) throws InterruptedException {
        ServerStats none = new ServerStats(0, 0, 0, 0, 0);
        long deadline = System.nanoTime() + PATIENT.toNanos();
        while ((!client.stats().equals(none) || !tls.stats().equals(none)) && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
        return client.stats();
    }

    private static ServerSocket listen() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
    }

    /** A loopback listener that plays one part with each connection, one at a time, on a thread of its own. */
    private static final class FakePeer implements AutoCloseable {
        interface Part {
            void play(Socket socket) throws IOException;
        }

        private final ServerSocket listener = listen();
        private final Thread thread;

        FakePeer(Part part) throws IOException {
            thread = new Thread(() -> {
                while (!listener.isClosed()) {
                    try (Socket socket = listener.accept()) {
                        socket.setSoTimeout((int) PATIENT.toMillis());
                        part.play(socket);
                    } catch (IOException e) {
                        // The client gave up first, or the listener closed.
                    }
                }
            }, "fake-peer");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
