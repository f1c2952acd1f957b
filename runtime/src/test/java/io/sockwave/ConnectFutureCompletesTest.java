package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sockwave.protocol.handshake.HandshakeException;
import io.sockwave.testsupport.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Client.connect returns a future that completes with the open session or fails: for every peer that does not
 * complete the opening handshake (silent, hanging up, a hook that never decides, TLS that fails), and whatever
 * happens meanwhile (nothing, the handshake timeout; the client closed or shut down; the server stopped or shut
 * down), the future must be done within a bound, failed as documented (an IOException, a HandshakeException for
 * a refusal such as the 503 of a shutdown, or a TimeoutException) with a message, and the listener must hear
 * nothing (no onClose without onOpen).
 */
@Timeout(120)
class ConnectFutureCompletesTest {
    private static final TestCertificates CERTIFICATES = TestCertificates.loopback();
    private static final long BOUND_SECONDS = 10;

    enum Peer {
        /** Accepts the TCP connection and never answers. */
        SILENT,
        /** Accepts and closes at once. */
        HANGS_UP,
        /** A Sockwave server whose upgrade hook never decides. */
        HOOK_NEVER_DECIDES,
        /** A wss:// server whose certificate the client does not trust. */
        UNTRUSTED_TLS,
        /** A ws:// client to a wss:// server. */
        PLAIN_TO_TLS,
        /** A wss:// client to a ws:// server. */
        TLS_TO_PLAIN
    }

    enum Meanwhile {
        NOTHING,
        CLIENT_CLOSE,
        CLIENT_SHUTDOWN,
        SERVER_STOP,
        SERVER_SHUTDOWN
    }

    static List<Arguments> matrix() {
        List<Arguments> all = new ArrayList<>();
        for (Peer peer : Peer.values()) {
            for (Meanwhile meanwhile : Meanwhile.values()) {
                all.add(Arguments.of(peer, meanwhile));
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0} while {1}")
    @MethodSource("matrix")
    void theConnectFutureFailsWithinABound(Peer peer, Meanwhile meanwhile) throws Exception {
        RawListener raw = null;
        Server server = null;
        Client client = Client.create(1);
        CallbackOrderChecker listener = new CallbackOrderChecker("client", new Listener() { });
        try {
            int port;
            if (peer == Peer.SILENT || peer == Peer.HANGS_UP) {
                raw = new RawListener(peer == Peer.HANGS_UP);
                port = raw.port();
            } else {
                Server.Builder builder = Server.builder().host("127.0.0.1").port(0).eventLoops(1);
                if (peer == Peer.HOOK_NEVER_DECIDES) {
                    builder.route("/", request -> new CompletableFuture<>(), new Listener() { });
                } else {
                    builder.route("/", new Listener() { });
                }
                if (peer == Peer.UNTRUSTED_TLS || peer == Peer.PLAIN_TO_TLS) {
                    builder.tls(CERTIFICATES.server());
                }
                server = builder.build().start();
                port = server.port();
            }
            boolean tlsClient = peer == Peer.UNTRUSTED_TLS || peer == Peer.TLS_TO_PLAIN;
            ClientOptions.Builder options = ClientOptions.builder().handshakeTimeout(Duration.ofSeconds(
                    meanwhile == Meanwhile.NOTHING ? 1 : 30));
            if (peer == Peer.TLS_TO_PLAIN) {
                options.sslContext(CERTIFICATES.client());
            } else if (peer == Peer.UNTRUSTED_TLS) {
                options.sslContext(SSLContext.getDefault());
            }
            URI uri = URI.create((tlsClient ? "wss" : "ws") + "://127.0.0.1:" + port + "/");
            CompletableFuture<Session> connected = client.connect(uri, options.build(), listener);
            Thread.sleep(200);
            switch (meanwhile) {
                case CLIENT_CLOSE -> client.close();
                case CLIENT_SHUTDOWN -> client.shutdown(Duration.ofSeconds(2));
                case SERVER_STOP -> {
                    if (server != null) {
                        server.close();
                    } else {
                        raw.close();
                    }
                }
                case SERVER_SHUTDOWN -> {
                    if (server != null) {
                        server.shutdown(Duration.ofSeconds(2));
                    } else {
                        raw.close();
                    }
                }
                default -> {
                }
            }
            Throwable failure = failureWithin(connected);
            assertTrue(failure instanceof IOException || failure instanceof TimeoutException
                    || failure instanceof HandshakeException, "an undocumented failure: " + failure);
            assertNotNull(failure.getMessage(), failure.toString());
            assertFalse(failure.getMessage().isBlank(), failure.toString());
            assertFalse(listener.opened.isDone(), "no session opened");
            assertEquals(List.of(), listener.violations());
            assertFalse(listener.closeCode.isDone(), "no onClose for a session that never opened");
        } finally {
            client.close();
            if (server != null) {
                server.close();
            }
            if (raw != null) {
                raw.close();
            }
        }
    }

    private static Throwable failureWithin(CompletableFuture<Session> connected) throws InterruptedException {
        try {
            Session session = connected.get(BOUND_SECONDS, TimeUnit.SECONDS);
            session.abort();
            return fail("connected to a peer that never completed the handshake");
        } catch (TimeoutException e) {
            return fail("the connect future was not done within " + BOUND_SECONDS + " s");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** A loopback TCP listener that accepts and then says nothing, or hangs up at once. */
    private static final class RawListener implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        RawListener(boolean hangUp) throws IOException {
            acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = socket.accept();
                        if (hangUp) {
                            s.close();
                        } else {
                            accepted.add(s);
                        }
                    }
                } catch (IOException e) {
                    // Closed: the test is over.
                }
            }, "raw-listener");
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
