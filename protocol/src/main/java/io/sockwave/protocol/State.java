package io.sockwave.protocol;

/** The states of a WebSocket connection (RFC 6455 §4.1, §7). */
public enum State {
    /** The opening handshake is under way; handled by the {@code handshake} package, before a {@link Connection} exists. */
    CONNECTING,
    /** Data may flow both ways. */
    OPEN,
    /** This end has sent a close frame and waits for the peer's. */
    CLOSING,
    /** Close frames have been exchanged, or the connection was failed: no more frames either way. */
    CLOSED
}
