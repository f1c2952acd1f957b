package io.sockwave.protocol.handshake;

import static io.sockwave.protocol.handshake.Wire.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.sockwave.protocol.Limits;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 7230 §3 message heads as the opening handshake (RFC 6455 §4.1, §4.2.1) reads them, byte by byte. */
class HttpHeadParserTest {
    /** The client handshake of RFC 6455 §1.2, with the version field §4.1 requires. */
    static final String RFC_REQUEST = "GET /chat HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Origin: http://example.com\r\n"
            + "Sec-WebSocket-Protocol: chat, superchat\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n";

    private static HttpHeadParser requests() {
        return HttpHeadParser.requests(Limits.DEFAULTS);
    }

    private static HandshakeException refusal(String head) {
        return assertThrows(HandshakeException.class, () -> requests().parse(ByteBuffer.wrap(bytes(head))));
    }

    private static void assertRefused(int status, String reason, String head) {
        HandshakeException e = refusal(head);
        assertEquals(status, e.status(), e.getMessage());
        assertEquals(reason, e.getMessage());
    }

    @Test
    void parsesTheRfcSampleRequest() {
        HttpRequest request = Wire.request(RFC_REQUEST);
        assertEquals("GET", request.method());
        assertEquals("/chat", request.target());
        assertEquals("HTTP/1.1", request.version());
        List<String> fields = new ArrayList<>();
        request.headers().forEach((name, value) -> fields.add(name + "=" + value));
        assertEquals(List.of("Host=server.example.com", "Upgrade=websocket", "Connection=Upgrade",
                "Sec-WebSocket-Key=dGhlIHNhbXBsZSBub25jZQ==", "Origin=http://example.com",
                "Sec-WebSocket-Protocol=chat, superchat", "Sec-WebSocket-Version=13"), fields);
    }

    @Test
    void stopsAtTheBlankLineAndLeavesFrameBytesInTheBuffer() {
        // RFC 6455 §4.1: the client may send frames right after its handshake; §4.2.2 likewise for the server.
        byte[] head = bytes(RFC_REQUEST);
        ByteBuffer in = ByteBuffer.allocate(head.length + 3);
        in.put(head).put(new byte[] {(byte) 0x81, (byte) 0x80, 0x01}).flip();
        assertTrue(requests().parse(in));
        assertEquals(head.length, in.position());
        assertEquals(3, in.remaining());
    }

    @Test
    void reportsIncompleteUntilTheBlankLineThenStaysComplete() {
        HttpHeadParser parser = requests();
        byte[] head = bytes(RFC_REQUEST);
        assertFalse(parser.parse(ByteBuffer.wrap(head, 0, head.length - 1)));
        assertThrows(IllegalStateException.class, parser::request);
        assertTrue(parser.parse(ByteBuffer.wrap(head, head.length - 1, 1)));
        ByteBuffer later = ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\n"));
        assertTrue(parser.parse(later));
        assertEquals(0, later.position(), "a complete parser consumes nothing more");
    }

    @Test
    void afterAResetTheNextHeadIsReadAsByANewParser() {
        HttpHeadParser parser = requests();
        assertTrue(parser.parse(ByteBuffer.wrap(bytes(RFC_REQUEST))));
        parser.reset();
        assertThrows(IllegalStateException.class, parser::request, "no head read since the reset");
        String next = "GET /other HTTP/1.1\r\nHost: b\r\n\r\n";
        assertTrue(parser.parse(ByteBuffer.wrap(bytes(next))));
        assertEquals(Wire.request(next), parser.request());

        // A refused head, or one cut inside a line, leaves nothing behind either.
        parser.reset();
        assertThrows(HandshakeException.class, () -> parser.parse(ByteBuffer.wrap(bytes("GET / HTTP/1.1\n"))));
        parser.reset();
        assertFalse(parser.parse(ByteBuffer.wrap(bytes("GET /cut HTTP/1.1\r\nHo"))));
        parser.reset();
        assertTrue(parser.parse(ByteBuffer.wrap(bytes(next))));
        assertEquals(Wire.request(next), parser.request());
    }

