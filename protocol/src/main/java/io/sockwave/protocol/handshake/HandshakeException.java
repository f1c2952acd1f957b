package io.sockwave.protocol.handshake;

/**
 * The opening handshake failed. On the server it carries the HTTP status to answer with (and the message is the
 * one-line reason put in the response body); on the client the message says what the server got wrong, and a
 * refusal (a status other than 101) carries the response's headers and the start of its body, so that a client can
 * tell a 401 challenge, a 429 with {@code Retry-After} or a redirect apart.
 */
public class HandshakeException extends RuntimeException {
    private static final byte[] NO_BODY = {};

    /** The HTTP status to answer with, or the one received; 0 when there is none. */
    private final int status;
    /** A refusal's response header fields, or null; carried in the serialized form too. */
    private final HttpHeaders headers;
    /** The start of a refusal's response body; empty when there is none. */
    private final byte[] body;

    /**
     * @param status the HTTP status to answer with (server), or the status received (client), or 0 when there is none
     * @param reason one line saying what is wrong
     */
    public HandshakeException(int status, String reason) {
        this(status, reason, null, null);
    }

    /**
     * @param status the status received
     * @param reason one line saying what is wrong
     * @param headers the response's header fields, or null for none; kept as given
     * @param body the start of the response's body, or null for none; copied
     */
    public HandshakeException(int status, String reason, HttpHeaders headers, byte[] body) {
        super(reason);
        this.status = status;
        this.headers = headers;
        this.body = body == null || body.length == 0 ? NO_BODY : body.clone();
    }

    /**
     * @return a copy of the header fields of the response that refused the handshake (on a client); empty when
     *     there was no response, or on a server
     */
    public HttpHeaders headers() {
        HttpHeaders copy = new HttpHeaders();
        if (headers != null) {
            headers.forEach(copy::add);
        }
        return copy;
    }

    /**
     * @return a copy of the start of the refusing response's body, as sent (a client reads a bounded part of it,
     *     see the client's documentation); empty when there was none
     */
    public byte[] body() {
        return body.clone();
    }

    /** @return the HTTP status to answer with, or the one received; 0 when there is none */
    public int status() {
        return status;
    }

    /**
     * The server's answer to the refused request: {@link HttpResponse#error} with this status and message, plus
     * {@code Sec-WebSocket-Version: 13} on a 426 (RFC 6455 §4.4) with {@code Upgrade: websocket} (RFC 9110 §15.5.22),
     * and {@code Allow: GET} on a 405 (RFC 7231 §6.5.5).
     *
     * @return a new response, closing the connection
     * @throws IllegalStateException if the status is not an error status (400 to 599), as on a client
     */
    public HttpResponse toResponse() {
        if (status < 400 || status > 599) {
            throw new IllegalStateException("status " + status + " is not an error status to answer with");
        }
        if (status == 426) {
            return HttpResponse.upgradeRequired(getMessage());
        }
        HttpResponse response = HttpResponse.error(status, getMessage());
        if (status == 405) {
            response.headers().add("Allow", "GET");
        }
        return response;
    }

    /** @return a peer-supplied value cut to a length fit for a one-line message */
    static String excerpt(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "...";
    }
}
