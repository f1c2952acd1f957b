package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.handshake.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plain HTTP requests beside the WebSocket endpoints, at the byte level through a real socket: validated as
 * upgrades are (RFC 9112 §3.2 Host, §6.3 Content-Length), absolute-form targets accepted (§3.2.2), HEAD answered
 * without a body (RFC 9110 §9.3.2), and a plain request for a WebSocket route told to upgrade (426, RFC 9110
 * §15.5.22).
 */
class Rfc9112RequestValidationTest {
    private static final String PAGE = "<h1>hi</h1>";

    private Server server;
    private final List<String> served = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = Server.builder()
                .host("127.0.0.1")
                .eventLoops(1)
                .route("/chat", new EchoListener())
                .route("/", new EchoListener())
                .route("/rooms/{name}", new EchoListener())
                .httpHandler(request -> {
                    served.add(request.method() + " " + request.target() + " " + request.headers().first("Host"));
                    return request.path().equals("/")
                            ? HttpResponse.of(200, "text/html", PAGE.getBytes(StandardCharsets.UTF_8))
                            : HttpResponse.error(404, "nothing at " + request.path());
                })
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String exchange(String request) throws Exception {
        return RawSocket.exchange(server.port(), request);
    }

    private static String get(String target, String headers) {
        return "GET " + target + " HTTP/1.1\r\n" + headers + "\r\n";
    }