    @Test
    void theHeadLimitCountsFromTheReset() {
        String head = "GET / HTTP/1.1\r\nHost: b\r\n\r\n";
        HttpHeadParser parser = HttpHeadParser.requests(Limits.DEFAULTS.withMaxHandshakeBytes(head.length()));
        for (int i = 0; i < 3; i++) {
            assertTrue(parser.parse(ByteBuffer.wrap(bytes(head))), "head " + i);
            parser.reset();
        }
    }

    @Test
    void oneByteAtATimeAndRandomChunksGiveTheSameRequest() {
        byte[] head = bytes(RFC_REQUEST);
        HttpRequest whole = Wire.request(RFC_REQUEST);
        HttpHeadParser byteWise = requests();
        for (int i = 0; i < head.length; i++) {
            assertEquals(i == head.length - 1, byteWise.parse(ByteBuffer.wrap(head, i, 1)), "after byte " + i);
        }
        assertEquals(whole, byteWise.request());
        Random random = new Random(6455);
        for (int round = 0; round < 50; round++) {
            HttpHeadParser chunked = requests();
            int at = 0;
            boolean done = false;
            while (at < head.length) {
                int size = 1 + random.nextInt(Math.min(40, head.length - at));
                done = chunked.parse(ByteBuffer.wrap(head, at, size));
                at += size;
            }
            assertTrue(done);
            assertEquals(whole, chunked.request());
        }
    }

    @Test
    void headerNamesAreCaseInsensitiveAndValuesTrimmedOfOptionalWhitespace() {
        HttpRequest request = Wire.request("GET / HTTP/1.1\r\nhOsT:\t example.com \t\r\nX-Empty:\r\n\r\n");
        assertEquals("example.com", request.headers().first("HOST"));
        assertEquals("hOsT", nameOfField(request, 0), "the name is kept as sent");
        assertEquals("", request.headers().first("x-empty"));
    }

    private static String nameOfField(HttpRequest request, int index) {
        List<String> names = new ArrayList<>();
        request.headers().forEach((name, value) -> names.add(name));
        return names.get(index);
    }

    @Test
    void keepsInternalWhitespaceAndObsTextBytesOfValues() {
        HttpHeadParser parser = requests();
        byte[] head = bytes("GET / HTTP/1.1\r\nX-Name: caf\u00e9  au\tlait\r\n\r\n");
        assertTrue(parser.parse(ByteBuffer.wrap(head)));
        assertEquals("caf\u00e9  au\tlait", parser.request().headers().first("x-name"));
    }

    @Test
    void splitsTargetIntoPathAndQuery() {
        HttpRequest request = Wire.request("GET /chat/room?id=7&x=%20 HTTP/1.1\r\n\r\n");
        assertEquals("/chat/room", request.path());
        assertEquals("id=7&x=%20", request.query());
        assertNull(Wire.request("GET /chat HTTP/1.1\r\n\r\n").query());
    }

    @Test
    void skipsEmptyLinesBeforeTheRequestLine() {
        // RFC 7230 §3.5: a server SHOULD ignore at least one empty line before the request line.
        assertEquals("/x", Wire.request("\r\n\r\nGET /x HTTP/1.1\r\n\r\n").target());
    }

    @Test
    void parsesHttp10SoThatTheHandshakeCanRefuseIt() {
        assertEquals("HTTP/1.0", Wire.request("GET / HTTP/1.0\r\n\r\n").version());
    }

