package io.sockwave.protocol.handshake;

import static io.sockwave.protocol.handshake.Wire.body;
import static io.sockwave.protocol.handshake.Wire.respond;
import static io.sockwave.protocol.handshake.Wire.respondByteWise;
import static io.sockwave.protocol.handshake.Wire.statusLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 6455 §4.2.1 (reading the client's handshake) and §4.2.2 (sending the server's): request bytes in, response
 * bytes out.
 */
class Section4_2ServerHandshakeTest {
    private static final ServerHandshake PLAIN = new ServerHandshake(List.of(), List.of(), OriginPolicy.any());
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    /** A valid request with {@code fields} in place of the handshake's own fields. */
    private static String request(String requestLine, String fields) {
        return requestLine + "\r\n" + fields + "\r\n";
    }

    private static String valid(String extraFields) {
        return request("GET /chat HTTP/1.1", "Host: server.example.com\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n"
                + extraFields);
    }

    @Test
    void answersTheRfcSampleWithTheRfcSampleResponse() {
        // RFC 6455 §1.2 and §1.3: the sample key, its accept value, and the chat subprotocol chosen.
        ServerHandshake server = new ServerHandshake(List.of("chat"), List.of(), OriginPolicy.any());
        assertEquals("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ACCEPT + "\r\n"
                + "Sec-WebSocket-Protocol: chat\r\n"
                + "\r\n", respond(server, HttpHeadParserTest.RFC_REQUEST));
        assertEquals(respond(server, HttpHeadParserTest.RFC_REQUEST),
                respondByteWise(server, HttpHeadParserTest.RFC_REQUEST));
    }

    @Test
    void derivesTheAcceptValueOfSection1_3() {
        assertEquals(ACCEPT, AcceptKey.derive(KEY));
    }

