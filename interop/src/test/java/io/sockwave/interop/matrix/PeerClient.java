package io.sockwave.interop.matrix;

import java.io.IOException;
import java.net.URI;

/** A WebSocket client the matrix drives: a peer implementation's, or Sockwave's against a peer's server. */
public interface PeerClient extends PeerTraits, AutoCloseable {
    /**
     * @param setup the subprotocols to offer, the deflate variant to offer (mapped to the client's nearest
     *     configuration), and the certificate to trust
     * @return an open connection
     */
    Link connect(URI uri, Setup setup) throws Exception;

    @Override
    default void close() throws IOException {
    }
}
