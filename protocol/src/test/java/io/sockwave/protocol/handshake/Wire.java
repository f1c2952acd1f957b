package io.sockwave.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.Limits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Bytes in, bytes out: the helpers that let handshake tests work on what travels on the wire. */
final class Wire {
    private Wire() {
    }

    /** @return the head's bytes; tests write heads as Java strings with explicit CRLFs */
    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** @return the buffer's remaining bytes as text, without moving it */
    static String text(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    static HttpRequest request(String head) {
        HttpHeadParser parser = HttpHeadParser.requests(Limits.DEFAULTS);
        assertTrue(parser.parse(ByteBuffer.wrap(bytes(head))), "request head incomplete");
        return parser.request();
    }

    static HttpResponse response(String head) {
        HttpHeadParser parser = HttpHeadParser.responses(Limits.DEFAULTS);
        assertTrue(parser.parse(ByteBuffer.wrap(bytes(head))), "response head incomplete");
        return parser.response();
    }

    /**
     * What a server using this handshake puts on the wire in answer to the request bytes: the 101 when it
     * accepts, or the error response when the parser or the handshake refuses.
     */
    static String respond(ServerHandshake server, String requestHead) {
        HttpHeadParser parser = HttpHeadParser.requests(Limits.DEFAULTS);
        try {
            assertTrue(parser.parse(ByteBuffer.wrap(bytes(requestHead))), "request head incomplete");
            return written(server.accept(parser.request()));
        } catch (HandshakeException e) {
            return text(e.toResponse().encode());
        }
    }

    /** As {@link #respond}, with the request bytes arriving one at a time. */
    static String respondByteWise(ServerHandshake server, String requestHead) {
        HttpHeadParser parser = HttpHeadParser.requests(Limits.DEFAULTS);
        byte[] bytes = bytes(requestHead);
        try {
            boolean complete = false;
            for (int i = 0; i < bytes.length; i++) {
                assertFalse(complete, "complete before the last byte");
                complete = parser.parse(ByteBuffer.wrap(bytes, i, 1));
            }
            assertTrue(complete, "request head incomplete");
            return written(server.accept(parser.request()));
        } catch (HandshakeException e) {
            return text(e.toResponse().encode());
        }
    }

    /**
     * @return the 101 as a server writes it, straight into its buffer; checked to be the bytes of the response's
     *     header objects, and exactly {@link ServerHandshake.Accepted#encodedSize()} of them
     */
    static String written(ServerHandshake.Accepted accepted) {
        ByteBuffer out = ByteBuffer.allocate(accepted.encodedSize());
        accepted.encode(out);
        assertFalse(out.hasRemaining(), "encodedSize() is what encode(out) writes");
        String wire = text(out.flip());
        assertEquals(text(accepted.response().encode()), wire, "encode(out) writes the bytes of response()");
        return wire;
    }

    /** @return the status line of a response as text, without its CRLF */
    static String statusLine(String response) {
        return response.substring(0, response.indexOf("\r\n"));
    }

    /** @return the body of a response as text */
    static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
}
