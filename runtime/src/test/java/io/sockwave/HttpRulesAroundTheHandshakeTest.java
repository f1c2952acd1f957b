package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.handshake.HandshakeException;
import io.sockwave.protocol.handshake.HttpHeaders;
import io.sockwave.protocol.handshake.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP rules around the opening handshake that RFC 6455 leaves to HTTP (RFC 9110, RFC 9112, RFC 3986), and the
 * client's reading of the 101 (RFC 6455 §4.1), each through real sockets.
 */
class HttpRulesAroundTheHandshakeTest {
    private static final String HEADERS = "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";

    private Server server;
    private final Client client = Client.create();

    @BeforeEach
    void start() throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(1)
                .httpHandler(request -> switch (request.path()) {
                    case "/" -> HttpResponse.of(200, "text/plain; charset=utf-8",
                            "page".getBytes(StandardCharsets.UTF_8));
                    case "/interim" -> new HttpResponse(100, "Continue", new HttpHeaders(), null);
                    case "/switch" -> new HttpResponse(101, "Switching Protocols",
                            new HttpHeaders().add("Upgrade", "websocket"), null);
                    case "/invalid" -> new HttpResponse(600, "", new HttpHeaders(), null);
                    default -> HttpResponse.error(404, "nothing at " + request.path());
                })
                .route("/chat", new Recorder())
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private String exchange(String request) throws Exception {
        return RawSocket.exchange(server.port(), request);
    }

    /**
     * RFC 6455 §4.4 has the server answer an unsupported version with 426 and Sec-WebSocket-Version; RFC 9110 §15.5.22
     * (and §7.8): "The server MUST send an Upgrade header field in a 426 response to indicate the required
     * protocol(s)". Every 426 carries {@code Upgrade: websocket}, the one for a bad version too.
     */
    @Test
    void rfc6455_4_4_and_rfc9110_15_5_22_versionMismatch426CarriesUpgrade() throws Exception {
        String response = exchange("GET /chat HTTP/1.1\r\n" + HEADERS.replace("Version: 13", "Version: 8") + "\r\n");
        assertTrue(response.startsWith("HTTP/1.1 426 "), response);
        assertTrue(response.contains("\r\nSec-WebSocket-Version: 13\r\n"), response);
        assertTrue(response.contains("\r\nUpgrade: websocket\r\n"), "426 without Upgrade: " + response);
    }

    /** Same rule, for the 426 a missing Sec-WebSocket-Version gets. */
    @Test
    void rfc6455_4_4_and_rfc9110_15_5_22_missingVersion426CarriesUpgrade() throws Exception {
        String response = exchange("GET /chat HTTP/1.1\r\n" + HEADERS.replace("Sec-WebSocket-Version: 13\r\n", "")
                + "\r\n");
        assertTrue(response.startsWith("HTTP/1.1 426 "), response);
        assertTrue(response.contains("\r\nUpgrade: websocket\r\n"), "426 without Upgrade: " + response);
    }

    /**
     * RFC 9110 §7.8: "A server MUST ignore an Upgrade header field that is received in an HTTP/1.0 request." The
     * request is then a plain GET, which the HTTP handler serves.
     */
    @Test
    void rfc9110_7_8_upgradeInAnHttp10RequestIsIgnored() throws Exception {
        String response = exchange("GET / HTTP/1.0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        assertTrue(response.endsWith("\r\n\r\npage"), response);
    }

    /**
     * RFC 9110 §15.2: a 1xx is an interim response, which a final one must follow; the connection closes after the
     * handler's answer, so a 1xx from it would leave the client waiting for an answer that never comes (and a 101
     * to a request without Upgrade is forbidden outright: "A server MUST NOT switch protocols unless the received
     * message semantics can be honored by the new protocol", §7.8); §15: codes outside 100..599 are invalid.
     * Such an answer is a handler failure: 500.
     */
    @Test
    void rfc9110_15_2_handlerAnsweringWithAnInterimOrInvalidStatusGets500() throws Exception {
        for (String path : new String[] {"/interim", "/switch", "/invalid"}) {
            String response = exchange("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 500 "), path + " -> " + response);
        }
    }

    /**
     * RFC 6455 §3: "Fragment identifiers are meaningless in the context of WebSocket URIs and MUST NOT be used on
     * these URIs"; the origin-form of RFC 9112 §3.2.1 (absolute-path [ "?" query ]) has no '#', and §3.2 has a
     * recipient of an invalid request-line answer 400. A target with a fragment is 400.
     */
    @Test
    void rfc6455_3_and_rfc9112_3_2_targetWithAFragmentIs400() throws Exception {
        String response = exchange("GET /chat#x HTTP/1.1\r\n" + HEADERS + "\r\n");
        assertTrue(response.startsWith("HTTP/1.1 400 "), response);
    }

    /**
     * RFC 9112 §3: "A server that receives a request-target longer than any URI it wishes to parse MUST respond with
     * a 414 (URI Too Long) status code". The head's own limit answers 431.
     */
    @Test
    void rfc9112_3_overlongRequestTargetIs414() throws Exception {
        String response = exchange("GET /chat?" + "a".repeat(9000) + " HTTP/1.1\r\n" + HEADERS + "\r\n");
        assertTrue(response.startsWith("HTTP/1.1 414 "), response);
    }

