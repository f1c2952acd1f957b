package io.sockwave;

import io.sockwave.protocol.Opcode;
import java.nio.ByteBuffer;

/**
 * Receives what happens on a {@link Session}. Every method has an empty default, so a listener implements only what
 * it needs; one listener may serve many sessions, and per-session state belongs in
 * {@link Session#attribute typed attributes}.
 *
 * <h2>Which thread calls a listener</h2>
 * By default a session's callbacks run on its event loop: the one thread that also reads and writes that session's
 * socket and those of many other sessions. A callback that blocks (on a lock, a database, {@code Future.get()})
 * stalls every session of that loop for as long as it blocks. Code that must block should run the callbacks on an
 * executor instead ({@link SessionSettings#callbackExecutor}), for example virtual threads on Java 21
 * ({@code Executors.newVirtualThreadPerTaskExecutor()}).
 *
 * <p>Either way the calls for one session never overlap and arrive in order: {@code onOpen} first, then messages in
 * the order they were received, and {@code onClose} last, exactly once. An exception thrown by a callback is logged,
 * reported to {@link #onError}, and closes the session with 1011 (internal error); other sessions are not affected.
 */
public interface Listener {
    /**
     * The opening handshake succeeded; the session may send from now on.
     *
     * @param session the new session
     */
    default void onOpen(Session session) {
    }

    /**
     * @param session the session
     * @param text a whole text message, valid UTF-8
     */
    default void onText(Session session, String text) {
    }

    /**
     * @param session the session
     * @param data a whole binary message; the buffer belongs to the listener, unless the session lends binary
     *     messages ({@link SessionSettings#lendBinary}): then it is read-only and valid only until this returns
     */
    default void onBinary(Session session, ByteBuffer data) {
    }

    /**
     * A piece of a message, delivered instead of {@link #onText}/{@link #onBinary} when the session was configured to
     * stream ({@link SessionSettings#streaming(boolean)}). Piece boundaries follow the bytes as they arrive and carry
     * no meaning; a text piece is valid UTF-8 so far but may end inside a character.
     *
     * @param session the session
     * @param type {@link Opcode#TEXT} or {@link Opcode#BINARY}: the type of the message the piece belongs to
     * @param data the piece's bytes; the buffer belongs to the listener
     * @param last whether this piece ends the message
     */
    default void onFragment(Session session, Opcode type, ByteBuffer data, boolean last) {
    }

    /**
     * A ping arrived. Unless automatic pongs were turned off ({@link SessionSettings#autoPong(boolean)}), the pong
     * is already on its way.
     *
     * @param session the session
     * @param payload the ping's application data, 0 to 125 bytes
     */
    default void onPing(Session session, ByteBuffer payload) {
    }

    /**
     * @param session the session
     * @param payload the pong's application data, 0 to 125 bytes
     */
    default void onPong(Session session, ByteBuffer payload) {
    }

    /**
     * The bytes queued on the session fell to the low watermark after having reached the high watermark: it is
     * worth sending again. Called exactly once per turn to unwritable, however the queue drained (see
     * {@link Session#isWritable()}), also while reading is suspended and ahead of the messages a suspension holds,
     * so it is the place to call {@link Session#resumeReading()}.
     *
     * @param session the session
     */
    default void onWritable(Session session) {
    }

    /**
     * Something went wrong: the peer broke the protocol ({@link io.sockwave.protocol.ProtocolException}), the
     * socket failed ({@link java.io.IOException}), a timeout fired ({@link java.util.concurrent.TimeoutException})
     * or a callback threw. {@link #onClose} follows.
     *
     * @param session the session
     * @param error what went wrong
     */
    default void onError(Session session, Throwable error) {
    }

    /**
     * The session is over and its socket closed; called exactly once, last.
     *
     * @param session the session
     * @param code the peer's close code when it sent a close frame (1005 when that frame had no code); when this end
     *     failed the connection, the code it sent (1002 for a protocol error, 1011 for an exception in a callback,
     *     ...); otherwise 1006, abnormal closure: the connection ended without a close frame from the peer (reset,
     *     timeout, end of stream)
     * @param reason the peer's reason, or a description of what ended the session; possibly empty
     */
    default void onClose(Session session, int code, String reason) {
    }
}
