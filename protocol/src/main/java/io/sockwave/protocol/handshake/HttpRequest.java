package io.sockwave.protocol.handshake;

import java.util.Objects;

/**
 * The head of an HTTP/1.1 request: its request line and header fields (RFC 7230 §3).
 *
 * @param method the method token, e.g. {@code GET}; case-sensitive (RFC 7230 §3.1.1)
 * @param target the request target as sent, e.g. {@code /chat?room=1}
 * @param version the protocol version as sent, e.g. {@code HTTP/1.1}
 * @param headers the header fields; mutable and not thread-safe
 */
public record HttpRequest(String method, String target, String version, HttpHeaders headers) {
    /**
     * Creates the record, checking its components.
     *
     * @param method the method token, e.g. {@code GET}; case-sensitive (RFC 7230 §3.1.1)
     * @param target the request target as sent, e.g. {@code /chat?room=1}
     * @param version the protocol version as sent, e.g. {@code HTTP/1.1}
     * @param headers the header fields; mutable and not thread-safe
     * @throws NullPointerException if an argument is null
     */
    public HttpRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(headers, "headers");
    }

    /** @return the target up to, not including, the first {@code ?}; the whole target when there is none */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** @return the target after the first {@code ?}, possibly empty; null when there is no {@code ?} */
    public String query() {
        int q = target.indexOf('?');
        return q < 0 ? null : target.substring(q + 1);
    }
}