    static Stream<Arguments> malformedHeads() {
        return Stream.of(
                arguments("bare LF after the request line", "GET / HTTP/1.1\n\n",
                        "line ends with a bare LF; HTTP lines end with CRLF"),
                arguments("bare LF after a header", "GET / HTTP/1.1\r\nHost: a\n\r\n",
                        "line ends with a bare LF; HTTP lines end with CRLF"),
                arguments("bare CR inside a header", "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n",
                        "CR not followed by LF"),
                arguments("obsolete line folding", "GET / HTTP/1.1\r\nX-A: a\r\n b\r\n\r\n",
                        "obsolete line folding is not allowed (RFC 7230 §3.2.4)"),
                arguments("tab folding", "GET / HTTP/1.1\r\nX-A: a\r\n\tb\r\n\r\n",
                        "obsolete line folding is not allowed (RFC 7230 §3.2.4)"),
                arguments("no colon", "GET / HTTP/1.1\r\nHost example.com\r\n\r\n",
                        "whitespace between a header name and its colon (RFC 7230 §3.2.4)"),
                arguments("no colon, no space", "GET / HTTP/1.1\r\nHost\r\n\r\n",
                        "header line without a colon"),
                arguments("space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
                        "whitespace between a header name and its colon (RFC 7230 §3.2.4)"),
                arguments("tab before colon", "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n",
                        "whitespace between a header name and its colon (RFC 7230 §3.2.4)"),
                arguments("empty name", "GET / HTTP/1.1\r\n: a\r\n\r\n",
                        "header line with an empty name"),
                arguments("separator in name", "GET / HTTP/1.1\r\nX(a): b\r\n\r\n",
                        "character 0x28 is not allowed in a header name"),
                arguments("non-ASCII in name", "GET / HTTP/1.1\r\nX\u00e9: b\r\n\r\n",
                        "character 0xE9 is not allowed in a header name"),
                arguments("NUL in value", "GET / HTTP/1.1\r\nX-A: a\u0000b\r\n\r\n",
                        "character 0x00 is not allowed in a header value"),
                arguments("DEL in value", "GET / HTTP/1.1\r\nX-A: a\u007fb\r\n\r\n",
                        "character 0x7F is not allowed in a header value"),
                arguments("two spaces in request line", "GET  / HTTP/1.1\r\n\r\n",
                        "malformed request line: expected method, space, target, space, version"),
                arguments("no version", "GET /\r\n\r\n",
                        "malformed request line: expected method, space, target, space, version"),
                arguments("no target", "GET HTTP/1.1\r\n\r\n",
                        "malformed request line: expected method, space, target, space, version"),
                arguments("separator in method", "GE(T / HTTP/1.1\r\n\r\n",
                        "malformed request line: expected method, space, target, space, version"),
                arguments("control in target", "GET /a\u0001b HTTP/1.1\r\n\r\n",
                        "malformed request line: expected method, space, target, space, version"),
                arguments("non-ASCII target", "GET /caf\u00e9 HTTP/1.1\r\n\r\n",
                        "malformed request line: expected method, space, target, space, version"),
                arguments("lower-case version", "GET / http/1.1\r\n\r\n",
                        "malformed HTTP version"),
                arguments("two-digit minor version", "GET / HTTP/1.10\r\n\r\n",
                        "malformed HTTP version"),
                arguments("trailing space", "GET / HTTP/1.1 \r\n\r\n",
                        "malformed HTTP version"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedHeads")
    void refusesMalformedHeadsWith400(String rule, String head, String reason) {
        assertRefused(400, reason, head);
    }

    @Test
    void refusesMajorVersionsOtherThanOneWith505() {
        assertRefused(505, "HTTP/2.0 is not supported; this endpoint speaks HTTP/1.1", "GET / HTTP/2.0\r\n\r\n");
        assertRefused(505, "HTTP/0.9 is not supported; this endpoint speaks HTTP/1.1", "GET / HTTP/0.9\r\n\r\n");
    }

    @Test
    void refusesAtTheFirstOffendingByteWithoutWaitingForTheRest() {
        HttpHeadParser parser = requests();
        ByteBuffer in = ByteBuffer.wrap(bytes("GET / HTTP/1.1\nHost: never read\r\n\r\n"));
        assertThrows(HandshakeException.class, () -> parser.parse(in));
        assertEquals("GET / HTTP/1.1\n".length(), in.position());
        assertThrows(IllegalStateException.class, () -> parser.parse(ByteBuffer.wrap(bytes("\r\n"))));
    }

    @Test
    void acceptsAHeadOfExactlyTheByteLimit() {
        String start = "GET / HTTP/1.1\r\nX-Pad: ";
        int padding = 200 - start.length() - 4;
        String head = start + "p".repeat(padding) + "\r\n\r\n";
        assertEquals(200, head.length());
        HttpHeadParser parser = HttpHeadParser.requests(Limits.DEFAULTS.withMaxHandshakeBytes(200));
        assertTrue(parser.parse(ByteBuffer.wrap(bytes(head))));
        HttpHeadParser tooSmall = HttpHeadParser.requests(Limits.DEFAULTS.withMaxHandshakeBytes(199));
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> tooSmall.parse(ByteBuffer.wrap(bytes(head))));
        assertEquals(431, e.status());
        assertEquals("request head exceeds 199 bytes", e.getMessage());
    }

    /** RFC 9112 §3: a request-target longer than the server will parse gets 414, not the head's 431. */
    @Test
    void aRequestLinePastTheLimitIs414() {
        String head = "GET /chat?" + "q".repeat(300) + " HTTP/1.1\r\nHost: a\r\n\r\n";
        HttpHeadParser parser = HttpHeadParser.requests(Limits.DEFAULTS.withMaxHandshakeBytes(200));
        HandshakeException e = assertThrows(HandshakeException.class, () -> parser.parse(ByteBuffer.wrap(bytes(head))));
        assertEquals(414, e.status());
        assertEquals("request line exceeds 200 bytes", e.getMessage());
    }

    @Test
    void refusesAMebibyteHeaderLineAsSoonAsTheLimitIsPassed() {
        byte[] huge = new byte[1 << 20];
        byte[] start = bytes("GET / HTTP/1.1\r\nCookie: ");
        System.arraycopy(start, 0, huge, 0, start.length);
        java.util.Arrays.fill(huge, start.length, huge.length, (byte) 'c');
        ByteBuffer in = ByteBuffer.wrap(huge);
        HandshakeException e = assertThrows(HandshakeException.class, () -> requests().parse(in));
        assertEquals(431, e.status());
        assertEquals("request head exceeds 8192 bytes", e.getMessage());
        assertEquals(8193, in.position(), "not one byte read past the limit");
    }

    @Test
    void refusesTheLimitCrossingByteWhenFedOneAtATime() {
        HttpHeadParser parser = requests();
        byte[] start = bytes("GET / HTTP/1.1\r\nCookie: ");
        int fed = 0;
        for (byte b : start) {
            parser.parse(ByteBuffer.wrap(new byte[] {b}));
            fed++;
        }
        while (fed < 8192) {
            assertFalse(parser.parse(ByteBuffer.wrap(new byte[] {'c'})));
            fed++;
        }
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> parser.parse(ByteBuffer.wrap(new byte[] {'c'})));
        assertEquals(431, e.status());
    }

    @Test
    void acceptsExactlyTheHeaderCountLimitAndRefusesOneMoreWith431() {
        Limits limits = Limits.DEFAULTS.withMaxHandshakeHeaders(3);
        String three = "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n";
        assertTrue(HttpHeadParser.requests(limits).parse(ByteBuffer.wrap(bytes(three + "\r\n"))));
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> HttpHeadParser.requests(limits).parse(ByteBuffer.wrap(bytes(three + "D: 4\r\n\r\n"))));
        assertEquals(431, e.status());
        assertEquals("more than 3 header fields", e.getMessage());
    }

