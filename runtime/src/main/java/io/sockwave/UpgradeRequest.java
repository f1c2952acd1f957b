package io.sockwave;

import io.sockwave.protocol.handshake.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSession;

/**
 * A WebSocket upgrade request as an {@link UpgradeHook} sees it: valid by RFC 6455 §4.2.1 and routed, before the
 * server answers it. Path and query are read as {@link Session} reads them. Thread-safe and immutable.
 */
public interface UpgradeRequest {
    /**
     * @return the request target in origin-form, as sent and not percent-decoded, e.g.
     *     {@code /rooms/kitchen?token=abc}; an absolute-form target ({@code GET ws://host/chat}) is given as its path
     *     and query, its authority being the {@code Host} (RFC 9112 §3.2.2)
     */
    String target();

    /**
     * @return the path, without the query, as sent: percent-encoded ({@code /caf%C3%A9}), while routes match its
     *     decoded segments; {@link #pathParam} gives the decoded values
     */
    String path();

    /**
     * @param name a parameter of the route's pattern, or {@code *} for the rest of a prefix route's path
     * @return its percent-decoded value, or null if the pattern has no such parameter
     */
    String pathParam(String name);

    /** @return every path parameter by name; unmodifiable */
    Map<String, String> pathParams();

    /** @return the query without the {@code ?}, as sent; null when there is none */
    String query();

    /**
     * @param name a query parameter's name, decoded
     * @return its first value, decoded as {@link Session#queryParam} says, or null when the query does not name it
     */
    default String queryParam(String name) {
        List<String> values = queryParams().get(name);
        return values == null ? null : values.get(0);
    }

    /** @return every query parameter with all its values, decoded; unmodifiable */
    Map<String, List<String>> queryParams();

    /** @return the request's header fields; a copy, which the hook may change freely to no effect */
    HttpHeaders headers();

    /**
     * @param name a header name, in any case
     * @return the first value of that header, or null when there is none
     */
    default String header(String name) {
        return headers().first(name);
    }

    /** @return the subprotocols the client offers, in its order of preference; empty when it offers none */
    List<String> subprotocols();

    /** @return the client's address */
    InetSocketAddress remoteAddress();

    /** @return the server's address this connection came to */
    InetSocketAddress localAddress();

    /**
     * @return the TLS session (peer certificates, cipher suite, SNI in its requested server names on Java 17+), or
     *     null for a plain connection
     */
    SSLSession sslSession();
}
