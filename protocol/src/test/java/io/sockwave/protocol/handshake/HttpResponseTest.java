package io.sockwave.protocol.handshake;

import static io.sockwave.protocol.handshake.Wire.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 7230 §3 and §3.3.2 as responses are written on the wire. */
class HttpResponseTest {
    @Test
    void aSwitchingProtocolsResponseEndsAtItsBlankLineWithoutContentLength() {
        // RFC 7230 §3.3.2: a server MUST NOT send Content-Length in a 1xx response; frames follow the blank line.
        HttpResponse response = new HttpResponse(101, "Switching Protocols",
                new HttpHeaders().add("Upgrade", "websocket").add("Connection", "Upgrade"), null);
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
                text(response.encode()));
    }

    @Test
    void encodesIntoTheCallersBufferTheBytesItWouldAllocate() {
        HttpResponse response = HttpResponse.error(404, "no WebSocket endpoint at /x");
        ByteBuffer out = ByteBuffer.allocate(response.encodedSize() + 3).put((byte) '#');

        response.encode(out);

        assertEquals(1 + response.encodedSize(), out.position(), "advanced past the response, and no further");
        assertEquals("#" + text(response.encode()), text(out.flip()));
        assertThrows(BufferOverflowException.class,
                () -> response.encode(ByteBuffer.allocate(response.encodedSize() - 1)));
    }

    @Test
    void anErrorResponseHasAPlainTextBodyItsLengthAndClosesTheConnection() {
        assertEquals("HTTP/1.1 400 Bad Request\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Connection: close\r\n"
                + "Content-Length: 20\r\n"
                + "\r\n"
                + "missing Host header\n", text(HttpResponse.error(400, "missing Host header").encode()));
    }

    @Test
    void countsTheBodyInBytesNotCharacters() {
        HttpResponse response = HttpResponse.error(403, "origin caf\u00e9 refused");
        assertEquals(("origin caf\u00e9 refused\n").getBytes(StandardCharsets.UTF_8).length, response.body().length);
        String wire = text(response.encode());
        assertEquals("Content-Length: 21", wire.split("\r\n")[3]);
    }

    @Test
    void aPlainPageCarriesItsContentTypeAndLengthEvenWhenEmpty() {
        byte[] page = "<h1>hi</h1>".getBytes(StandardCharsets.US_ASCII);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 11\r\n\r\n<h1>hi</h1>",
                text(HttpResponse.of(200, "text/html", page).encode()));
        assertEquals("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n",
                text(HttpResponse.of(404, "text/plain", new byte[0]).encode()));
    }

    @Test
    void keepsAContentLengthTheCallerSet() {
        HttpResponse response = new HttpResponse(200, "OK", new HttpHeaders().add("Content-Length", "2"),
                new byte[] {'o', 'k'});
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", text(response.encode()));
    }

    @Test
    void anUnlistedStatusHasAnEmptyReasonAsTheGrammarAllows() {
        assertEquals("HTTP/1.1 599 \r\n", text(HttpResponse.error(599, "x").encode()).substring(0, 15));
        assertEquals("Upgrade Required", HttpResponse.reasonPhrase(426));
        assertEquals("Request Header Fields Too Large", HttpResponse.reasonPhrase(431));
    }

    @Test
    void theBodyCannotBeChangedFromOutside() {
        byte[] body = {'a'};
        HttpResponse response = HttpResponse.of(200, "text/plain", body);
        body[0] = 'b';
        response.body()[0] = 'c';
        assertArrayEquals(new byte[] {'a'}, response.body());
        assertEquals(HttpResponse.of(200, "text/plain", new byte[] {'a'}), response, "bodies compare by content");
    }

    @Test
    void refusesWhatCannotBeWritten() {
        HttpHeaders none = new HttpHeaders();
        assertThrows(IllegalArgumentException.class, () -> new HttpResponse(99, "x", none, null));
        assertThrows(IllegalArgumentException.class, () -> new HttpResponse(1000, "x", none, null));
        assertThrows(IllegalArgumentException.class, () -> new HttpResponse(200, "OK\r\nX: y", none, null));
        assertThrows(IllegalArgumentException.class, () -> new HttpResponse(101, "x", none, new byte[] {1}));
    }

    /**
     * RFC 9110 §6.4.1: 1xx, 204 and 304 responses have no content; a body given with them would be written after a
     * head that says nothing of it (no Content-Length for a 204, the selected representation's for a 304), where
     * the client reads the next response. Refused at construction, as for 1xx; empty bodies are fine.
     */
    @Test
    void noContentAndNotModifiedCannotCarryABodyPerRfc9110Section6_4_1() {
        HttpHeaders none = new HttpHeaders();
        for (int status : new int[] {204, 304}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new HttpResponse(status, "x", none, new byte[] {1}), "status " + status);
            assertEquals("a " + status + " response cannot carry a body", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> HttpResponse.of(status, "text/plain", new byte[] {1}));
        }
        assertEquals("HTTP/1.1 204 No Content\r\n\r\n", text(new HttpResponse(204, "No Content", none, null).encode()));
    }

    /**
     * RFC 9110 §8.6: "a server MUST NOT send Content-Length in such a response [304] unless its field value equals
     * the decimal number of octets that would have been sent in the content of a 200 (OK) response to the same
     * request": the empty body's 0 is not that, so none is added; one the caller set is the representation's.
     */
    @Test
    void notModifiedGetsNoContentLengthOfItsEmptyBodyPerRfc9110Section8_6() {
        HttpHeaders etag = new HttpHeaders().add("ETag", "\"v1\"");
        assertEquals("HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n",
                text(new HttpResponse(304, "Not Modified", etag, null).encode()));
        HttpHeaders length = new HttpHeaders().add("Content-Length", "1234");
        assertEquals("HTTP/1.1 304 Not Modified\r\nContent-Length: 1234\r\n\r\n",
                text(new HttpResponse(304, "Not Modified", length, null).encode()));
    }

    @Test
    void handshakeRefusalsCarryTheHeadersTheirStatusCallsFor() {
        // RFC 6455 §4.4: a 426 names the versions spoken, and RFC 9110 §15.5.22 the protocol (in Upgrade, listed in
        // Connection as §7.8 has it); RFC 7231 §6.5.5: a 405 names the allowed methods.
        assertEquals("HTTP/1.1 426 Upgrade Required\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade, close\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Content-Length: 4\r\n"
                + "\r\n"
                + "old\n", text(new HandshakeException(426, "old").toResponse().encode()));
        assertEquals("GET", new HandshakeException(405, "no").toResponse().headers().first("Allow"));
        assertEquals(0, new HandshakeException(400, "no").toResponse().headers().count("Allow"));
        assertThrows(IllegalStateException.class, () -> new HandshakeException(0, "client side").toResponse());
        assertThrows(IllegalStateException.class, () -> new HandshakeException(101, "client side").toResponse());
    }
}