    @Test
    void defaultHeaderCountLimitIsAHundred() {
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < 101; i++) {
            head.append("X-").append(i).append(": v\r\n");
        }
        assertRefused(431, "more than 100 header fields", head.append("\r\n").toString());
    }

    @Test
    void parsingWorkIsLinearWhetherBytesComeOneByOneOrAllAtOnce() {
        // An 8000-byte head made of many short fields, then of one long field: a parser that rescanned what it
        // had buffered on every call would do quadratic work when fed one byte at a time.
        StringBuilder manyFields = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; manyFields.length() < 7960; i++) {
            manyFields.append("X-").append(i % 10).append(": ").append("v".repeat(i % 60)).append("\r\n");
        }
        String oneLongField = "GET / HTTP/1.1\r\nCookie: " + "c".repeat(7950) + "\r\n\r\n";
        for (String head : List.of(manyFields.append("\r\n").toString(), oneLongField)) {
            byte[] bytes = bytes(head);
            HttpHeadParser whole = HttpHeadParser.requests(Limits.DEFAULTS.withMaxHandshakeHeaders(1000));
            assertTrue(whole.parse(ByteBuffer.wrap(bytes)));
            HttpHeadParser byteWise = HttpHeadParser.requests(Limits.DEFAULTS.withMaxHandshakeHeaders(1000));
            for (int i = 0; i < bytes.length; i++) {
                byteWise.parse(ByteBuffer.wrap(bytes, i, 1));
            }
            assertEquals(whole.request(), byteWise.request());
            assertEquals(whole.work(), byteWise.work(), "chunking changes no work");
            assertTrue(byteWise.work() <= 5L * bytes.length,
                    "work " + byteWise.work() + " for " + bytes.length + " bytes");
        }
    }

    @Test
    void parsesStatusLinesWithOrWithoutAReasonPhrase() {
        HttpResponse switching = Wire.response("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n");
        assertEquals(101, switching.status());
        assertEquals("Switching Protocols", switching.reason());
        assertEquals("websocket", switching.headers().first("upgrade"));
        assertEquals(0, switching.body().length);
        assertEquals("", Wire.response("HTTP/1.1 101\r\n\r\n").reason(), "a missing final space is tolerated");
        assertEquals("", Wire.response("HTTP/1.1 404 \r\n\r\n").reason());
        assertEquals("Not Found For Sure", Wire.response("HTTP/1.0 404 Not Found For Sure\r\n\r\n").reason());
    }

    static Stream<Arguments> malformedResponses() {
        return Stream.of(
                arguments("HTTP/1.1 10 OK\r\n\r\n",
                        "malformed response: malformed status line: the status code is not three digits"),
                arguments("HTTP/1.1 1x1 OK\r\n\r\n",
                        "malformed response: malformed status line: the status code is not three digits"),
                arguments("HTTP/1.1 099 Low\r\n\r\n",
                        "malformed response: malformed status line: status 99 is below 100"),
                arguments("HTTP/1.1 1011 x\r\n\r\n",
                        "malformed response: malformed status line: expected a space after the status code"),
                arguments("HTTP/1.1  101 x\r\n\r\n",
                        "malformed response: malformed status line: the status code is not three digits"),
                arguments("HTTP/2.0 101 x\r\n\r\n",
                        "malformed response: HTTP/2.0 is not supported; this endpoint speaks HTTP/1.1"),
                arguments("HTTP/1.x 101 x\r\n\r\n", "malformed response: malformed HTTP version"),
                arguments("HTTP/1.1 101 A\u0001\r\n\r\n",
                        "malformed response: control character in the reason phrase"),
                arguments("HTTP/1.1 101 OK\nUpgrade: websocket\n\n",
                        "malformed response: line ends with a bare LF; HTTP lines end with CRLF"),
                arguments("HTTP/1.1 101 OK\r\nX: " + "y".repeat(9000) + "\r\n\r\n",
                        "response head exceeds 8192 bytes"));
    }

    @ParameterizedTest
    @MethodSource("malformedResponses")
    void refusesMalformedResponsesWithStatusZeroSinceNoneWasReceived(String head, String reason) {
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> HttpHeadParser.responses(Limits.DEFAULTS).parse(ByteBuffer.wrap(bytes(head))));
        assertEquals(0, e.status());
        assertEquals(reason, e.getMessage());
    }

    @Test
    void requestAndResponseAccessorsBelongToTheirParser() {
        HttpHeadParser requests = requests();
        assertTrue(requests.parse(ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\n\r\n"))));
        assertThrows(IllegalStateException.class, requests::response);
        HttpHeadParser responses = HttpHeadParser.responses(Limits.DEFAULTS);
        assertTrue(responses.parse(ByteBuffer.wrap(bytes("HTTP/1.1 200 OK\r\n\r\n"))));
        assertThrows(IllegalStateException.class, responses::request);
    }
}