    @Test
    void acceptsWithoutSubprotocolOrExtensionsWithExactlyTheRequiredFields() {
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ACCEPT + "\r\n\r\n", respond(PLAIN, valid("")));
    }

    @Test
    void readsTokenListsIgnoringCaseAndAcrossRepeatedFields() {
        // §4.2.1 items 3 and 4: Upgrade includes "websocket" and Connection includes "Upgrade", case-insensitively.
        String request = request("GET / HTTP/1.1", "host: a\r\nupgrade: h2c, WebSocket\r\n"
                + "connection: keep-alive\r\nCONNECTION: UPGRADE\r\nsec-websocket-key: " + KEY + "\r\n"
                + "sec-websocket-version: 13\r\n");
        assertEquals("HTTP/1.1 101 Switching Protocols", statusLine(respond(PLAIN, request)));
        assertEquals("HTTP/1.1 101 Switching Protocols", statusLine(respond(PLAIN, request("GET / HTTP/1.1",
                "Host: a\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Key: " + KEY
                        + "\r\nSec-WebSocket-Version: 13\r\n"))));
    }

    @Test
    void acceptsLaterHttp1MinorVersions() {
        // §4.2.1 item 1: "HTTP/1.1 or higher".
        String request = valid("").replace("HTTP/1.1", "HTTP/1.2");
        assertEquals("HTTP/1.1 101 Switching Protocols", statusLine(respond(PLAIN, request)));
    }

    @Test
    void aContentLengthOfZeroIsNoBody() {
        assertEquals("HTTP/1.1 101 Switching Protocols", statusLine(respond(PLAIN, valid("Content-Length: 0\r\n"))));
    }

    static Stream<Arguments> refusals() {
        String host = "Host: a\r\n";
        String upgrade = "Upgrade: websocket\r\n";
        String connection = "Connection: Upgrade\r\n";
        String key = "Sec-WebSocket-Key: " + KEY + "\r\n";
        String version = "Sec-WebSocket-Version: 13\r\n";
        String line = "GET / HTTP/1.1";
        return Stream.of(
                arguments("§4.2.1 item 1: HTTP/1.0", request("GET / HTTP/1.0", host + upgrade + connection + key
                        + version), "400 Bad Request", "HTTP/1.1 or later required, got HTTP/1.0"),
                arguments("§4.2.1 item 2: no Host", request(line, upgrade + connection + key + version),
                        "400 Bad Request", "missing Host header"),
                arguments("§4.2.1 item 2: two Hosts", request(line, host + host + upgrade + connection + key
                        + version), "400 Bad Request", "repeated Host header"),
                arguments("§4.2.1 item 2: empty Host", request(line, "Host:\r\n" + upgrade + connection + key
                        + version), "400 Bad Request", "empty Host header"),
                arguments("§4.2.1 item 3: no Upgrade", request(line, host + connection + key + version),
                        "400 Bad Request", "missing Upgrade header; a WebSocket handshake sends Upgrade: websocket"),
                arguments("§4.2.1 item 3: Upgrade without websocket", request(line, host + "Upgrade: h2c, web socket"
                        + "\r\n" + connection + key + version), "400 Bad Request",
                        "Upgrade header does not list websocket: h2c, web socket"),
                arguments("§4.2.1 item 4: no Connection", request(line, host + upgrade + key + version),
                        "400 Bad Request",
                        "missing Connection header; a WebSocket handshake sends Connection: Upgrade"),
                arguments("§4.2.1 item 4: Connection without upgrade", request(line, host + upgrade
                        + "Connection: keep-alive, upgraded\r\n" + key + version), "400 Bad Request",
                        "Connection header does not list upgrade: keep-alive, upgraded"),
                arguments("§4.2.1 item 5: no key", request(line, host + upgrade + connection + version),
                        "400 Bad Request", "missing Sec-WebSocket-Key"),
                arguments("§4.2.1 item 5: two keys", request(line, host + upgrade + connection + key + key
                        + version), "400 Bad Request", "repeated Sec-WebSocket-Key"),
                arguments("§4.2.1 item 5: key not base64", request(line, host + upgrade + connection
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=!\r\n" + version), "400 Bad Request",
                        "Sec-WebSocket-Key is not base64: dGhlIHNhbXBsZSBub25jZQ=!"),
                arguments("§4.3: key without its padding", request(line, host + upgrade + connection
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ\r\n" + version), "400 Bad Request",
                        "Sec-WebSocket-Key is not base64: dGhlIHNhbXBsZSBub25jZQ"),
                arguments("§4.3: padding inside the key", request(line, host + upgrade + connection
                        + "Sec-WebSocket-Key: dGhl=HNhbXBsZSBub25jZQ==\r\n" + version), "400 Bad Request",
                        "Sec-WebSocket-Key is not base64: dGhl=HNhbXBsZSBub25jZQ=="),
                arguments("§4.2.1 item 5: key of 15 bytes", request(line, host + upgrade + connection
                        + "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA\r\n" + version), "400 Bad Request",
                        "Sec-WebSocket-Key must decode to 16 bytes, not 15"),
                arguments("§4.2.1 item 5: key of 20 bytes", request(line, host + upgrade + connection
                        + "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n" + version), "400 Bad Request",
                        "Sec-WebSocket-Key must decode to 16 bytes, not 20"),
                arguments("§4.2.1 item 8: subprotocol not a token", request(line, host + upgrade + connection + key
                        + version + "Sec-WebSocket-Protocol: chat, chat v2\r\n"), "400 Bad Request",
                        "malformed Sec-WebSocket-Protocol: chat v2 is not a token"),
                arguments("§4.2.1 item 9: malformed extensions", request(line, host + upgrade + connection + key
                        + version + "Sec-WebSocket-Extensions: foo; =1\r\n"), "400 Bad Request",
                        "malformed Sec-WebSocket-Extensions: expected a parameter token at offset 5, found '='"),
                arguments("a body would be read as frames", request(line, host + upgrade + connection + key
                        + version + "Content-Length: 5\r\n"), "400 Bad Request",
                        "a WebSocket handshake has no body, but Content-Length is 5"),
                arguments("a chunked body would be read as frames", request(line, host + upgrade + connection + key
                        + version + "Transfer-Encoding: chunked\r\n"), "400 Bad Request",
                        "a WebSocket handshake has no body, but Transfer-Encoding is present"),
                arguments("two Origins", request(line, host + upgrade + connection + key + version
                        + "Origin: http://a\r\nOrigin: http://b\r\n"), "400 Bad Request", "repeated Origin header"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWithThePreciseStatusAndAOneLineReason(String rule, String request, String status, String reason) {
        String response = respond(PLAIN, request);
        assertEquals(response, respondByteWise(PLAIN, request), "the same answer whatever the chunking");
        assertEquals("HTTP/1.1 " + status, statusLine(response));
        assertEquals(reason + "\n", body(response));
        assertTrue(response.contains("\r\nConnection: close\r\n"), response);
    }

    @Test
    void refusesOtherMethodsWith405AndSaysGetIsAllowed() {
        // §4.2.1 item 1 requires GET; RFC 7231 §6.5.5 requires Allow on a 405.
        String reason = "method POST is not allowed; a WebSocket handshake is a GET request\n";
        assertEquals("HTTP/1.1 405 Method Not Allowed\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Connection: close\r\n"
                + "Allow: GET\r\n"
                + "Content-Length: " + reason.length() + "\r\n"
                + "\r\n" + reason, respond(PLAIN, valid("").replace("GET /chat", "POST /chat")));
        assertEquals("HTTP/1.1 405 Method Not Allowed", statusLine(respond(PLAIN, valid("").replace("GET", "get"))),
                "methods are case-sensitive (RFC 7230 §3.1.1)");
    }

    @Test
    void choosesTheServersMostPreferredSubprotocolThatTheClientOffered() {
        // §4.2.2 step 4 /subprotocol/: the server picks; it follows its own preference, not the client's order.
        ServerHandshake server = new ServerHandshake(List.of("v3", "v2", "v1"), List.of(), OriginPolicy.any());
        String response = respond(server, valid("Sec-WebSocket-Protocol: v1, v2\r\nSec-WebSocket-Protocol: x\r\n"));
        assertTrue(response.contains("\r\nSec-WebSocket-Protocol: v2\r\n"), response);
        HttpRequest request = Wire.request(valid("Sec-WebSocket-Protocol: v1\r\n"));
        assertEquals("v1", server.accept(request).subprotocol());
    }

    @Test
    void sendsNoSubprotocolWhenNoneIsInCommonButStillAccepts() {
        // §4.2.2: absence of the header means null; §4.1 leaves it to the client to go on or fail.
        ServerHandshake server = new ServerHandshake(List.of("chat"), List.of(), OriginPolicy.any());
        String response = respond(server, valid("Sec-WebSocket-Protocol: superchat, CHAT\r\n"));
        assertEquals("HTTP/1.1 101 Switching Protocols", statusLine(response));
        assertFalse(response.contains("Sec-WebSocket-Protocol"), "subprotocols compare case-sensitively");
        assertNull(server.accept(Wire.request(valid(""))).subprotocol());
    }

    @Test
    void emptySubprotocolAndExtensionFieldsOfferNothing() {
        // RFC 7230 §7: recipients skip empty list elements.
        ServerHandshake server = new ServerHandshake(List.of("chat"), List.of(), OriginPolicy.any());
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ACCEPT + "\r\n\r\n",
                respond(server, valid("Sec-WebSocket-Protocol:\r\nSec-WebSocket-Extensions: ,\r\n")));
    }

    @Test
    void refusesAnOriginThePolicyDoesNotAllowWith403() {
        // §4.2.2 step 4 /origin/ and §10.2.
        ServerHandshake server = new ServerHandshake(List.of(), List.of(),
                OriginPolicy.allowList(List.of("https://app.example.com")));
        String refused = respond(server, valid("Origin: https://evil.example.com\r\n"));
        assertEquals("HTTP/1.1 403 Forbidden", statusLine(refused));
        assertEquals("origin https://evil.example.com is not allowed\n", body(refused));
        assertEquals("HTTP/1.1 101 Switching Protocols",
                statusLine(respond(server, valid("Origin: HTTPS://App.Example.COM\r\n"))));
        assertEquals("HTTP/1.1 101 Switching Protocols", statusLine(respond(server, valid(""))),
                "a client without Origin is not a browser");
    }

    @Test
    void cutsLongPeerValuesInReasons() {
        String response = respond(PLAIN, valid("").replace("Upgrade: websocket", "Upgrade: " + "x".repeat(500)));
        assertEquals("Upgrade header does not list websocket: " + "x".repeat(64) + "...\n", body(response));
    }

    @Test
    void tellsUpgradeRequestsFromPlainHttp() {
        assertTrue(ServerHandshake.isUpgradeRequest(Wire.request("GET / HTTP/1.1\r\nUpgrade: h2c, WebSocket\r\n\r\n")));
        assertFalse(ServerHandshake.isUpgradeRequest(Wire.request("GET / HTTP/1.1\r\nHost: a\r\n\r\n")));
        assertFalse(ServerHandshake.isUpgradeRequest(Wire.request("GET / HTTP/1.1\r\nUpgrade: h2c\r\n\r\n")));
    }

    @Test
    void refusesConfigurationsThatCouldNotBeNegotiated() {
        assertThrows(IllegalArgumentException.class,
                () -> new ServerHandshake(List.of("chat", "chat"), List.of(), OriginPolicy.any()));
        assertThrows(IllegalArgumentException.class,
                () -> new ServerHandshake(List.of("chat v2"), List.of(), OriginPolicy.any()));
        assertThrows(IllegalArgumentException.class, () -> new ServerHandshake(List.of(),
                List.of(new FakeExtensionFactory("x", 0x40), new FakeExtensionFactory("X", 0x20)),
                OriginPolicy.any()));
    }
}
