package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.handshake.HandshakeException;
import io.sockwave.testsupport.TestCertificates;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Credentials a caller set for one origin (RFC 6454) stay with it when the handshake is redirected: the
 * {@code Authorization}, {@code Cookie} and {@code Proxy-Authorization} headers follow a redirect within the origin
 * and are dropped for another host or another port; a redirect from wss to ws is refused.
 */
class RedirectCredentialsTest {
    private final Client client = Client.create();

    @AfterEach
    void stop() {
        client.close();
    }

    private static ClientOptions withCredentials() {
        return ClientOptions.builder().followRedirects(3)
                .header("Authorization", "Bearer secret-token")
                .header("Cookie", "session=secret-cookie")
                .header("Proxy-Authorization", "Basic c2VjcmV0")
                .header("X-Trace", "kept").build();
    }

    private static void hasCredentials(String request) {
        assertTrue(request.contains("Authorization: Bearer secret-token\r\n"), request);
        assertTrue(request.contains("Cookie: session=secret-cookie\r\n"), request);
        assertTrue(request.contains("Proxy-Authorization: Basic c2VjcmV0\r\n"), request);
    }

    private static void hasNoCredentials(String request) {
        String lower = request.toLowerCase(Locale.ROOT);
        assertFalse(lower.contains("secret"), request);
        assertFalse(lower.contains("authorization:"), request);
        assertFalse(lower.contains("cookie:"), request);
        assertTrue(request.contains("X-Trace: kept\r\n"), "other headers follow: " + request);
    }

    private static String redirectTo(String location) {
        return "HTTP/1.1 307 Temporary Redirect\r\nLocation: " + location + "\r\nContent-Length: 0\r\n\r\n";
    }

    @Test
    void credentialsFollowARedirectWithinTheOrigin() throws Exception {
        try (HandMadeServer server = new HandMadeServer()) {
            CompletableFuture<Session> connect = client.connect(server.uri("/a"), withCredentials(), new Recorder());
            HandMadeServer.Accepted first = server.accept();
            hasCredentials(first.request());
            first.raw().write(redirectTo("/b"));
            HandMadeServer.Accepted second = server.accept();
            assertTrue(second.request().startsWith("GET /b "), second.request());
            hasCredentials(second.request());
            connect.cancel(true);
        }
    }

    @Test
    void credentialsAreDroppedForAnotherPortAndStayDroppedOnTheWayBack() throws Exception {
        try (HandMadeServer server = new HandMadeServer(); HandMadeServer other = new HandMadeServer()) {
            CompletableFuture<Session> connect = client.connect(server.uri("/a"), withCredentials(), new Recorder());
            server.accept().raw().write(redirectTo(other.uri("/b").toString()));
            HandMadeServer.Accepted second = other.accept();
            hasNoCredentials(second.request());
            second.raw().write(redirectTo(server.uri("/c").toString()));
            HandMadeServer.Accepted third = server.accept();
            assertTrue(third.request().startsWith("GET /c "), third.request());
            hasNoCredentials(third.request());
            connect.cancel(true);
        }
    }

    @Test
    void credentialsAreDroppedForAnotherHostOnTheSamePort() throws Exception {
        try (HandMadeServer server = new HandMadeServer()) {
            int port = server.socket.getLocalPort();
            CompletableFuture<Session> connect = client.connect(URI.create("ws://127.0.0.1:" + port + "/a"),
                    withCredentials(), new Recorder());
            server.accept().raw().write(redirectTo("ws://localhost:" + port + "/b"));
            HandMadeServer.Accepted second = server.accept();
            assertTrue(second.request().contains("Host: localhost:" + port + "\r\n"), second.request());
            hasNoCredentials(second.request());
            connect.cancel(true);
        }
    }

    /** A Location that is no URI is named in the failure, as every URL is, without its password. */
    @Test
    void anInvalidLocationIsNamedWithoutItsPassword() throws Exception {
        try (HandMadeServer server = new HandMadeServer()) {
            CompletableFuture<Session> connect = client.connect(server.uri("/a"), withCredentials(), new Recorder());
            server.accept().raw().write(redirectTo("ws://bob:hunter2@127.0.0.1:1/a b"));
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> connect.get(10, TimeUnit.SECONDS));
            assertEquals("invalid redirect Location: ws://bob:***@127.0.0.1:1/a b",
                    assertInstanceOf(HandshakeException.class, failure.getCause()).getMessage());
        }
    }

    /** A caller that asked for TLS never ends up in the clear: its messages would follow its credentials there. */
    @Test
    void aRedirectFromWssToWsIsRefused() throws Exception {
        TestCertificates certificates = TestCertificates.loopback();
        try (ServerSocket tls = certificates.server().getServerSocketFactory()
                     .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ServerSocket plain = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            tls.setSoTimeout(10_000);
            ClientOptions options = ClientOptions.builder().sslContext(certificates.client()).followRedirects(1)
                    .header("Authorization", "Bearer secret-token").build();
            CompletableFuture<Session> connect = client.connect(
                    URI.create("wss://127.0.0.1:" + tls.getLocalPort() + "/a"), options, new Recorder());
            try (RawSocket secure = new RawSocket(tls.accept())) {
                secure.readHead();
                // The same host, in the clear.
                secure.write(redirectTo("http://bob:hunter2@127.0.0.1:" + plain.getLocalPort() + "/b"));
                ExecutionException failure = assertThrows(ExecutionException.class,
                        () -> connect.get(10, TimeUnit.SECONDS));
                HandshakeException refused = assertInstanceOf(HandshakeException.class, failure.getCause());
                assertEquals(307, refused.status());
                assertTrue(refused.getMessage().contains("from wss to ws: ws://bob:***@127.0.0.1:"),
                        refused.getMessage());
            }
            plain.setSoTimeout(200);
            assertThrows(SocketTimeoutException.class, plain::accept, "nothing connected in the clear");
        }
    }
}
