package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.handshake.HttpHeaders;
import io.sockwave.protocol.handshake.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the server writes in answer to plain HTTP requests, read byte by byte off a real socket: the fields RFC 9110
 * has every answer carry (Date), the framing of bodies it owns (Content-Length, none where §8.6 forbids it), the
 * methods it answers itself (CONNECT, other methods on a WebSocket route), and a failing handler.
 */
class PlainHttpAnswersTest {
    /** RFC 9110 §5.6.7 IMF-fixdate: day-name "," SP 2DIGIT SP month SP 4DIGIT SP time SP "GMT". */
    private static final Pattern IMF_FIXDATE = Pattern.compile(
            "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4}"
                    + " \\d{2}:\\d{2}:\\d{2} GMT");

    private Server server;
    private final List<String> served = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(1)
                .route("/chat", new EchoListener())
                .upgradeHook(UpgradeHook.of(request -> request.queryParam("deny") != null
                        ? UpgradeDecision.reject(403, "denied")
                        : UpgradeDecision.accept()))
                .httpHandler(request -> {
                    served.add(request.method() + " " + request.target());
                    return switch (request.path()) {
                        case "/throw" -> throw new IllegalStateException("a failing handler");
                        case "/not-modified" -> new HttpResponse(304, "Not Modified",
                                new HttpHeaders().add("ETag", "\"v1\""), null);
                        case "/no-content" -> new HttpResponse(204, "No Content", new HttpHeaders(), null);
                        case "/no-content-with-length" -> new HttpResponse(204, "No Content",
                                new HttpHeaders().add("Content-Length", "0"), null);
                        case "/dated" -> {
                            HttpResponse response = HttpResponse.of(200, "text/plain", bytes("dated"));
                            response.headers().add("Date", "Sun, 06 Nov 1994 08:49:37 GMT");
                            yield response;
                        }
                        case "/chat" -> HttpResponse.error(404, "the handler serves nothing here");
                        default -> HttpResponse.of(200, "text/plain", bytes("ok"));
                    };
                })
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private String exchange(String request) throws Exception {
        return RawSocket.exchange(server.port(), request);
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    }