    /**
     * RFC 6455 §4.1 (client, reading the response): "If the response lacks an |Upgrade| header field or the
     * |Upgrade| header field contains a value that is not an ASCII case-insensitive match for the value
     * "websocket", the client MUST _Fail the WebSocket Connection_." A 101 with {@code Upgrade: websocket, h2c}
     * fails.
     */
    @Test
    void rfc6455_4_1_clientFailsA101WhoseUpgradeIsNotExactlyWebsocket() throws Exception {
        try (HandMadeServer hand = new HandMadeServer()) {
            CompletableFuture<Session> connect = client.connect(hand.uri("/"), new Recorder());
            HandMadeServer.Accepted accepted = hand.accept();
            accepted.raw().write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket, h2c\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + RawSocket.acceptFor(accepted.request())
                    + "\r\n\r\n");
            ExecutionException e = assertThrows(ExecutionException.class, () -> connect.get(10, TimeUnit.SECONDS));
            assertInstanceOf(HandshakeException.class, e.getCause());
            accepted.raw().close();
        }
    }

    /**
     * RFC 9112 §6.3 rule 1: a 1xx response "cannot contain a message body"; it ends at the blank line after its
     * header fields, whatever Content-Length says (RFC 9110 §15.2). The 101's four announced bytes are the server's
     * first frame, and the client reads them as one, as python-websockets' and ws' clients do.
     */
    @Test
    void rfc9112_6_3_bytesAfterA101AreFramesWhateverItsContentLengthSays() throws Exception {
        try (HandMadeServer hand = new HandMadeServer()) {
            Recorder recorder = new Recorder();
            CompletableFuture<Session> connect = client.connect(hand.uri("/"), recorder);
            HandMadeServer.Accepted accepted = hand.accept();
            accepted.raw().write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + RawSocket.acceptFor(accepted.request()) + "\r\n"
                    + "Content-Length: 4\r\n\r\n");
            accepted.raw().write(new byte[] {(byte) 0x81, 0x02, 'h', 'i'});
            connect.get(10, TimeUnit.SECONDS);
            recorder.expect("open");
            recorder.expect("text:hi");
            accepted.raw().close();
        }
    }

    /**
     * A redirect's Location is already a URI reference, percent-encoded (RFC 3986 §2.4: "implementations must not
     * percent-encode or decode the same string more than once"). The client follows {@code /a%20b?x=%41} to
     * exactly that target.
     */
    @Test
    void rfc3986_2_4_redirectLocationIsNotPercentEncodedTwice() throws Exception {
        try (HandMadeServer hand = new HandMadeServer()) {
            ClientOptions options = ClientOptions.builder().followRedirects(1).build();
            CompletableFuture<Session> connect = client.connect(hand.uri("/start"), options, new Recorder());
            hand.accept().raw().write("HTTP/1.1 302 Found\r\nLocation: /a%20b?x=%41\r\nContent-Length: 0\r\n\r\n");
            HandMadeServer.Accepted second = hand.accept();
            String requestLine = second.request().split("\r\n")[0];
            connect.cancel(true);
            second.raw().close();
            assertEquals("GET /a%20b?x=%41 HTTP/1.1", requestLine);
        }
    }

    /**
     * RFC 3986 §5.2: a Location is resolved with remove_dot_segments (§5.2.4), which drops "." and ".." segments, a
     * ".." above the root with them, and keeps empty segments: {@code /a//b} names another resource than {@code /a/b}.
     */
    @Test
    void rfc3986_5_2_redirectLocationKeepsEmptySegmentsAndDropsDotSegments() throws Exception {
        String[][] cases = {
            {"/x//y/z", "/a//b/./c/../d?q=%2F", "GET /a//b/d?q=%2F HTTP/1.1"},
            {"/x//y/z", "e/../f", "GET /x//y/f HTTP/1.1"},
            {"/x", "/a/b/../../../c", "GET /c HTTP/1.1"},
        };
        for (String[] c : cases) {
            try (HandMadeServer hand = new HandMadeServer()) {
                ClientOptions options = ClientOptions.builder().followRedirects(1).build();
                CompletableFuture<Session> connect = client.connect(hand.uri(c[0]), options, new Recorder());
                HandMadeServer.Accepted first = hand.accept();
                assertEquals("GET " + c[0] + " HTTP/1.1", first.request().split("\r\n")[0]);
                first.raw().write("HTTP/1.1 302 Found\r\nLocation: " + c[1] + "\r\nContent-Length: 0\r\n\r\n");
                HandMadeServer.Accepted second = hand.accept();
                String requestLine = second.request().split("\r\n")[0];
                connect.cancel(true);
                second.raw().close();
                assertEquals(c[2], requestLine, "Location " + c[1] + " from " + c[0]);
            }
        }
    }

    /**
     * A Location with raw bytes beyond ASCII (obs-text, RFC 9110 §5.5; not a valid URI reference, but servers send
     * UTF-8 there) is followed with exactly those bytes percent-encoded (RFC 3986 §2.1), as curl does: {@code café}
     * in UTF-8 goes as {@code caf%C3%A9}, not re-encoded as the UTF-8 of each byte read as a Latin-1 character.
     */
    @Test
    void rfc3986_2_1_bytesBeyondAsciiInALocationGoPercentEncodedAsReceived() throws Exception {
        try (HandMadeServer hand = new HandMadeServer()) {
            ClientOptions options = ClientOptions.builder().followRedirects(1).build();
            CompletableFuture<Session> connect = client.connect(hand.uri("/start"), options, new Recorder());
            hand.accept().raw().write(("HTTP/1.1 302 Found\r\nLocation: /caf\u00e9?q=\u00e9t\u00e9\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            HandMadeServer.Accepted second = hand.accept();
            String requestLine = second.request().split("\r\n")[0];
            connect.cancel(true);
            second.raw().close();
            assertEquals("GET /caf%C3%A9?q=%C3%A9t%C3%A9 HTTP/1.1", requestLine);
        }
    }
}