    @Test
    void headGetsTheHeadOfGetWithoutTheBody() throws Exception {
        String response = exchange("HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
        assertTrue(response.contains("\r\nContent-Length: " + PAGE.length() + "\r\n"), response);
        assertTrue(response.endsWith("\r\n\r\n"), "no body after the head: " + response);

        String missing = exchange("HEAD /missing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertTrue(missing.startsWith("HTTP/1.1 404 Not Found\r\n") && missing.endsWith("\r\n\r\n"), missing);

        String upgrade = exchange("HEAD /chat HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n");
        String plainOnRoute = exchange("HEAD /chat HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertTrue(plainOnRoute.startsWith("HTTP/1.1 426 ") && plainOnRoute.endsWith("\r\n\r\n"), plainOnRoute);
        // RFC 9110 §7.8, §9.3.2: a HEAD cannot switch protocols; its Upgrade is ignored, and it gets the same head.
        assertEquals(RawSocket.undated(plainOnRoute), RawSocket.undated(upgrade));
    }

    /** RFC 9112 §3.2: 400 for an HTTP/1.1 request without Host, with two, or with an invalid one. */
    @Test
    void hostIsRequiredOnceAndValid() throws Exception {
        assertStatus(400, get("/", ""));
        assertStatus(400, get("/", "Host: a\r\nHost: b\r\n"));
        assertStatus(400, get("/", "Host: a b\r\n"));
        assertStatus(400, get("/", "Host: a:port\r\n"));
        assertStatus(400, get("/", "Host: [::1\r\n"));
        assertStatus(400, RawSocket.upgrade("/chat", "Host: second\r\n"));
        assertTrue(served.isEmpty(), "the handler saw " + served);

        assertStatus(200, "GET / HTTP/1.0\r\n\r\n");
        assertStatus(200, get("/", "Host: [::1]:8080\r\n"));
        assertStatus(200, get("/", "Host: example.com:80\r\n"));
        assertStatus(200, get("/", "Host: \r\n"));
    }

    /** RFC 9112 §6.3: a Content-Length that cannot frame a body is an error, answered with 400. */
    @Test
    void contentLengthMustBeOneNumber() throws Exception {
        assertStatus(400, get("/", "Host: h\r\nContent-Length: -1\r\n"));
        assertStatus(400, get("/", "Host: h\r\nContent-Length: 5, 7\r\n"));
        assertStatus(400, get("/", "Host: h\r\nContent-Length: 5\r\nContent-Length: 7\r\n"));
        assertStatus(400, get("/", "Host: h\r\nContent-Length: 12345678901234567890\r\n"));
        assertStatus(400, get("/", "Host: h\r\nContent-Length: 0x10\r\n"));
        assertStatus(400, get("/", "Host: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n"));
        assertTrue(served.isEmpty(), "the handler saw " + served);
        assertStatus(200, get("/", "Host: h\r\nContent-Length: 0, 0\r\n"));
    }

    /**
     * RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1 request message that
     * lacks a Host header field and to any request message that contains more than one Host header field line or a
     * Host header field with an invalid field value." This holds for an absolute-form target too, whose authority
     * then replaces the Host received (§3.2.2): a Host missing, repeated or invalid is not hidden by it.
     */
    @Test
    void rfc9112_3_2_absoluteFormDoesNotExcuseAMissingRepeatedOrInvalidHost() throws Exception {
        assertStatus(400, get("http://example.com/", ""));
        assertStatus(400, get("http://example.com/", "Host: example.com\r\nHost: example.com\r\n"));
        assertStatus(400, get("http://example.com/", "Host: a b\r\n"));
        assertStatus(400, RawSocket.upgrade("http://127.0.0.1/chat", "Host: second\r\n"));
        assertTrue(served.isEmpty(), "the handler saw " + served);
        assertStatus(200, "GET http://example.com/ HTTP/1.0\r\n\r\n");
        assertEquals(List.of("GET / example.com"), served);
    }

    /** RFC 9112 §3.2.2: absolute-form is accepted, and its authority replaces the Host field. */
    @Test
    void absoluteFormTargetIsServedAsItsPathWithItsAuthorityAsHost() throws Exception {
        assertStatus(200, get("http://example.com:81/?a=1", "Host: ignored\r\n"));
        assertEquals(List.of("GET /?a=1 example.com:81"), served);
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.upgrade("http://127.0.0.1/chat", ""));
            assertTrue(raw.readHead().startsWith("HTTP/1.1 101 "));
            raw.write(RawSocket.masked(0x81, "hi"));
            assertEquals("hi", raw.readFrame().text());
        }
        assertStatus(400, get("mailto:someone", "Host: h\r\n"));
        assertStatus(400, get("chat", "Host: h\r\n"));
    }

    /**
     * RFC 9110 §15.5.22: a 426 names the protocol to upgrade to. The handler still serves what it knows on a routed
     * path ("/" here); what it answers 404 to becomes 426.
     */
    @Test
    void plainGetOnAWebSocketRouteGets426WithUpgrade() throws Exception {
        for (String target : new String[] {"/chat", "/rooms/kitchen?x=1"}) {
            String response = exchange(get(target, "Host: h\r\n"));
            assertTrue(response.startsWith("HTTP/1.1 426 Upgrade Required\r\n"), response);
            assertTrue(response.contains("\r\nUpgrade: websocket\r\n"), response);
            assertTrue(response.contains("\r\nConnection: Upgrade, close\r\n"), response);
        }
        assertStatus(404, get("/rooms", "Host: h\r\n"));
        assertStatus(200, get("/", "Host: h\r\n"));
    }

    private void assertStatus(int status, String request) throws Exception {
        String response = exchange(request);
        assertTrue(response.startsWith("HTTP/1.1 " + status + " "), request + "\n=> " + response);
        assertTrue(response.contains("\r\nConnection: close\r\n"), response);
    }

    @Test
    void aClientThatHalfClosesAfterItsRequestStillGetsTheAnswerMadeOnTheExecutor() throws Exception {
        // RFC 9112 §9.6: a client may close its sending side once its request is sent, and read the answer.
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (Server slow = Server.builder().host("127.0.0.1").eventLoops(1).callbackExecutor(executor)
                .httpHandler(request -> {
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return HttpResponse.of(200, "text/plain", "late".getBytes(StandardCharsets.UTF_8));
                }).build().start();
             RawSocket raw = RawSocket.connect(slow.port())) {
            raw.write("GET /page HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            raw.socket.shutdownOutput();
            String response = raw.readUntilEof();
            assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n") && response.endsWith("\r\n\r\nlate"), response);
        } finally {
            executor.shutdownNow();
        }
    }
}
