package io.sockwave.protocol.handshake;

import static io.sockwave.protocol.handshake.Wire.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6455 §4.1: the client's request, and the checks it makes of the server's response. */
class Section4_1ClientHandshakeTest {
    private static ClientHandshake client(String uri) {
        return new ClientHandshake(URI.create(uri), new HttpHeaders(), List.of(), List.of());
    }

    private static ClientHandshake client(List<String> subprotocols) {
        return new ClientHandshake(URI.create("ws://a/"), new HttpHeaders(), subprotocols, List.of());
    }

    /** A correct 101 for this client, with further fields after the required ones. */
    private static String switching(ClientHandshake client, String fields) {
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + AcceptKey.derive(client.key()) + "\r\n" + fields + "\r\n";
    }

    private static HandshakeException failure(ClientHandshake client, String responseHead) {
        return assertThrows(HandshakeException.class, () -> client.verify(Wire.response(responseHead)));
    }

    @Test
    void writesTheRequestOfSection4_1() {
        ClientHandshake client = new ClientHandshake(URI.create("ws://server.example.com/chat"),
                new HttpHeaders().add("Origin", "http://example.com"), List.of("chat", "superchat"), List.of());
        assertEquals("GET /chat HTTP/1.1\r\n"
                + "Host: server.example.com\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + client.key() + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: chat, superchat\r\n"
                + "Origin: http://example.com\r\n"
                + "\r\n", text(client.request()));
        assertEquals(text(client.request()), text(client.request()), "the same request every time");
    }

    @Test
    void targetAndHeadersAreWhatTheRequestWrites() {
        ClientHandshake client = new ClientHandshake(URI.create("ws://[::1]:8080/p?q=1"),
                new HttpHeaders().add("Cookie", "a=b"), List.of("chat"), List.of());
        assertEquals("/p?q=1", client.target());
        StringBuilder head = new StringBuilder("GET " + client.target() + " HTTP/1.1\r\n");
        client.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        assertEquals(head + "\r\n", text(client.request()));
        assertEquals("[::1]:8080", client.headers().first("Host"));
        client.headers().add("X-Later", "v");
        assertNull(client.headers().first("X-Later"), "a copy each time");
    }

