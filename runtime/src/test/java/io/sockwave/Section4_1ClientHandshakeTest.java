package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sockwave.protocol.handshake.HandshakeException;
import io.sockwave.testsupport.TestCertificates;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's opening handshake (RFC 6455 §4.1) against a hand-made server: what the request carries, and each
 * defect of a response that must fail the connect, with the reason.
 */
class Section4_1ClientHandshakeTest {
    private final Client client = Client.create();

    @AfterEach
    void stop() {
        client.close();
    }

    private static Throwable failure(CompletableFuture<Session> connect) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> connect.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void requestCarriesTheHandshakeFieldsAndCustomHeaders() throws Exception {
        try (HandMadeServer server = new HandMadeServer()) {
            ClientOptions options = ClientOptions.builder()
                    .header("Authorization", "Bearer t0ken")
                    .subprotocols("chat.v2", "chat.v1")
                    .build();
            CompletableFuture<Session> connect = client.connect(server.uri("/room?id=7"), options, new Recorder());
            HandMadeServer.Accepted accepted = server.accept();
            String request = accepted.request();
            assertTrue(request.startsWith("GET /room?id=7 HTTP/1.1\r\n"), request);
            assertTrue(request.contains("\r\nUpgrade: websocket\r\n"), request);
            assertTrue(request.contains("\r\nConnection: Upgrade\r\n"), request);
            assertTrue(request.contains("\r\nSec-WebSocket-Version: 13\r\n"), request);
            assertTrue(request.contains("\r\nSec-WebSocket-Protocol: chat.v2, chat.v1\r\n"), request);
            assertTrue(request.contains("\r\nAuthorization: Bearer t0ken\r\n"), request);
            accepted.raw().write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + RawSocket.acceptFor(request) + "\r\n"
                    + "Sec-WebSocket-Protocol: chat.v1\r\n\r\n");
            Session session = connect.get(10, TimeUnit.SECONDS);
            assertEquals("chat.v1", session.subprotocol());
            assertEquals("Bearer t0ken", session.requestHeaders().first("Authorization"));
            accepted.raw().close();
        }
    }

    /** Credentials in the URI reach the server as Basic authorization (RFC 7617), as browsers and ws send them. */
    @Test
    void credentialsInTheUriAreSentAsBasicAuthorization() throws Exception {
        try (HandMadeServer server = new HandMadeServer()) {
            java.net.URI plain = server.uri("/room");
            java.net.URI withCredentials = java.net.URI.create(plain.getScheme() + "://alice:p%40ss@"
                    + plain.getRawAuthority() + plain.getRawPath());
            CompletableFuture<Session> connect = client.connect(withCredentials, new Recorder());
            HandMadeServer.Accepted accepted = server.accept();
            String request = accepted.request();
            assertTrue(request.startsWith("GET /room HTTP/1.1\r\n"), request);
            assertTrue(request.contains("\r\nAuthorization: Basic YWxpY2U6cEBzcw==\r\n"), request);
            assertTrue(request.contains("\r\nHost: " + plain.getRawAuthority() + "\r\n"), request);
            accepted.raw().close();
            assertThrows(ExecutionException.class, () -> connect.get(10, TimeUnit.SECONDS));
        }
    }

    /**
     * The handshake limits bound what the client reads (the server's response), not the request it writes itself:
     * a request head over {@code maxHandshakeBytes}, with more fields than {@code maxHandshakeHeaders} (a large
     * cookie or token, many custom fields), still opens the session once the server answers 101 (RFC 6455 §4.1).
     */
    @Test
    void aRequestBeyondTheLimitsOnWhatTheClientReadsStillOpensTheSession() throws Exception {
        try (HandMadeServer server = new HandMadeServer()) {
            ClientOptions.Builder builder = ClientOptions.builder().header("Cookie", "t=" + "x".repeat(9000));
            for (int i = 0; i < 120; i++) {
                builder.header("X-Field-" + i, "v");
            }
            CompletableFuture<Session> connect = client.connect(server.uri("/big"), builder.build(), new Recorder());
            HandMadeServer.Accepted accepted = server.accept();
            assertTrue(accepted.request().length() > 8192, "the request head is over the default 8 KiB");
            accepted.raw().accept101(accepted.request());
            Session session = connect.get(10, TimeUnit.SECONDS);
            assertEquals("/big", session.path());
            assertEquals("t=" + "x".repeat(9000), session.requestHeaders().first("Cookie"));
            assertEquals("v", session.requestHeaders().first("X-Field-119"));
            accepted.raw().close();
        }
    }

    @Test
    void wrongAcceptFailsTheConnectWithThatReason() throws Exception {
        try (HandMadeServer server = new HandMadeServer()) {
            Recorder recorder = new Recorder();
            CompletableFuture<Session> connect = client.connect(server.uri("/"), recorder);
            HandMadeServer.Accepted accepted = server.accept();
            accepted.raw().write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
            Throwable cause = failure(connect);
            assertInstanceOf(HandshakeException.class, cause);
            assertTrue(cause.getMessage().contains("wrong Sec-WebSocket-Accept"), cause.getMessage());
            accepted.raw().expectEof();
            assertTrue(recorder.events.isEmpty(), "no listener call before the session opens");
        }
    }

    @Test
    void non101StatusFailsTheConnectWithTheStatus() throws Exception {
        try (HandMadeServer server = new HandMadeServer()) {
            CompletableFuture<Session> connect = client.connect(server.uri("/"), new Recorder());
            server.accept().raw().write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
            HandshakeException cause = assertInstanceOf(HandshakeException.class, failure(connect));
            assertEquals(403, cause.status());
        }
    }

    @Test
    void redirectIsNotFollowedUnlessAsked() throws Exception {
        try (HandMadeServer server = new HandMadeServer()) {
            CompletableFuture<Session> connect = client.connect(server.uri("/"), new Recorder());
            server.accept().raw().write("HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n");
            assertEquals(302, assertInstanceOf(HandshakeException.class, failure(connect)).status());
        }
    }

    @Test
    void redirectsAreFollowedUpToTheLimitWithHttpMappedToWs() throws Exception {
        try (Server target = Server.builder().host("127.0.0.1").eventLoops(1)
                .route("/final", new EchoListener()).build().start();
             HandMadeServer redirector = new HandMadeServer()) {
            ClientOptions options = ClientOptions.builder().followRedirects(2).build();
            Recorder recorder = new Recorder();
            CompletableFuture<Session> connect = client.connect(redirector.uri("/start"), options, recorder);
            redirector.accept().raw().write("HTTP/1.1 307 Temporary Redirect\r\nLocation: /again\r\n"
                    + "Content-Length: 0\r\n\r\n");
            HandMadeServer.Accepted second = redirector.accept();
            assertTrue(second.request().startsWith("GET /again "), second.request());
            second.raw().write("HTTP/1.1 301 Moved Permanently\r\nLocation: http://127.0.0.1:" + target.port()
                    + "/final\r\nContent-Length: 0\r\n\r\n");
            Session session = connect.get(10, TimeUnit.SECONDS);
            assertEquals("/final", session.path());
            session.sendText("arrived");
            recorder.expect("open");
            recorder.expect("text:arrived");
        }
    }

    @Test
    void tooManyRedirectsFailWithTheLastStatus() throws Exception {
        try (HandMadeServer server = new HandMadeServer()) {
            ClientOptions options = ClientOptions.builder().followRedirects(1).build();
            CompletableFuture<Session> connect = client.connect(server.uri("/a"), options, new Recorder());
            server.accept().raw().write("HTTP/1.1 302 Found\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n");
            server.accept().raw().write("HTTP/1.1 302 Found\r\nLocation: /c\r\nContent-Length: 0\r\n\r\n");
            assertEquals(302, assertInstanceOf(HandshakeException.class, failure(connect)).status());
        }
    }

    /**
     * RFC 9110 §10.2.2: Location is a singleton field, so two that disagree leave no target to follow (a sign of
     * response splitting); the connect fails naming both rather than following the first. The same value twice is
     * one target.
     */
    @Test
    void conflictingLocationFieldsFailTheConnectInsteadOfFollowingOne() throws Exception {
        try (HandMadeServer server = new HandMadeServer()) {
            ClientOptions options = ClientOptions.builder().followRedirects(2).build();
            CompletableFuture<Session> connect = client.connect(server.uri("/a"), options, new Recorder());
            HandMadeServer.Accepted first = server.accept();
            first.raw().write("HTTP/1.1 302 Found\r\nLocation: /b\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n");
            HandMadeServer.Accepted second = server.accept();
            assertTrue(second.request().startsWith("GET /b HTTP/1.1\r\n"), second.request());
            second.raw().write("HTTP/1.1 302 Found\r\nLocation: /c\r\nLocation: /evil\r\nContent-Length: 0\r\n\r\n");
            HandshakeException e = assertInstanceOf(HandshakeException.class, failure(connect));
            assertEquals(302, e.status());
            assertTrue(e.getMessage().contains("conflicting Location fields: /c, /evil"), e.getMessage());
            second.raw().expectEof();
        }
    }

    /**
     * RFC 6874 §2: in a URI an IPv6 zone follows "%25" (the percent sign, percent-encoded); the zone picks the
     * interface to connect through, and §4 keeps it out of the request, since it means nothing to the server.
     */
    @Test
    void rfc6874ZoneIdPicksTheInterfaceAndStaysOutOfTheHostHeader() throws Exception {
        InetAddress loopback = InetAddress.getByName("::1");
        NetworkInterface lo = NetworkInterface.getByInetAddress(loopback);
        assumeTrue(lo != null, "no interface holds ::1");
        try (ServerSocket server = new ServerSocket(0, 5, loopback)) {
            server.setSoTimeout(10_000);
            int port = server.getLocalPort();
            CompletableFuture<Session> connect = client.connect(
                    URI.create("ws://[::1%25" + lo.getName() + "]:" + port + "/zoned"), new Recorder());
            RawSocket raw = new RawSocket(server.accept());
            String request = raw.readHead();
            assertTrue(request.startsWith("GET /zoned HTTP/1.1\r\nHost: [::1]:" + port + "\r\n"), request);
            raw.accept101(request);
            connect.get(10, TimeUnit.SECONDS);
            raw.close();
        }
    }

    /** An https Location is followed as wss (RFC 6455 §3 maps the schemes): TLS, then the upgrade, inside it. */
    @Test
    void aRedirectToHttpsIsFollowedAsWssOverTls() throws Exception {
        TestCertificates certificates = TestCertificates.loopback();
        try (HandMadeServer plain = new HandMadeServer();
             ServerSocket tls = certificates.server().getServerSocketFactory()
                     .createServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            tls.setSoTimeout(10_000);
            ClientOptions options = ClientOptions.builder().sslContext(certificates.client()).followRedirects(1)
                    .build();
            Recorder recorder = new Recorder();
            CompletableFuture<Session> connect = client.connect(plain.uri("/a"), options, recorder);
            plain.accept().raw().write("HTTP/1.1 301 Moved Permanently\r\nLocation: https://127.0.0.1:"
                    + tls.getLocalPort() + "/b?q=%2F\r\nContent-Length: 0\r\n\r\n");
            try (RawSocket secure = new RawSocket(tls.accept())) {
                String request = secure.readHead();
                assertTrue(request.startsWith("GET /b?q=%2F HTTP/1.1\r\nHost: 127.0.0.1:" + tls.getLocalPort()
                        + "\r\n"), request);
                secure.accept101(request);
                assertEquals("/b", connect.get(10, TimeUnit.SECONDS).path());
                recorder.expect("open");
            }
        }
    }

    @Test
    void handshakeTimeoutFailsTheConnectWhenTheServerNeverAnswers() throws Exception {
        try (HandMadeServer server = new HandMadeServer()) {
            ClientOptions options = ClientOptions.builder().handshakeTimeout(Duration.ofMillis(300)).build();
            CompletableFuture<Session> connect = client.connect(server.uri("/"), options, new Recorder());
            HandMadeServer.Accepted silent = server.accept();
            Throwable cause = failure(connect);
            assertInstanceOf(TimeoutException.class, cause);
            assertTrue(cause.getMessage().contains("opening handshake"), cause.getMessage());
            silent.raw().expectEof();
        }
    }

    @Test
    void refusedConnectionFailsWithAnIoException() throws Exception {
        int port;
        try (HandMadeServer server = new HandMadeServer()) {
            port = server.socket.getLocalPort();
        }
        Throwable cause = failure(client.connect(java.net.URI.create("ws://127.0.0.1:" + port + "/"),
                new Recorder()));
        assertInstanceOf(java.io.IOException.class, cause);
    }

    @Test
    void badUriIsRefusedAtOnce() {
        assertThrows(IllegalArgumentException.class,
                () -> client.connect(java.net.URI.create("http://127.0.0.1/"), new Recorder()));
    }

    /** A handshake deadline past the time {@link #failure} waits: a connect that waits for it fails the test. */
    private static final ClientOptions PATIENT = ClientOptions.builder().handshakeTimeout(Duration.ofSeconds(60))
            .build();

    private static String switching(String request) {
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + RawSocket.acceptFor(request) + "\r\n\r\n";
    }

    @Test
    void anInterimResponseAheadOfThe101IsReadPast() throws Exception {
        // RFC 9110 §15.2: a client must be able to parse one or more 1xx responses before the final one.
        try (HandMadeServer server = new HandMadeServer()) {
            CompletableFuture<Session> connect = client.connect(server.uri("/"), PATIENT, new Recorder());
            HandMadeServer.Accepted accepted = server.accept();
            accepted.raw().write("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                    + switching(accepted.request()));
            assertTrue(connect.get(10, TimeUnit.SECONDS).isOpen());
            accepted.raw().close();
        }
    }

    /**
     * @param answer what the server writes in answer to the request, keeping the connection open
     * @return why the connect failed, which it must within {@link #failure}'s wait, long before its deadline
     */
    private HandshakeException refusedWith(String answer) throws Exception {
        try (HandMadeServer server = new HandMadeServer()) {
            CompletableFuture<Session> connect = client.connect(server.uri("/"), PATIENT, new Recorder());
            HandMadeServer.Accepted accepted = server.accept();
            accepted.raw().write(answer);
            HandshakeException cause = assertInstanceOf(HandshakeException.class, failure(connect));
            accepted.raw().close();
            return cause;
        }
    }

    @Test
    void aServerThatSendsOnlyInterimResponsesIsCutOff() throws Exception {
        HandshakeException cause = refusedWith("HTTP/1.1 103 Early Hints\r\n\r\n".repeat(17));
        assertTrue(cause.getMessage().contains("more than 16 interim responses"), cause.getMessage());
    }

    @Test
    void aRefusalWithoutABodyFailsTheConnectAtItsHead() throws Exception {
        // RFC 9110 §15.3.5 and §15.4.5: 204 and 304 end at their head; the server may keep the connection open.
        assertEquals(204, refusedWith("HTTP/1.1 204 No Content\r\n\r\n").status());
        assertEquals(304, refusedWith("HTTP/1.1 304 Not Modified\r\n\r\n").status());
    }

    @Test
    void aChunkedRefusalFailsTheConnectAtItsLastChunkWithItsBody() throws Exception {
        // RFC 9112 §7.1: a server keeping the connection alive ends a chunked body with its last chunk, not a close.
        HandshakeException cause = refusedWith("HTTP/1.1 401 Unauthorized\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "6;lang=en\r\nno tok\r\n3\r\nen.\r\n0\r\nX-Trailer: 1\r\n\r\n");
        assertEquals(401, cause.status());
        assertEquals("no token.", new String(cause.body(), java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void anHttp10SwitchingProtocolsFailsTheConnect() throws Exception {
        // RFC 6455 §4.2.2 answers with HTTP/1.1 101, and RFC 9110 §15.2 sends no 1xx to an HTTP/1.0 client.
        try (HandMadeServer server = new HandMadeServer()) {
            CompletableFuture<Session> connect = client.connect(server.uri("/"), new Recorder());
            HandMadeServer.Accepted accepted = server.accept();
            accepted.raw().write(switching(accepted.request()).replace("HTTP/1.1 101", "HTTP/1.0 101"));
            Throwable cause = failure(connect);
            assertInstanceOf(HandshakeException.class, cause);
            assertTrue(cause.getMessage().contains("HTTP/1.0 101"), cause.getMessage());
        }
    }

    @Test
    void aPathBeyondAsciiGoesPercentEncodedAsUtf8() throws Exception {
        // RFC 3986 §2.5 and RFC 6455 §3: a request line carries ASCII; other characters go as their UTF-8 bytes.
        try (HandMadeServer server = new HandMadeServer()) {
            java.net.URI uri = java.net.URI.create(server.uri("/").toString() + "caf\u00e9/\u65e5?q=\u00fc");
            CompletableFuture<Session> connect = client.connect(uri, new Recorder());
            HandMadeServer.Accepted accepted = server.accept();
            String request = accepted.request();
            assertTrue(request.startsWith("GET /caf%C3%A9/%E6%97%A5?q=%C3%BC HTTP/1.1\r\n"), request);
            accepted.raw().write(switching(request));
            assertEquals("/caf%C3%A9/%E6%97%A5", connect.get(10, TimeUnit.SECONDS).path());
            accepted.raw().close();
        }
    }
}
