package io.sockwave.interop.matrix;

import java.net.URI;

/** A peer implementation's WebSocket client, which the matrix drives against Sockwave's server. */
public interface PeerClient extends AutoCloseable {
    /** How to connect: the subprotocols to offer, the permessage-deflate offer, and the CA to trust for wss://. */
    record Setup(java.util.List<String> subprotocols, DeflateOffer deflate, TestCertificates trust) {
        public static Setup plain() {
            return new Setup(java.util.List.of(), DeflateOffer.NONE, null);
        }
    }

    /** What permessage-deflate the client offers, each mapped to the peer's nearest configuration. */
    enum DeflateOffer { NONE, DEFAULT, NO_CONTEXT_TAKEOVER, SMALLEST_WINDOW }

    /** @return an open connection */
    Link connect(URI uri, Setup setup) throws Exception;

    /**
     * @return the smallest {@code client_max_window_bits} the peer takes, which the server then imposes; 8 unless
     *     the peer's zlib refuses it
     */
    default int smallestWindowBits() {
        return 8;
    }

    /** @return how the peer trusts the test's certificate, when not through a trust store of its own; or null */
    default String tlsNote() {
        return null;
    }

    /** Tells why the peer cannot offer permessage-deflate, or null when it can. */
    default String noDeflateReason() {
        return null;
    }

    @Override
    default void close() throws Exception {
    }
}