    @Test
    void theKeyIsSixteenFreshRandomBytesInBase64() {
        // §4.1 step 7: a nonce randomly selected for each connection.
        ClientHandshake first = client("ws://a/");
        assertEquals(16, Base64.getDecoder().decode(first.key()).length);
        assertEquals(24, first.key().length());
        assertNotEquals(first.key(), client("ws://a/").key());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ws://example.com/chat         | GET /chat HTTP/1.1           | example.com",
        "ws://example.com              | GET / HTTP/1.1               | example.com",
        "ws://example.com?x=1          | GET /?x=1 HTTP/1.1           | example.com",
        "ws://example.com:80/          | GET / HTTP/1.1               | example.com",
        "wss://example.com:443/        | GET / HTTP/1.1               | example.com",
        "ws://example.com:443/         | GET / HTTP/1.1               | example.com:443",
        "wss://example.com:80/         | GET / HTTP/1.1               | example.com:80",
        "ws://127.0.0.1:9000/a%20b?q=%2F&r | GET /a%20b?q=%2F&r HTTP/1.1 | 127.0.0.1:9000",
        "ws://[::1]:9000/              | GET / HTTP/1.1               | [::1]:9000",
        "wss://[::1]/                  | GET / HTTP/1.1               | [::1]",
        "ws://[fe80::1%25eth0]:9000/   | GET / HTTP/1.1               | [fe80::1]:9000",
        "wss://[fe80::1%25eth0]/       | GET / HTTP/1.1               | [fe80::1]",
        "ws://[fe80::1%eth0]/          | GET / HTTP/1.1               | [fe80::1]",
        "WS://Example.com/             | GET / HTTP/1.1               | Example.com",
        "ws://example.com/a/../b?x=/../y | GET /b?x=/../y HTTP/1.1    | example.com",
        "ws://example.com/a/./b/..     | GET /a/ HTTP/1.1             | example.com",
        "ws://example.com/../chat      | GET /chat HTTP/1.1           | example.com",
        "ws://example.com//a/.//b      | GET //a//b HTTP/1.1          | example.com",
    })
    void takesTargetAndHostFromTheUri(String uri, String requestLine, String host) {
        // §4.1 steps 1 and 4, §3: resource name and Host; the port only when it is not the scheme's default. An IPv6
        // zone (RFC 6874 §2, "%25" then the zone) names an interface of this host only: no Host carries it (§4).
        // Dot segments of the path are removed as for any absolute reference (RFC 3986 §5.2.2), never the query's.
        String request = text(client(uri).request());
        assertEquals(requestLine, request.substring(0, request.indexOf("\r\n")));
        assertEquals(host, Wire.request(request).headers().first("Host"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com/", "example.com", "ws:opaque", "ws://example.com/#frag",
        "ws:///path"})
    void refusesUrisThatAreNotWebSocketUris(String uri) {
        // §3: ws or wss, a host, and never a fragment.
        assertThrows(IllegalArgumentException.class, () -> client(uri));
    }

    /** RFC 7617 §2: the URI's user information goes as Basic credentials; RFC 6455 §3: never in the target or Host. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ws://alice:s3cret@example.com/chat      | alice:s3cret",
        "ws://alice@example.com/chat             | alice:",
        "ws://al%20ice:p%40ss+w%3Ard@example.com/chat | al ice:p@ss+w:rd",
        "wss://%C3%A9mile:%E2%82%AC@example.com/chat | émile:€",
    })
    void credentialsInTheUriGoAsBasicAuthorization(String uri, String pair) {
        String request = text(client(uri).request());
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                pair.getBytes(StandardCharsets.UTF_8));
        HttpRequest parsed = Wire.request(request);
        assertEquals(List.of(expected), parsed.headers().all("Authorization"), request);
        assertEquals("example.com", parsed.headers().first("Host"));
        assertTrue(request.startsWith("GET /chat HTTP/1.1\r\n"), request);
    }

    @Test
    void anAuthorizationFieldSetByTheApplicationWinsOverTheUrisCredentials() {
        HttpHeaders extra = new HttpHeaders().add("Authorization", "Bearer t");
        ClientHandshake client = new ClientHandshake(URI.create("ws://alice:pw@a/"), extra, List.of(), List.of());
        assertEquals(List.of("Bearer t"), Wire.request(text(client.request())).headers().all("Authorization"));
    }

    /** RFC 3986 §2.5: escapes are UTF-8 bytes; bytes that are not are refused, not sent as U+FFFD. */
    @ParameterizedTest
    @ValueSource(strings = {"ws://alice:%FF@example.com/", "ws://alice:p%C3@example.com/", "ws://%E2%82@example.com/"})
    void userInformationThatIsNotUtf8OncePercentDecodedIsRefused(String uri) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client(uri));
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
    }

    /** A URI refuses a malformed escape itself; user information given as a string is checked as well. */
    @ParameterizedTest
    @ValueSource(strings = {"alice:p%4", "alice:p%zz", "%"})
    void malformedPercentEncodingInUserInformationIsRefused(String userInfo) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BasicCredentials.fromUserInfo(userInfo));
        assertTrue(e.getMessage().startsWith("malformed percent-encoding"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws://a%3Ab:pw@example.com/", "ws://alice:p%0Aw@example.com/"})
    void credentialsThatBasicCannotCarryAreRefused(String uri) {
        // RFC 7617 §2: no colon in the user-id (the receiver would split there), no control characters.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client(uri));
        assertTrue(e.getMessage().contains("RFC 7617"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host", "upgrade", "CONNECTION", "Sec-WebSocket-Key", "sec-websocket-version",
        "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions", "Sec-WebSocket-Accept", "Content-Length",
        "Transfer-Encoding"})
    void refusesExtraHeadersThatWouldOverrideTheHandshakesOwn(String name) {
        HttpHeaders extra = new HttpHeaders().add("Cookie", "a=b").add(name, "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClientHandshake(URI.create("ws://a/"), extra, List.of(), List.of()));
        assertEquals("header " + name + " is written by the handshake itself", e.getMessage());
    }

    @Test
    void extraHeadersAreCopiedAndSentInOrderAfterTheHandshakesOwn() {
        HttpHeaders extra = new HttpHeaders().add("Cookie", "a=b").add("Authorization", "Bearer t");
        ClientHandshake client = new ClientHandshake(URI.create("ws://a/"), extra, List.of(), List.of());
        extra.add("X-Late", "not sent");
        String request = text(client.request());
        assertTrue(request.endsWith("Sec-WebSocket-Version: 13\r\nCookie: a=b\r\nAuthorization: Bearer t\r\n\r\n"),
                request);
    }

    @Test
    void refusesSubprotocolsThatCannotBeSent() {
        // §4.1 step 10: each a token, each unique.
        assertThrows(IllegalArgumentException.class, () -> client(List.of("chat", "chat")));
        assertThrows(IllegalArgumentException.class, () -> client(List.of("chat,v2")));
        assertThrows(IllegalArgumentException.class, () -> client(List.of("")));
    }

    @Test
    void acceptsACorrectResponse() {
        ClientHandshake client = client(List.of("chat", "superchat"));
        ClientHandshake.Accepted accepted = client.verify(Wire.response(switching(client,
                "Sec-WebSocket-Protocol: superchat\r\n")));
        assertEquals("superchat", accepted.subprotocol());
        assertEquals(List.of(), accepted.extensions());
        assertNull(client.verify(Wire.response(switching(client, ""))).subprotocol());
    }

    @Test
    void readsResponseTokensIgnoringCaseAndOptionalWhitespace() {
        ClientHandshake client = client("ws://a/");
        String response = "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nconnection: keep-alive, UPGRADE"
                + "\r\nsec-websocket-accept:   " + AcceptKey.derive(client.key()) + "  \r\n\r\n";
        assertEquals(List.of(), client.verify(Wire.response(response)).extensions());
    }

    @Test
    void anyStatusOtherThan101FailsWithThatStatus() {
        // §4.1 response step 1: a redirect or authentication challenge is handled by the caller, not accepted.
        ClientHandshake client = client("ws://a/");
        HandshakeException notFound = failure(client, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        assertEquals(404, notFound.status());
        assertEquals("server answered 404 Not Found, not 101 Switching Protocols", notFound.getMessage());
        HandshakeException ok = failure(client, "HTTP/1.1 200 OK\r\n\r\n");
        assertEquals(200, ok.status());
        assertEquals("server answered 200 OK, not 101 Switching Protocols", ok.getMessage());
        assertEquals("server answered 302, not 101 Switching Protocols",
                failure(client, "HTTP/1.1 302\r\nLocation: /x\r\n\r\n").getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Upgrade: websocket                 | Connection: Upgrade | ",
        "Upgrade: WebSocket                 | Connection: Upgrade | ",
        "Upgrade: h2c                       | Connection: Upgrade | Upgrade header is not websocket: h2c",
        "Upgrade: websocket, h2c            | Connection: Upgrade | Upgrade header is not websocket: websocket, h2c",
        "X: y                               | Connection: Upgrade | missing Upgrade header",
        "Upgrade: websocket                 | Connection: close   | Connection header does not list upgrade: close",
        "Upgrade: websocket                 | X: y                | missing Connection header",
    })
    void upgradeAndConnectionMustNameTheUpgrade(String upgrade, String connection, String problem) {
        // §4.1 response steps 2 and 3: Upgrade must match "websocket" itself, Connection must list "upgrade".
        ClientHandshake client = client("ws://a/");
        String response = "HTTP/1.1 101 Switching Protocols\r\n" + upgrade + "\r\n" + connection + "\r\n"
                + "Sec-WebSocket-Accept: " + AcceptKey.derive(client.key()) + "\r\n\r\n";
        if (problem == null) {
            assertNull(client.verify(Wire.response(response)).subprotocol());
            return;
        }
        HandshakeException e = failure(client, response);
        assertEquals(101, e.status());
        assertEquals("invalid handshake response: " + problem, e.getMessage());
    }

    @Test
    void theAcceptValueMustBePresentOnceAndDerivedFromOurKey() {
        // §4.1 response step 4 and §11.3.3 (at most once).
        ClientHandshake client = client("ws://a/");
        String head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
        String expected = AcceptKey.derive(client.key());
        assertEquals("invalid handshake response: missing Sec-WebSocket-Accept",
                failure(client, head + "\r\n").getMessage());
        assertEquals("invalid handshake response: duplicated Sec-WebSocket-Accept (2 fields)",
                failure(client, head + "Sec-WebSocket-Accept: " + expected + "\r\nSec-WebSocket-Accept: "
                        + expected + "\r\n\r\n").getMessage());
        String otherKeys = AcceptKey.derive("dGhlIHNhbXBsZSBub25jZQ==");
        assertEquals("invalid handshake response: wrong Sec-WebSocket-Accept: expected " + expected + ", got "
                + otherKeys, failure(client, head + "Sec-WebSocket-Accept: " + otherKeys + "\r\n\r\n").getMessage());
        String caseSwapped = swapCaseOfFirstLetter(expected);
        assertEquals("invalid handshake response: wrong Sec-WebSocket-Accept: expected " + expected + ", got "
                + caseSwapped, failure(client, head + "Sec-WebSocket-Accept: " + caseSwapped + "\r\n\r\n")
                .getMessage(), "base64 is case-sensitive");
    }

    private static String swapCaseOfFirstLetter(String s) {
        char[] chars = s.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (Character.isLetter(chars[i])) {
                chars[i] = Character.isUpperCase(chars[i])
                        ? Character.toLowerCase(chars[i]) : Character.toUpperCase(chars[i]);
                break;
            }
        }
        return new String(chars);
    }

    @Test
    void theSubprotocolMustBeOneThatWasOffered() {
        // §4.1 response step 6 and §11.3.4 (at most once in a response).
        ClientHandshake client = client(List.of("chat"));
        assertEquals("invalid handshake response: server chose subprotocol superchat, which was not offered "
                + "(offered: chat)", failure(client, switching(client, "Sec-WebSocket-Protocol: superchat\r\n"))
                .getMessage());
        assertEquals("invalid handshake response: server chose subprotocol CHAT, which was not offered "
                + "(offered: chat)", failure(client, switching(client, "Sec-WebSocket-Protocol: CHAT\r\n"))
                .getMessage());
        ClientHandshake offeredNone = client(List.of());
        assertEquals("invalid handshake response: server chose subprotocol chat, which was not offered",
                failure(offeredNone, switching(offeredNone, "Sec-WebSocket-Protocol: chat\r\n")).getMessage());
    }

    @Test
    void theServerMustChooseExactlyOneSubprotocol() {
        ClientHandshake client = client(List.of("chat", "superchat"));
        assertEquals("invalid handshake response: server must choose one subprotocol, but sent "
                + "Sec-WebSocket-Protocol: chat, superchat",
                failure(client, switching(client, "Sec-WebSocket-Protocol: chat, superchat\r\n")).getMessage());
        assertEquals("invalid handshake response: server must choose one subprotocol, but sent "
                + "Sec-WebSocket-Protocol: chat, chat", failure(client, switching(client,
                "Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Protocol: chat\r\n")).getMessage());
        assertEquals("invalid handshake response: server must choose one subprotocol, but sent "
                + "Sec-WebSocket-Protocol: ", failure(client, switching(client, "Sec-WebSocket-Protocol:\r\n"))
                .getMessage());
    }

    @Test
    void talksToTheServerHandshakeEndToEnd() {
        ClientHandshake client = new ClientHandshake(URI.create("ws://127.0.0.1:8080/chat?room=1"),
                new HttpHeaders().add("Origin", "http://127.0.0.1:8080"), List.of("v1", "v2"), List.of());
        ServerHandshake server = new ServerHandshake(List.of("v2"), List.of(),
                OriginPolicy.allowList(List.of("http://127.0.0.1:8080")));
        HttpRequest request = Wire.request(text(client.request()));
        assertEquals("/chat", request.path());
        assertEquals("room=1", request.query());
        ServerHandshake.Accepted serverSide = server.accept(request);
        ClientHandshake.Accepted clientSide = client.verify(Wire.response(text(serverSide.response().encode())));
        assertEquals("v2", serverSide.subprotocol());
        assertEquals("v2", clientSide.subprotocol());
    }
}