    /** @return the value of the one field with that name in the answer's head; fails if there is not exactly one */
    private static String field(String answer, String name) {
        String head = answer.substring(0, answer.indexOf("\r\n\r\n") + 2);
        String found = null;
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                assertTrue(found == null, "two " + name + " fields in " + answer);
                found = line.substring(colon + 1).strip();
            }
        }
        return found;
    }

    /**
     * RFC 9110 §6.6.1: "An origin server with a clock ... MUST generate a Date header field" in 2xx, 3xx and 4xx
     * responses, in IMF-fixdate (§5.6.7), whose day has two digits; the server's own answers (a parser's 400, a
     * route's 426, a hook's 403, a 500) are dated too, and a Date the handler set is kept.
     */
    @Test
    void rfc9110_6_6_1_everyAnswerIsDatedInImfFixdate() throws Exception {
        Instant before = Instant.now().minusSeconds(2);
        String[] requests = {
            get("/"),
            "HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            get("/not-modified"),
            get("/no-content"),
            get("/chat"),
            get("/throw"),
            "GET / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "X: y\r\n".repeat(200) + "\r\n",
            RawSocket.upgrade("/chat?deny=1", ""),
            RawSocket.upgrade("/none", ""),
        };
        for (String request : requests) {
            String answer = exchange(request);
            String date = field(answer, "Date");
            assertTrue(date != null && IMF_FIXDATE.matcher(date).matches(), "Date " + date + " in " + answer);
            Instant sent = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            assertTrue(!sent.isBefore(before) && !sent.isAfter(Instant.now().plusSeconds(2)), date);
        }
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", field(exchange(get("/dated")), "Date"));
    }

    /**
     * RFC 9110 §8.6: a 304's Content-Length, if any, is the length the 200 would have had ("a server MUST NOT send
     * Content-Length in such a response unless its field value equals the decimal number of octets that would have
     * been sent in the content of a 200"), so the server adds none for the 304's empty body, which it does not send
     * either (§6.4.1).
     */
    @Test
    void rfc9110_8_6_noContentLengthMadeUpForA304() throws Exception {
        String notModified = exchange(get("/not-modified"));
        assertTrue(notModified.startsWith("HTTP/1.1 304 Not Modified\r\n"), notModified);
        assertEquals(null, field(notModified, "Content-Length"), notModified);
        assertEquals("\"v1\"", field(notModified, "ETag"));
        assertTrue(notModified.endsWith("\r\n\r\n"), notModified);
    }

    /**
     * RFC 9110 §8.6: "A server MUST NOT send a Content-Length header field in any response with a status code of
     * 1xx (Informational) or 204 (No Content)": the server adds none, and a handler's own is a handler failure (500).
     */
    @Test
    void rfc9110_8_6_noContentLengthOnA204() throws Exception {
        String noContent = exchange(get("/no-content"));
        assertTrue(noContent.startsWith("HTTP/1.1 204 No Content\r\n") && noContent.endsWith("\r\n\r\n"), noContent);
        assertEquals(null, field(noContent, "Content-Length"), noContent);

        String withLength = exchange(get("/no-content-with-length"));
        assertTrue(withLength.startsWith("HTTP/1.1 500 "), withLength);
    }

    /**
     * RFC 9112 §6.3, §9.6: every answer is framed by its Content-Length, which is its body's length, and ends the
     * connection ({@code Connection: close}); the status line is exactly version, code and reason (§4).
     */
    @Test
    void rfc9112_4_and_6_3_everyAnswerHasAnExactStatusLineAndABodyOfItsContentLength() throws Exception {
        String[] requests = {get("/"), get("/chat"), get("/throw"), "BREW / HTTP/1.1\r\nHost: h\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", RawSocket.upgrade("/chat?deny=1", "")};
        Pattern statusLine = Pattern.compile("HTTP/1\\.1 [1-5]\\d\\d [\\x20-\\x7e]*\r\n");
        for (String request : requests) {
            String answer = exchange(request);
            int end = answer.indexOf("\r\n\r\n") + 4;
            Matcher line = statusLine.matcher(answer);
            assertTrue(line.lookingAt(), answer);
            assertTrue(field(answer, "Connection").toLowerCase(Locale.ROOT).endsWith("close"), answer);
            assertEquals(Integer.toString(answer.length() - end), field(answer, "Content-Length"), answer);
        }
    }

    /**
     * RFC 9110 §9.3.6: a 2xx to CONNECT makes the connection a tunnel, and "A server MUST NOT send any
     * Transfer-Encoding or Content-Length header fields in a 2xx (Successful) response to CONNECT". The server opens
     * no tunnels, so it answers CONNECT itself with 501 (§15.6.2), whatever the handler would have said.
     */
    @Test
    void rfc9110_9_3_6_connectIsAnswered501WithoutAskingTheHandler() throws Exception {
        String answer = exchange("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 501 Not Implemented\r\n"), answer);
        assertEquals(List.of(), served);
    }

    /**
     * RFC 9110 §9.3.6 and §7.8: {@code Upgrade} does not make a CONNECT a WebSocket handshake (RFC 6455 §4.1: that
     * is a GET), nor does it make the server a proxy: a CONNECT that carries the handshake's fields is 501 like any
     * other, not routed by its authority-form target (which would be a 404 naming the authority as a path).
     */
    @Test
    void rfc9110_9_3_6_connectWithUpgradeWebsocketIs501Too() throws Exception {
        String answer = exchange("CONNECT 127.0.0.1:80 HTTP/1.1\r\nHost: 127.0.0.1:80\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 501 Not Implemented\r\n"), answer);
        assertEquals(List.of(), served);
    }

    /**
     * RFC 9112 §3.2.4: {@code OPTIONS *} asks about the server, not a resource, so no route can serve it as a
     * WebSocket endpoint; RFC 9110 §7.8 lets a server ignore its {@code Upgrade} field, and the handler answers it as
     * it answers one without (not a 404 naming {@code *} as a path).
     */
    @Test
    void rfc9112_3_2_4_optionsAsteriskWithUpgradeWebsocketReachesTheHandler() throws Exception {
        String answer = exchange("OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
        assertEquals(List.of("OPTIONS *"), served);
    }

    /**
     * RFC 9112 §3.2.3: a CONNECT's target is authority-form, {@code uri-host ":" port}, and RFC 9110 §9.3.6: "A
     * server MUST reject a CONNECT request that targets an empty or invalid port number, typically by responding
     * with a 400 (Bad Request)". A malformed target is 400; a valid one is still 501 (the server is no proxy).
     */
    @Test
    void rfc9112_3_2_3_aConnectTargetThatIsNoHostAndPortIs400AndAValidOneIs501() throws Exception {
        for (String malformed : List.of("example.com", "example.com:", ":443", "example.com:0", "example.com:65536",
                "example.com:44x", "/", "http://example.com:443/", "user@example.com:443", "[::1]", "[::1]:",
                "example.com:443:443", "[::1:443")) {
            String answer = exchange("CONNECT " + malformed + " HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), malformed + ": " + answer);
        }
        for (String valid : List.of("example.com:1", "127.0.0.1:65535", "[::1]:443", "[2001:db8::7]:8080",
                "xn--bcher-kva.example:443", "sub_delims!$&'()*+,;=.example:80")) {
            String answer = exchange("CONNECT " + valid + " HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 501 Not Implemented\r\n"), valid + ": " + answer);
        }
        assertEquals(List.of(), served);
    }

    /**
     * RFC 9110 §15.5.6: a WebSocket route allows GET (the handshake), so another method on its path, which the
     * handler does not serve, is 405 with {@code Allow: GET}; GET and HEAD are told to upgrade (426, §15.5.22).
     */
    @Test
    void rfc9110_15_5_6_otherMethodsOnAWebSocketRouteAre405WithAllow() throws Exception {
        for (String method : new String[] {"POST", "PUT", "DELETE", "OPTIONS", "BREW"}) {
            String answer = exchange(method + " /chat HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 405 Method Not Allowed\r\n"), method + " -> " + answer);
            assertEquals("GET", field(answer, "Allow"), answer);
            assertEquals(null, field(answer, "Upgrade"), answer);
        }
        assertTrue(exchange(get("/chat")).startsWith("HTTP/1.1 426 "));
        assertTrue(exchange("HEAD /chat HTTP/1.1\r\nHost: h\r\n\r\n").startsWith("HTTP/1.1 426 "));
        assertTrue(exchange("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n").startsWith("HTTP/1.1 200 "),
                "paths without a route stay the handler's");
    }

    /**
     * RFC 9110 §15.6.1: a handler that throws is answered 500, the connection closed after it (RFC 9112 §9.6), and
     * the server goes on serving.
     */
    @Test
    void rfc9110_15_6_1_aThrowingHandlerIs500AndTheServerGoesOn() throws Exception {
        for (int i = 0; i < 3; i++) {
            String failed = exchange(get("/throw"));
            assertTrue(failed.startsWith("HTTP/1.1 500 Internal Server Error\r\n"), failed);
            assertEquals("close", field(failed, "Connection"));
            assertFalse(failed.contains("a failing handler"), "the exception stays in the log: " + failed);
        }
        assertTrue(exchange(get("/")).endsWith("\r\n\r\nok"));
        try (RawSocket raw = RawSocket.connect(server.port()).open("/chat")) {
            raw.write(RawSocket.masked(0x81, "still here"));
            assertEquals("still here", raw.readFrame().text());
        }
    }

    /**
     * RFC 9110 §15.6.4: a handler on the callback executor that has not answered within the handshake timeout leaves
     * the client a 503 (as an upgrade hook that has not decided does), not a connection closed without a word; its
     * late answer is dropped.
     */
    @Test
    void rfc9110_15_6_4_aHandlerTooSlowForTheHandshakeTimeoutLeavesA503() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        try (Server slow = Server.builder().host("127.0.0.1").eventLoops(1).callbackExecutor(executor)
                .handshakeTimeout(Duration.ofMillis(300))
                .httpHandler(request -> {
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return HttpResponse.of(200, "text/plain", bytes("too late"));
                }).build().start();
             RawSocket raw = RawSocket.connect(slow.port())) {
            raw.write(get("/slow"));
            String answer = raw.readUntilEof();
            release.countDown();
            assertTrue(answer.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), answer);
            assertTrue(answer.contains("\r\nConnection: close\r\n"), answer);
            assertFalse(answer.contains("too late"), answer);
        } finally {
            release.countDown();
            executor.shutdownNow();
        }
    }
}
