package io.sockwave.protocol;

import java.nio.ByteBuffer;

/**
 * Receives what {@link Connection#receive(ByteBuffer, EventHandler)} decodes, synchronously, in the order of the
 * bytes. Every method has an empty default so that a handler implements only what it needs. Payload buffers handed
 * to a handler belong to it.
 *
 * <p>{@link EventQueue} collects the same events as {@link Event} records for code that prefers to pull.
 */
public interface EventHandler {
    /**
     * Asked by {@link Connection#receive} before it decodes each frame header or piece of payload: whether to go on.
     * A handler that cannot take more events now (its application stopped taking messages, or is behind) returns
     * false, and {@code receive} returns at once, leaving what it has not decoded in its buffer: what waits is then
     * the bytes the peer sent, not the messages they would inflate to. By default, always true.
     *
     * @return whether to decode more of the bytes given to {@code receive}
     */
    default boolean wantsMore() {
        return true;
    }

    /** @param text a whole text message, validated as UTF-8 */
    default void onText(String text) {
    }

    /** @param data a whole binary message */
    default void onBinary(ByteBuffer data) {
    }

    /**
     * A whole binary message, lent instead of given when the connection lends them
     * ({@link ConnectionConfig#lendBinary()}): a read-only buffer of exactly the message's bytes, in an array of the
     * connection's {@link ArrayPool}. By default this passes the buffer to {@link #onBinary} and keeps it.
     *
     * @param data a whole binary message, read-only
     * @return true when the handler is done with the bytes, so that their array goes back to the pool and is
     *     reused; false when it keeps them, valid for as long as it likes (the array then never returns)
     */
    default boolean onBinaryLent(ByteBuffer data) {
        onBinary(data);
        return false;
    }

    /**
     * A piece of a message, when the connection streams messages instead of assembling them
     * ({@link ConnectionConfig#streaming()}). Piece boundaries carry no meaning: they follow the bytes as they
     * arrive. Text pieces are valid UTF-8 so far but may end inside a code point.
     *
     * @param type {@link Opcode#TEXT} or {@link Opcode#BINARY}
     * @param data the piece's bytes
     * @param last whether this piece ends the message
     */
    default void onFragment(Opcode type, ByteBuffer data, boolean last) {
    }

    /** @param payload the ping's application data (0 to 125 bytes) */
    default void onPing(ByteBuffer payload) {
    }

    /** @param payload the pong's application data (0 to 125 bytes) */
    default void onPong(ByteBuffer payload) {
    }

    /**
     * The peer sent a close frame (RFC 6455 §5.5.1). The reply, when one is due, is already queued.
     *
     * @param code the peer's code, or {@link CloseCode#NO_STATUS_RECEIVED} when its close frame had none
     * @param reason the peer's reason, possibly empty
     */
    default void onClose(int code, String reason) {
    }

    /**
     * The connection was failed (RFC 6455 §7.1.7) because the peer broke a rule; the close frame carrying
     * {@code error.closeCode()} is queued, and the transport should be closed once it is written.
     *
     * @param error what went wrong
     */
    default void onFailure(ProtocolException error) {
    }
}
