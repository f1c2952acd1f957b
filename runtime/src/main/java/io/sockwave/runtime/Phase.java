package io.sockwave.runtime;

import java.nio.ByteBuffer;

/**
 * What a connection is doing with the bytes it reads: the server's or the client's opening handshake, then the
 * WebSocket session. A {@link ChannelDriver} moves bytes between the socket and its current phase. Called on the
 * connection's event loop only.
 */
interface Phase {
    /**
     * Bytes arrived.
     *
     * @param in plaintext from position to limit, in a buffer shared by the loop: consume it all before returning
     */
    void onData(ByteBuffer in);

    /** The peer ended its side of the stream (or sent TLS close_notify). */
    void onEof();

    /**
     * The connection's timer fired; possibly early, since deadlines that move later are not rescheduled.
     *
     * @param now the loop's clock
     * @return the phase's next deadline, or {@link Long#MAX_VALUE} for none
     */
    long onTimer(long now);

    /**
     * Bytes left the outbound queue: written, or dropped because the connection closed.
     *
     * @param bytes how many
     */
    default void onDequeued(long bytes) {
    }

    /**
     * Data frames not yet begun were dropped for a close to go ahead of them: bytes the phase queued itself, never
     * what was queued before it took over (a server's 101, which goes in the control lane).
     *
     * @param bytes how many
     */
    default void onDataDropped(long bytes) {
        onDequeued(bytes);
    }

    /**
     * The server or client is shutting down gracefully: close with 1001 (going away), or drop a handshake under way
     * (a client's fails its connect).
     */
    default void goingAway() {
    }

    /** A client's TCP connection was established. */
    default void onConnected() {
    }

    /**
     * The connection is over for this phase, which releases what it holds and reports the end. Called once,
     * after the queued sends have been failed, if any were.
     *
     * @param cause what ended it abnormally, or null for an orderly end
     */
    void onEnd(Throwable cause);
}
