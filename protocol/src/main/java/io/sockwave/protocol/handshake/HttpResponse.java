package io.sockwave.protocol.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An HTTP/1.1 response: status line, header fields and body (RFC 7230 §3). The body is copied on the way in and
 * out, so a response cannot be changed through it; the headers stay mutable so that a caller may add fields
 * before sending.
 *
 * @param status the status code, 100 to 999
 * @param reason the reason phrase, possibly empty
 * @param headers the header fields, without {@code Content-Length}, which {@link #encode()} adds
 * @param body the body; empty for a 1xx, 204 or 304 response, which has none (RFC 9110 §6.4.1)
 */
public record HttpResponse(int status, String reason, HttpHeaders headers, byte[] body) {
    private static final byte[] NO_BODY = {};

    /**
     * Creates the record, checking its components.
     *
     * @param status the status code, 100 to 999
     * @param reason the reason phrase, possibly empty
     * @param headers the header fields, without {@code Content-Length}, which {@link #encode()} adds
     * @param body the body; empty for a 1xx, 204 or 304 response, which has none (RFC 9110 §6.4.1)
     * @throws IllegalArgumentException if the status is not three digits, the reason holds a control character,
     *     or a 1xx, 204 or 304 response has a body
     * @throws NullPointerException if the reason or headers are null; a null body means an empty one
     */
    public HttpResponse {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must be three digits, was " + status);
        }
        Objects.requireNonNull(headers, "headers");
        for (int i = 0; i < reason.length(); i++) {
            if (!HttpHeaders.isFieldValueChar(reason.charAt(i))) {
                throw new IllegalArgumentException("reason phrase holds a control character: " + reason);
            }
        }
        body = body == null || body.length == 0 ? NO_BODY : body.clone();
        if ((status < 200 || status == 204 || status == 304) && body.length > 0) {
            throw new IllegalArgumentException("a " + status + " response cannot carry a body");
        }
    }

    /** @return a copy of the body */
    @Override
    public byte[] body() {
        return body.length == 0 ? NO_BODY : body.clone();
    }

    /**
     * A response to end a failed handshake or answer a plain HTTP request that cannot be served: the standard
     * reason phrase, {@code Connection: close} and a {@code text/plain} body of the message and a line feed.
     *
     * @param status the status code, 400 to 599 in practice
     * @param message one line saying what is wrong
     * @return the response
     */
    public static HttpResponse error(int status, String message) {
        HttpHeaders headers = new HttpHeaders()
                .add("Content-Type", "text/plain; charset=utf-8")
                .add("Connection", "close");
        return new HttpResponse(status, reasonPhrase(status), headers,
                (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A 426 Upgrade Required, closing the connection: it names the protocol to upgrade to ({@code Upgrade:
     * websocket}, RFC 9110 §15.5.22, listed in {@code Connection} as §7.8 has it) and the version this server
     * speaks ({@code Sec-WebSocket-Version: 13}, RFC 6455 §4.4).
     *
     * @param message one line saying what is wrong
     * @return the response
     */
    public static HttpResponse upgradeRequired(String message) {
        HttpHeaders headers = new HttpHeaders()
                .add("Content-Type", "text/plain; charset=utf-8")
                .add("Upgrade", "websocket")
                .add("Connection", "Upgrade, close")
                .add("Sec-WebSocket-Version", ServerHandshake.VERSION);
        return new HttpResponse(426, reasonPhrase(426), headers, (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A response to a plain HTTP request, such as a page served beside a WebSocket endpoint.
     *
     * @param status the status code
     * @param contentType the {@code Content-Type} value, e.g. {@code text/html; charset=utf-8}
     * @param body the body
     * @return the response, with the standard reason phrase
     * @throws IllegalArgumentException if the status is 1xx, 204 or 304 and the body is not empty
     */
    public static HttpResponse of(int status, String contentType, byte[] body) {
        HttpHeaders headers = new HttpHeaders().add("Content-Type", contentType);
        return new HttpResponse(status, reasonPhrase(status), headers, body);
    }

    /**
     * Writes the response as it goes on the wire. {@code Content-Length} is added unless the headers already
     * have one or the status forbids it (1xx and 204, RFC 9110 §8.6), so that the peer knows where the body
     * ends; a 101 therefore ends at its blank line and frames may follow at once. A 304 gets none either: its
     * {@code Content-Length}, if any, is the selected representation's (§8.6, §15.4.5), which only the caller
     * knows, not its empty body's.
     *
     * @return a new buffer, positioned at 0, holding the status line, header fields, blank line and body
     */
    public ByteBuffer encode() {
        return encode(ByteBuffer.allocate(encodedSize())).flip();
    }

    /**
     * Writes the response as {@link #encode()} does, into a buffer of the caller's: a server that reuses its
     * buffers answers a handshake without allocating one.
     *
     * @param out where the response goes, with at least {@link #encodedSize()} bytes remaining
     * @return {@code out}, its position advanced past the response
     * @throws java.nio.BufferOverflowException if {@code out} has less room than the response needs
     */
    public ByteBuffer encode(ByteBuffer out) {
        String contentLength = contentLength();
        latin1(out, "HTTP/1.1 ");
        // The status is three digits, as the constructor checks.
        out.put((byte) ('0' + status / 100)).put((byte) ('0' + status / 10 % 10)).put((byte) ('0' + status % 10));
        out.put((byte) ' ');
        latin1(out, reason);
        latin1(out, "\r\n");
        for (int i = 0; i < headers.size(); i++) {
            field(out, headers.name(i), headers.value(i));
        }
        if (contentLength != null) {
            field(out, "Content-Length", contentLength);
        }
        latin1(out, "\r\n");
        return out.put(body);
    }

    /** @return how many bytes {@link #encode()} writes */
    public int encodedSize() {
        String contentLength = contentLength();
        int size = "HTTP/1.1 000 \r\n\r\n".length() + reason.length() + body.length;
        for (int i = 0; i < headers.size(); i++) {
            size += headers.name(i).length() + headers.value(i).length() + ": \r\n".length();
        }
        if (contentLength != null) {
            size += "Content-Length: \r\n".length() + contentLength.length();
        }
        return size;
    }

    /**
     * @return the Content-Length field to add, or null when the headers have one, the status forbids it, or it would
     *     not be the body's length (304)
     */
    private String contentLength() {
        boolean notTheBodys = status < 200 || status == 204 || status == 304;
        return !notTheBodys && headers.count("Content-Length") == 0 ? Integer.toString(body.length) : null;
    }

    private static void field(ByteBuffer out, String name, String value) {
        latin1(out, name);
        latin1(out, ": ");
        latin1(out, value);
        latin1(out, "\r\n");
    }

    /** Header text is ISO-8859-1 ({@link HttpHeaders#add} refuses anything beyond U+00FF). */
    private static void latin1(ByteBuffer out, String text) {
        for (int i = 0; i < text.length(); i++) {
            out.put((byte) text.charAt(i));
        }
    }

    /**
     * @param status a status code
     * @return its reason phrase from RFC 7231 §6.1 (or RFC 6585 for 429 and 431); empty for a code not listed,
     *     which the status-line grammar allows
     */
    public static String reasonPhrase(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 413 -> "Payload Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> "";
        };
    }

    /** Compares bodies by content, which the generated record equality would compare by identity. */
    @Override
    public boolean equals(Object o) {
        return o instanceof HttpResponse r && status == r.status && reason.equals(r.reason)
                && headers.equals(r.headers) && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, reason, headers, Arrays.hashCode(body));
    }

    /** @return the status line and headers, and the body's length */
    @Override
    public String toString() {
        return "HTTP/1.1 " + status + " " + reason + "\n" + headers + "(" + body.length + " body bytes)";
    }
}
