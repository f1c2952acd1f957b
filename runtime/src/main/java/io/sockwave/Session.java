package io.sockwave;

import io.sockwave.protocol.extension.ExtensionOffer;
import io.sockwave.protocol.handshake.HttpHeaders;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One WebSocket connection, on the server or the client side, from the end of the opening handshake to its close.
 *
 * <h2>Sending</h2>
 * Every method may be called from any thread; the frames of one session go out in the order the calls were made
 * (calls from different threads race, as they would for any shared object). Sends are asynchronous: the returned
 * future completes when the frame has been handed to the socket, and fails if it cannot be: the session closed
 * first ({@link java.io.IOException}), the message was not written within the send timeout
 * ({@link java.util.concurrent.TimeoutException}, and the session is then closed), the outbound limit was reached
 * ({@link OutboundLimitExceededException}), or the call was invalid ({@link IllegalStateException},
 * {@link IllegalArgumentException}). Methods never throw for these reasons; the future carries them.
 *
 * <h2>Outbound backpressure</h2>
 * Bytes not yet written to the socket are counted per session ({@link #queuedBytes()}). When they reach the high
 * watermark the session becomes unwritable ({@link #isWritable()} is false); when they fall back to the low
 * watermark it becomes writable again and {@link Listener#onWritable} is called ({@link #whenWritable()} completes).
 * A sender that ignores this meets the hard limit: the send fails, or the session is closed with 1008, as the
 * {@link OutboundLimitPolicy} says. Memory per session therefore never grows beyond the limit.
 *
 * <h2>Inbound flow control</h2>
 * {@link #suspendReading()} stops reading from the socket, so that a slow consumer makes TCP push back on the peer
 * instead of buffering; {@link #resumeReading()} starts again. Messages already read when reading was suspended are
 * held and delivered on resume, so none is lost and none arrives while suspended.
 */
public interface Session {
    /**
     * Sends a text message.
     *
     * @param text the message
     * @return completes when the frame is handed to the socket
     */
    CompletableFuture<Void> sendText(CharSequence text);

    /**
     * Sends a binary message.
     *
     * @param data the message, from position to limit; not modified, and free to reuse once this returns
     * @return completes when the frame is handed to the socket
     */
    CompletableFuture<Void> sendBinary(ByteBuffer data);

    /**
     * Sends one piece of a text message sent in fragments (RFC 6455 §5.4). A fragmented message may not be
     * interleaved with whole messages; control frames may. Text may be cut at any char: a surrogate pair split
     * between two pieces is sent whole with the second. With permessage-deflate negotiated, a message sent in
     * pieces is compressed whatever its size.
     *
     * @param fragment the piece
     * @param last whether it ends the message
     * @return completes when the frame is handed to the socket; fails with {@link IllegalStateException} if a
     *     binary fragmented message is in progress, and with {@link IllegalArgumentException} if the piece holds an
     *     unpaired surrogate (UTF-8 cannot carry one), in which case nothing is sent
     */
    CompletableFuture<Void> sendText(CharSequence fragment, boolean last);

    /**
     * Sends one piece of a binary message sent in fragments (RFC 6455 §5.4).
     *
     * @param fragment the piece, from position to limit; not modified
     * @param last whether it ends the message
     * @return completes when the frame is handed to the socket; fails with {@link IllegalStateException} if a text
     *     fragmented message is in progress
     */
    CompletableFuture<Void> sendBinary(ByteBuffer fragment, boolean last);

    /**
     * Sends a message encoded ahead of time, typically to many sessions: see {@link PreparedMessage}.
     *
     * @param message the message
     * @return completes when the frame is handed to the socket
     */
    CompletableFuture<Void> send(PreparedMessage message);

    /**
     * Sends a ping. Control frames go ahead of queued messages (but never into the middle of a frame being
     * written).
     *
     * @param payload application data, at most 125 bytes (RFC 6455 §5.5); not modified
     * @return completes when the frame is handed to the socket; fails with {@link IllegalArgumentException} for a
     *     longer payload
     */
    CompletableFuture<Void> ping(ByteBuffer payload);

    /**
     * Sends an unsolicited pong, a one-way heartbeat (RFC 6455 §5.5.3).
     *
     * @param payload application data, at most 125 bytes; not modified
     * @return completes when the frame is handed to the socket
     */
    CompletableFuture<Void> pong(ByteBuffer payload);

    /**
     * Starts the closing handshake (RFC 6455 §7.1.2). The close frame follows the messages sent before this call,
     * so that they are not lost; no message may be sent after it. The socket is closed once the peer answers, or
     * after the close timeout if it never does; {@link Listener#onClose} follows.
     *
     * @param code 1000-1003, 1007-1014 or 3000-4999 (RFC 6455 §7.4)
     * @param reason at most 123 bytes of UTF-8; may be empty
     * @return completes when the close frame is handed to the socket; fails with {@link IllegalArgumentException}
     *     for a code that may not be sent or a reason too long, and with {@link IllegalStateException} if a close
     *     frame was already sent
     */
    CompletableFuture<Void> close(int code, String reason);

    /**
     * Closes normally: {@code close(1000, "")}.
     *
     * @return completes when the close frame is handed to the socket
     */
    default CompletableFuture<Void> close() {
        return close(1000, "");
    }

    /**
     * Closes the socket now, without a closing handshake; queued sends fail. {@link Listener#onClose} follows with
     * 1006.
     */
    void abort();

    /** @return whether messages may still be sent: the session is open and no close frame was sent or received */
    boolean isOpen();

    /**
     * @return the bytes of frames accepted by send calls and not yet handed to the socket; text not yet encoded is
     *     counted one byte per character
     */
    long queuedBytes();

    /**
     * Whether the outbound queue is below the high watermark. The contract: every turn to unwritable is followed by
     * exactly one {@link Listener#onWritable} call, and {@link #whenWritable()} completes, once the queue is back at
     * the low watermark, however it got there: written at the end of the loop's turn, written later as the peer
     * reads, or released because the connection failed or closed (then {@code onWritable} comes before
     * {@code onClose}). So suspending reading when this turns false and resuming in {@code onWritable} can never
     * wedge a session.
     *
     * <p>It can turn false for a moment even with a fast reader: messages sent within one turn of the event loop
     * (an echo of a burst read at once, say) are all queued before the turn ends and writes them.
     *
     * @return false from the moment {@link #queuedBytes()} reaches the high watermark until it falls back to the
     *     low watermark
     */
    boolean isWritable();

    /**
     * @return a future completed when the session is writable: already completed if it is; completed (not failed)
     *     when a failed or closed connection releases the queue, as {@link #isWritable()} says; failed if the
     *     session has ended while unwritable with bytes still counted
     */
    CompletableFuture<Void> whenWritable();

    /**
     * Stops reading from the socket: no message callback follows until {@link #resumeReading()}. Pings are not
     * answered meanwhile either, since they are not read. Messages already read (those of the same read as the one
     * whose callback suspends) are held, not lost. {@link Listener#onWritable}, {@code onError} and
     * {@code onClose} are not message callbacks: they still come while reading is suspended, and
     * {@code onWritable} goes ahead of held messages, so it can always resume reading. Idempotent.
     */
    void suspendReading();

    /** Starts reading again after {@link #suspendReading()}, first delivering messages read before it. Idempotent. */
    void resumeReading();

    /** @return whether reading is suspended */
    boolean isReadingSuspended();

    /** @return the peer's address */
    InetSocketAddress remoteAddress();

    /** @return this end's address */
    InetSocketAddress localAddress();

    /** @return the path of the handshake request, e.g. {@code /chat}; {@code /} when the client gave none */
    String path();

    /** @return the query of the handshake request without the {@code ?}, or null when it had none */
    String query();

    /**
     * @return the header fields of the opening handshake request (on a client, the request it sent), as a new copy
     *     on each call; the session keeps them in compact form
     */
    HttpHeaders requestHeaders();

    /** @return the subprotocol the handshake agreed on, or null when none was */
    String subprotocol();

    /** @return the extensions the handshake negotiated, as they were agreed; empty when none were */
    List<ExtensionOffer> extensions();

    /** @return whether this end is the client */
    boolean isClient();

    /**
     * @return a thread-safe map the application may keep per-session state in; created on first use
     */
    Map<String, Object> attributes();
}
