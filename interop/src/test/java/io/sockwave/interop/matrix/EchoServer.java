package io.sockwave.interop.matrix;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/** A running echo server that obeys {@link Commands}: Sockwave's, or a peer implementation's. */
public interface EchoServer extends AutoCloseable {
    /**
     * What the server's end of the handshake agreed: the subprotocol (or null) and the extensions ("" for none, null
     * where the server's API does not tell what it answered).
     */
    record Handshake(String subprotocol, String extensions) {
    }

    /** @return the echo endpoint */
    URI uri();

    /** @return completes with what the handshake of the (last) connection agreed, as the server saw it */
    CompletableFuture<Handshake> opened();

    /** @return completes with the close frame the (last) connection received, or 1006 without one */
    CompletableFuture<Received.Closed> closed();

    /** Stops the server and closes what it still holds. */
    @Override
    void close() throws IOException;

    /** Starts an echo server for one feature. */
    interface Factory extends PeerTraits {
        EchoServer start(Setup setup) throws Exception;

        /**
         * @param start starts a server for one feature
         * @param traits what the peer's server can do
         * @return a factory of such servers, with those traits
         */
        static Factory of(Factory start, PeerTraits traits) {
            return new Factory() {
                @Override
                public EchoServer start(Setup setup) throws Exception {
                    return start.start(setup);
                }

                @Override
                public int smallestWindowBits() {
                    return traits.smallestWindowBits();
                }

                @Override
                public String noDeflateReason() {
                    return traits.noDeflateReason();
                }

                @Override
                public String smallWindowDeclined() {
                    return traits.smallWindowDeclined();
                }

                @Override
                public String sendsNoFragments() {
                    return traits.sendsNoFragments();
                }

                @Override
                public String fragmentsNote() {
                    return traits.fragmentsNote();
                }

                @Override
                public String tlsNote() {
                    return traits.tlsNote();
                }
            };
        }
    }
}
