package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.handshake.HandshakeException;
import io.sockwave.protocol.handshake.HttpHeaders;
import io.sockwave.protocol.handshake.HttpResponse;
import io.sockwave.testsupport.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pre-upgrade hook, each outcome at the byte level through a real socket: refusals with their status, headers
 * and body (then the connection closed, and nothing the client pipelined delivered), acceptances that add headers,
 * choose the subprotocol and set attributes, asynchronous decisions that do not hold the loop, and the bound of the
 * handshake timeout.
 */
class UpgradeHookTest {
    private static final AttributeKey<String> USER = AttributeKey.of("user", String.class);
    private static final String TOKEN_OK = "Authorization: Bearer good\r\n";

    private Server server;
    private final Recorder listener = new Recorder();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Server.Builder builder() {
        return Server.builder().host("127.0.0.1").eventLoops(1);
    }

    /** Answers 401 unless the request carries the good token; then names the user "alice". */
    private static UpgradeDecision authenticate(UpgradeRequest request) {
        if (!"Bearer good".equals(request.header("Authorization"))) {
            return UpgradeDecision.reject(401, "a bearer token is required")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"chat\"");
        }
        return UpgradeDecision.accept().withAttribute(USER, "alice").withHeader("Set-Cookie", "sid=1; HttpOnly");
    }

    private String exchange(String bytes) throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(bytes);
            return raw.readUntilEof();
        }
    }

    @Test
    void refusalWith401AndAChallengeIsSentAsGivenAndTheConnectionClosed() throws Exception {
        server = builder().route("/chat", UpgradeHook.of(UpgradeHookTest::authenticate), listener).build().start();
        assertEquals("HTTP/1.1 401 Unauthorized\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Connection: close\r\n"
                + "WWW-Authenticate: Bearer realm=\"chat\"\r\n"
                + "Date: (date)\r\n"
                + "Content-Length: 27\r\n"
                + "\r\n"
                + "a bearer token is required\n", RawSocket.undated(exchange(RawSocket.upgrade("/chat", ""))));
        assertTrue(listener.events.isEmpty());
    }

    @Test
    void refusalsCarryAnyStatusHeadersAndBody() throws Exception {
        AtomicReference<UpgradeDecision> next = new AtomicReference<>();
        server = builder().upgradeHook(UpgradeHook.of(request -> next.get())).route("/chat", listener).build().start();

        next.set(UpgradeDecision.reject(403, "banned"));
        assertTrue(exchange(RawSocket.upgrade("/chat", "")).startsWith("HTTP/1.1 403 Forbidden\r\n"));

        next.set(UpgradeDecision.reject(429, "slow down").withHeader("Retry-After", "30"));
        String limited = exchange(RawSocket.upgrade("/chat", ""));
        assertTrue(limited.startsWith("HTTP/1.1 429 Too Many Requests\r\n"), limited);
        assertTrue(limited.contains("\r\nRetry-After: 30\r\n") && limited.endsWith("\r\n\r\nslow down\n"), limited);

        next.set(UpgradeDecision.redirect(307, "ws://127.0.0.1:1/elsewhere"));
        String moved = exchange(RawSocket.upgrade("/chat", ""));
        assertTrue(moved.startsWith("HTTP/1.1 307 Temporary Redirect\r\n"), moved);
        assertTrue(moved.contains("\r\nLocation: ws://127.0.0.1:1/elsewhere\r\n"), moved);

        HttpResponse page = HttpResponse.of(200, "text/html; charset=utf-8",
                "<p>use the app</p>".getBytes(StandardCharsets.UTF_8));
        next.set(UpgradeDecision.reject(page));
        String html = exchange(RawSocket.upgrade("/chat", ""));
        assertTrue(html.startsWith("HTTP/1.1 200 OK\r\n") && html.endsWith("\r\n\r\n<p>use the app</p>"), html);
        assertTrue(html.contains("\r\nConnection: close\r\n"), html);
        assertTrue(listener.events.isEmpty());
    }

    /** A client that pipelines a frame right behind its upgrade request must not reach the listener if refused. */
    @Test
    void messagePipelinedAfterARefusedUpgradeNeverReachesTheListener() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        server = builder().route("/chat", request -> {
            asked.incrementAndGet();
            // Decided later, so that the frame has certainly arrived at the server while the hook waits.
            return CompletableFuture.supplyAsync(() -> UpgradeHookTest.authenticate(request),
                    CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
        }, listener).build().start();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(RawSocket.upgrade("/chat", "").getBytes(StandardCharsets.ISO_8859_1));
        bytes.writeBytes(RawSocket.masked(0x81, "smuggled"));
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(bytes.toByteArray());
            String response = raw.readUntilEof();
            assertTrue(response.startsWith("HTTP/1.1 401 Unauthorized\r\n"), response);
        }
        assertEquals(1, asked.get());
        Thread.sleep(100);
        assertTrue(listener.events.isEmpty(), "the listener saw " + listener.events);
    }

    @Test
    void messagePipelinedAfterAnAcceptedUpgradeArrivesAfterOnOpen() throws Exception {
        server = builder().route("/chat", request -> CompletableFuture.supplyAsync(() -> authenticate(request),
                CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)), listener).build().start();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(RawSocket.upgrade("/chat", TOKEN_OK).getBytes(StandardCharsets.ISO_8859_1));
        bytes.writeBytes(RawSocket.masked(0x81, "first"));
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(bytes.toByteArray());
            String head = raw.readHead();
            assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head);
            assertTrue(head.contains("\r\nSet-Cookie: sid=1; HttpOnly\r\n"), head);
            listener.expect("open");
            listener.expect("text:first");
            assertEquals("alice", listener.opened.get().attribute(USER));
        }
    }

    @Test
    void acceptanceMayChooseAnOfferedSubprotocolAndTheHookSeesTheRequest() throws Exception {
        AtomicReference<UpgradeRequest> seen = new AtomicReference<>();
        server = builder().subprotocols("chat.v1").route("/rooms/{name}", UpgradeHook.of(request -> {
            seen.set(request);
            return UpgradeDecision.accept().withSubprotocol("chat.v2");
        }), listener).build().start();
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.upgrade("/rooms/kitchen?token=a%20b&x=1&x=2",
                    "Sec-WebSocket-Protocol: chat.v1, chat.v2\r\nX-Trace: 7\r\n"));
            String head = raw.readHead();
            assertTrue(head.contains("\r\nSec-WebSocket-Protocol: chat.v2\r\n"), head);
            assertFalse(head.contains("chat.v1"), "one subprotocol only (RFC 6455 §4.2.2): " + head);
            assertEquals("chat.v2", listener.opened.get(10, TimeUnit.SECONDS).subprotocol());
        }
        UpgradeRequest request = seen.get();
        assertEquals("/rooms/kitchen", request.path());
        assertEquals("kitchen", request.pathParam("name"));
        assertEquals("a b", request.queryParam("token"));
        assertEquals(List.of("1", "2"), request.queryParams().get("x"));
        assertEquals("7", request.header("x-trace"));
        assertEquals(List.of("chat.v1", "chat.v2"), request.subprotocols());
        assertEquals("127.0.0.1", request.remoteAddress().getAddress().getHostAddress());
        assertEquals(server.port(), request.localAddress().getPort());
        assertNull(request.sslSession());
    }

    /**
     * RFC 9112 §3.2.2: an absolute-form target reaches the hook in origin-form, its authority as {@code Host}; the
     * path is given as sent, percent-encoded, and only the parameters are decoded.
     */
    @Test
    void hookSeesAnAbsoluteFormTargetInOriginFormAndThePathAsSent() throws Exception {
        AtomicReference<UpgradeRequest> seen = new AtomicReference<>();
        server = builder().route("/rooms/{name}", UpgradeHook.of(request -> {
            seen.set(request);
            return UpgradeDecision.accept();
        }), listener).build().start();
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.upgrade("ws://example.com:8080/rooms/caf%C3%A9?x=%41", ""));
            assertTrue(raw.readHead().startsWith("HTTP/1.1 101 "));
            assertEquals("/rooms/caf%C3%A9", listener.opened.get(10, TimeUnit.SECONDS).path());
        }
        UpgradeRequest request = seen.get();
        assertEquals("/rooms/caf%C3%A9?x=%41", request.target());
        assertEquals("/rooms/caf%C3%A9", request.path());
        assertEquals("caf\u00e9", request.pathParam("name"));
        assertEquals("x=%41", request.query());
        assertEquals("A", request.queryParam("x"));
        assertEquals("example.com:8080", request.header("Host"));
    }

    @Test
    void subprotocolTheClientDidNotOfferOrAFailingHookGets500() throws Exception {
        AtomicReference<UpgradeHook> next = new AtomicReference<>();
        server = builder().upgradeHook(request -> next.get().check(request)).route("/chat", listener).build().start();
        next.set(UpgradeHook.of(request -> UpgradeDecision.accept().withSubprotocol("unoffered")));
        assertTrue(exchange(RawSocket.upgrade("/chat", "")).startsWith("HTTP/1.1 500 "));
        next.set(request -> {
            throw new IllegalStateException("boom");
        });
        assertTrue(exchange(RawSocket.upgrade("/chat", "")).startsWith("HTTP/1.1 500 "));
        next.set(request -> CompletableFuture.failedFuture(new IllegalStateException("service down")));
        assertTrue(exchange(RawSocket.upgrade("/chat", "")).startsWith("HTTP/1.1 500 "));
        next.set(request -> null);
        assertTrue(exchange(RawSocket.upgrade("/chat", "")).startsWith("HTTP/1.1 500 "));
        assertTrue(listener.events.isEmpty());
    }

    @Test
    void serverHookRunsFirstAndBothAcceptancesCombine() throws Exception {
        AtomicInteger routeAsked = new AtomicInteger();
        server = builder()
                .upgradeHook(UpgradeHook.of(request -> request.queryParam("ban") != null
                        ? UpgradeDecision.reject(403, "banned")
                        : UpgradeDecision.accept().withHeader("X-Server", "1")))
                .route("/chat", UpgradeHook.of(request -> {
                    routeAsked.incrementAndGet();
                    return UpgradeDecision.accept().withHeader("X-Route", "2").withAttribute(USER, "bob");
                }), listener)
                .build()
                .start();
        assertTrue(exchange(RawSocket.upgrade("/chat?ban", "")).startsWith("HTTP/1.1 403 "));
        assertEquals(0, routeAsked.get(), "a refusal by the server's hook ends the check");
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.upgrade("/chat", ""));
            String head = raw.readHead();
            assertTrue(head.contains("\r\nX-Server: 1\r\nX-Route: 2\r\n"), head);
            assertEquals("bob", listener.opened.get(10, TimeUnit.SECONDS).attribute(USER));
        }
    }

    /** One loop serves an echo while a hook waits on a slow service: the decision does not hold the loop. */
    @Test
    void asynchronousHookDoesNotHoldTheEventLoop() throws Exception {
        CompletableFuture<UpgradeDecision> service = new CompletableFuture<>();
        server = builder()
                .route("/slow", request -> service, listener)
                .route("/echo", new EchoListener())
                .build()
                .start();
        try (RawSocket slow = RawSocket.connect(server.port()); RawSocket echo = RawSocket.connect(server.port())) {
            slow.write(RawSocket.upgrade("/slow", ""));
            echo.open("/echo");
            echo.write(RawSocket.masked(0x81, "meanwhile"));
            assertEquals("meanwhile", echo.readFrame().text());
            service.complete(UpgradeDecision.accept());
            assertTrue(slow.readHead().startsWith("HTTP/1.1 101 "));
            listener.expect("open");
        }
    }

    /**
     * A client that leaves while its hook decides: reading goes on meanwhile, so its leaving is seen at once and the
     * server holds nothing after; the acceptance that comes later opens no session, and the listener hears nothing.
     */
    @Test
    void clientLeavingWhileItsHookDecidesLeavesNothingBehind() throws Exception {
        CompletableFuture<UpgradeDecision> decision = new CompletableFuture<>();
        CountDownLatch asked = new CountDownLatch(1);
        server = builder().route("/chat", request -> {
            asked.countDown();
            return decision;
        }, listener).build().start();
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.upgrade("/chat", ""));
            assertTrue(asked.await(10, TimeUnit.SECONDS));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.stats().connections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(new ServerStats(0, 0, 0, 0, 0), server.stats(), "let go before the decision");
        decision.complete(UpgradeDecision.accept().withAttribute(USER, "alice"));
        assertEquals(new ServerStats(0, 0, 0, 0, 0), server.stats());
        assertNull(listener.events.poll(100, TimeUnit.MILLISECONDS), "no session for the gone client");
    }

    @Test
    void undecidedHookIsBoundedByTheHandshakeTimeoutWith503() throws Exception {
        server = builder().handshakeTimeout(Duration.ofMillis(300))
                .route("/chat", request -> new CompletableFuture<>(), listener).build().start();
        long start = System.nanoTime();
        String response = exchange(RawSocket.upgrade("/chat", ""));
        assertTrue(response.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), response);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertTrue(listener.events.isEmpty());
    }

    @Test
    void hookRunsOnTheCallbackExecutorWhenThereIsOne() throws Exception {
        AtomicReference<String> thread = new AtomicReference<>();
        Executor named = task -> new Thread(task, "hook-executor").start();
        server = builder().callbackExecutor(named).route("/chat", UpgradeHook.of(request -> {
            thread.set(Thread.currentThread().getName());
            return UpgradeDecision.accept();
        }), listener).build().start();
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.open("/chat");
        }
        assertEquals("hook-executor", thread.get());
    }

    @Test
    void hookSeesTheTlsSession() throws Exception {
        TestCertificates certificates = TestCertificates.loopback();
        AtomicReference<String> protocol = new AtomicReference<>();
        server = builder().tls(certificates.server()).route("/chat", UpgradeHook.of(request -> {
            protocol.set(request.sslSession().getProtocol());
            return UpgradeDecision.accept();
        }), listener).build().start();
        try (Client client = Client.create()) {
            client.connect(URI.create("wss://localhost:" + server.port() + "/chat"),
                    ClientOptions.builder().sslContext(certificates.client()).build(), new Recorder())
                    .get(10, TimeUnit.SECONDS);
        }
        assertTrue(protocol.get().startsWith("TLSv1."), protocol.get());
    }

    @Test
    void clientHandshakeExceptionCarriesStatusHeadersAndABoundedBody() throws Exception {
        AtomicReference<UpgradeDecision> next = new AtomicReference<>();
        server = builder().upgradeHook(UpgradeHook.of(request -> next.get())).route("/chat", listener).build().start();
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/chat");
        try (Client client = Client.create()) {
            next.set(UpgradeDecision.reject(429, "slow down").withHeader("Retry-After", "30"));
            HandshakeException limited = refusal(client, uri);
            assertEquals(429, limited.status());
            assertEquals("30", limited.headers().first("Retry-After"));
            assertArrayEquals("slow down\n".getBytes(StandardCharsets.UTF_8), limited.body());
            assertTrue(limited.getMessage().contains("429"), limited.getMessage());

            byte[] big = new byte[100_000];
            java.util.Arrays.fill(big, (byte) 'x');
            next.set(UpgradeDecision.reject(new HttpResponse(401, "Unauthorized",
                    new HttpHeaders().add("WWW-Authenticate", "Basic realm=\"x\""), big)));
            HandshakeException challenged = refusal(client, uri);
            assertEquals(401, challenged.status());
            assertEquals("Basic realm=\"x\"", challenged.headers().first("WWW-Authenticate"));
            assertEquals(Client.MAX_REFUSAL_BODY, challenged.body().length);
        }
    }

    private static HandshakeException refusal(Client client, URI uri) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client.connect(uri, new Recorder()).get(10, TimeUnit.SECONDS));
        return assertInstanceOf(HandshakeException.class, e.getCause());
    }

    @Test
    void decisionsRefuseWhatCannotBeSent() {
        assertThrows(IllegalArgumentException.class, () -> UpgradeDecision.reject(200, "no"));
        assertThrows(IllegalArgumentException.class, () -> UpgradeDecision.redirect(200, "/x"));
        assertThrows(IllegalArgumentException.class,
                () -> UpgradeDecision.accept().withHeader("Sec-WebSocket-Accept", "x"));
        assertThrows(IllegalArgumentException.class,
                () -> UpgradeDecision.reject(401, "no").withHeader("Content-Length", "1"));
        assertThrows(IllegalStateException.class, () -> UpgradeDecision.reject(401, "no").withSubprotocol("chat"));
        assertThrows(IllegalArgumentException.class, () -> UpgradeDecision.accept().withSubprotocol("a b"));
        // RFC 9110 §5.5: no CR, LF or NUL in a field value, so a hook cannot inject a header or split the response.
        assertThrows(IllegalArgumentException.class,
                () -> UpgradeDecision.accept().withHeader("Set-Cookie", "a=b\r\nX-Injected: 1"));
        assertThrows(IllegalArgumentException.class,
                () -> UpgradeDecision.reject(401, "no").withHeader("WWW-Authenticate", "Bearer\nX-Injected: 1"));
        assertThrows(IllegalArgumentException.class, () -> UpgradeDecision.redirect(307, "/x\r\nX-Injected: 1"));
        assertThrows(IllegalArgumentException.class, () -> UpgradeDecision.accept().withHeader("X-A", "v\0"));
        UpgradeDecision accept = UpgradeDecision.accept();
        assertNotNull(accept.withHeader("Set-Cookie", "a=b"));
        assertEquals(0, accept.headers().size(), "decisions are immutable");
    }

    /** A null argument is named in the exception, and a misuse says what goes with what. */
    @Test
    void decisionsNameTheArgumentTheyRefuse() {
        assertEquals("check", assertThrows(NullPointerException.class, () -> UpgradeHook.of(null)).getMessage(),
                "at once, not as a 500 on each upgrade");
        assertEquals("location", assertThrows(NullPointerException.class,
                () -> UpgradeDecision.redirect(307, null)).getMessage());
        assertEquals("name", assertThrows(NullPointerException.class,
                () -> UpgradeDecision.accept().withHeader(null, "v")).getMessage());
        assertEquals("value", assertThrows(NullPointerException.class,
                () -> UpgradeDecision.reject(401, "no").withHeader("WWW-Authenticate", null)).getMessage());
        assertEquals("key", assertThrows(NullPointerException.class,
                () -> UpgradeDecision.accept().withAttribute(null, "alice")).getMessage());
        assertEquals("value", assertThrows(NullPointerException.class,
                () -> UpgradeDecision.accept().withAttribute(USER, null)).getMessage());
        assertEquals("a subprotocol goes only with an acceptance, not with a 401 refusal",
                assertThrows(IllegalStateException.class,
                        () -> UpgradeDecision.reject(401, "no").withSubprotocol("chat")).getMessage());
        assertEquals("attributes go only with an acceptance, not with a 401 refusal",
                assertThrows(IllegalStateException.class,
                        () -> UpgradeDecision.reject(401, "no").withAttribute(USER, "alice")).getMessage());
    }
}
