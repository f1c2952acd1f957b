package io.sockwave.interop.matrix;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * An open connection of a peer's client that a test drives: it sends what it is told and queues what arrives. A
 * method the peer's API cannot perform throws {@link UnsupportedOperationException} saying why; the matrix shows that
 * feature as n/a.
 */
public interface Link extends AutoCloseable {
    /** @return the subprotocol the handshake agreed on, or null */
    String subprotocol();

    /** @return the Sec-WebSocket-Extensions the server answered, or "" when none */
    String extensions();

    void send(Payload payload) throws Exception;

    /**
     * Sends one text message as a fragment per piece, each piece the UTF-8 bytes of that frame, so that a code
     * point's bytes may be split across frames.
     */
    default void sendUtf8Fragments(List<byte[]> pieces) throws Exception {
        throw new UnsupportedOperationException("its API sends text fragments as whole characters");
    }

    /**
     * Sends one text message as a fragment per piece (cut between chars, possibly inside a surrogate pair).
     *
     * @return null, or how the peer had to cut the message otherwise, for the matrix cell
     */
    String sendTextFragments(List<String> pieces) throws Exception;

    /** Sends one binary message as a fragment per piece. */
    void sendBinaryFragments(List<byte[]> pieces) throws Exception;

    void ping(String payload) throws Exception;

    /** Starts the close handshake with this code and reason. */
    void close(int code, String reason) throws Exception;

    /** @return the next thing that arrived, or null if nothing did in time */
    Received next(Duration timeout) throws InterruptedException;

    /** Ends the connection, cleanly if still open, and releases what the peer holds. */
    @Override
    void close() throws IOException;
}
