package io.sockwave.protocol.extension;

import java.util.List;

/**
 * Negotiates one kind of extension in the opening handshake (RFC 6455 §9.1) and creates the per-connection
 * {@link Extension}. One factory serves many connections and must be thread-safe.
 */
public interface ExtensionFactory {
    /** @return the extension token this factory negotiates */
    String name();

    /**
     * Server side: picks the first of the client's offers of this extension that the server can honour.
     *
     * @param offers the client's offers with this factory's name, in the client's order of preference
     * @return the extension to run on the connection, whose {@link Extension#negotiated()} is sent in the
     *     response; or null to decline every offer
     */
    Extension accept(List<ExtensionOffer> offers);

    /** @return client side: the offers to send, most preferred first */
    List<ExtensionOffer> offers();

    /**
     * Client side: checks the server's acceptance against what was offered and creates the extension.
     *
     * @param response the element of the server's {@code Sec-WebSocket-Extensions} with this factory's name
     * @return the extension to run on the connection
     * @throws IllegalArgumentException with a readable message when the response is invalid or accepts something
     *     that was not offered
     */
    Extension accepted(ExtensionOffer response);
}
