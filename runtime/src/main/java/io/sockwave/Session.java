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
 * ({@link OutboundLimitExceededException}), or the call does not fit the session's state
 * ({@link IllegalStateException}: a close frame was sent already, or a fragmented message is in progress).
 *
 * <h2>What throws and what fails the future</h2>
 * An argument that is wrong whatever the session's state is a programmer error, and throws at the call, sending
 * nothing and leaving the session as it was: a close code that may not be sent or a close reason over 123 bytes
 * ({@link #close(int, String)}), a ping or pong payload over 125 bytes, a null. What depends on the session's state
 * fails the future instead, never the call, because the state can change at any moment (the peer may close, or
 * another thread): so a send after {@link #close()} (or after the peer's close) returns a failed future, with
 * {@link IllegalStateException} while the closing handshake runs and {@link java.io.IOException} once the session
 * is closed, and nothing is sent. Text with an unpaired surrogate fails the future with
 * {@link IllegalArgumentException}, since it is found while encoding.
 *
 * <h2>After a local close</h2>
 * {@link #close(int, String)} stops sending, not receiving: messages the peer sent before it saw the close frame are
 * still delivered to the listener, until the peer's close frame arrives (RFC 6455 §1.4), then
 * {@link Listener#onClose} follows. A listener that must ignore them can check {@link #isOpen()}, which is false
 * from the moment {@code close} is called, on any thread, even before the session's event loop has queued the close
 * frame.
 * {@link #abort()} delivers nothing more.
 *
 * <h2>After the peer's close</h2>
 * The close frame that answers the peer's goes out as soon as practical (RFC 6455 §5.5.1), not behind every message
 * still queued: what the socket takes at once is written, then the message being written, if one is, is finished
 * (the rest of a partly written frame, and the queued fragments of its message), and the whole messages not yet
 * begun are dropped, their sends failed with {@link java.io.IOException}. No data frame follows the close.
 *
 * <h2>Outbound backpressure</h2>
 * Bytes not yet written to the socket are counted per session ({@link #queuedBytes()}). When they reach the high
 * watermark the session becomes unwritable ({@link #isWritable()} is false); when they fall back to the low
 * watermark it becomes writable again and {@link Listener#onWritable} is called ({@link #whenWritable()} completes).
 * A sender that ignores this meets the hard limit: the send fails, or the session is closed with 1008, as the
 * {@link OutboundLimitPolicy} says. Memory per session therefore never grows beyond the limit, or one message: a
 * message larger than the limit is taken when nothing else is queued, so that it can be sent at all. The one
 * exception is a session in the middle of sending a fragmented message of its own, which may queue up to twice the
 * limit, never more: what a {@link Topic} or {@link Server#broadcast} gives it meanwhile waits behind its fragments
 * (RFC 6455 §5.4) and is held within the limit, and its own sends, those fragments included, stay within the limit
 * without counting what waits behind them, which cannot leave before them (each of the two may also take one message
 * larger than the limit when it holds nothing else). Within the limit itself, a fragment would be refused for the
 * held messages, and with it the end of the message they wait for, or they would be dropped once accepted.
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
     * <p>Refused once this end has sent its close, although RFC 6455 §5.5.1 forbids only data frames after a close:
     * the peer reads the ping after that close, when §5.5.2 no longer owes a pong ("unless it already received a
     * Close frame"), so it could measure nothing. Netty, Jetty, Node's {@code ws} and python-websockets refuse it too.
     *
     * @param payload application data, at most 125 bytes (RFC 6455 §5.5); not modified
     * @return completes when the frame is handed to the socket; fails with {@link IllegalStateException} once this
     *     end's close was sent, and with {@link java.io.IOException} once the session is closed
     * @throws IllegalArgumentException if the payload is longer than 125 bytes
     */
    CompletableFuture<Void> ping(ByteBuffer payload);

    /**
     * Sends a pong: the answer to a ping when automatic pongs are off ({@link SessionSettings#autoPong(boolean)}), or
     * an unsolicited one, a one-way heartbeat (RFC 6455 §5.5.3). It may follow this end's close until the peer's
     * close arrives: a ping the peer sent before reading this end's close is still owed its pong (§5.5.2).
     *
     * @param payload application data, at most 125 bytes; not modified
     * @return completes when the frame is handed to the socket; fails with {@link IllegalStateException} once the
     *     peer's close was received (§5.5.2 owes no pong after it) or the connection failed, and with
     *     {@link java.io.IOException} once the session is closed
     * @throws IllegalArgumentException if the payload is longer than 125 bytes
     */
    CompletableFuture<Void> pong(ByteBuffer payload);

    /**
     * Starts the closing handshake (RFC 6455 §7.1.2). The close frame follows the messages sent before this call,
     * so that they are not lost; no message may be sent after it. The socket is closed once the peer answers, or
     * after the close timeout if it never does; {@link Listener#onClose} follows.
     *
     * @param code 1000-1003, 1007-1014 or 3000-4999 (RFC 6455 §7.4); not 1004, 1005, 1006 or 1015
     * @param reason at most 123 bytes of UTF-8; may be empty
     * @return completes when the close frame is handed to the socket; fails with {@link IllegalStateException} if
     *     a close frame was already sent, and with {@link java.io.IOException} if the session is closed
     * @throws IllegalArgumentException for a code that may not be sent, a reason over 123 bytes of UTF-8 or one
     *     holding an unpaired surrogate; nothing is sent and the session stays open
     * @throws NullPointerException if the reason is null
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
     * 1006. Called from a server's {@link Listener#onOpen} before the 101 was written, it writes the 101 (alone) first
     * and closes after it: the handshake was decided, so the client sees a session open and then end abnormally
     * (1006), not a failed handshake. On a client, aborting from {@code onOpen} still completes the connect's
     * future with the session, already ended.
     */
    void abort();

    /**
     * @return whether messages may still be sent: the session is open, neither {@link #close(int, String)} nor
     *     {@link #abort()} was called, and no close frame was sent or received
     */
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
     * wedge a session. The one exception is a send made from another thread that reaches the event loop only after
     * the session has ended: no callback follows {@code onClose}, so its turn to unwritable gets none, and this
     * becomes true again without one.
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
     * answered meanwhile either, since they are not read, nor is a close frame. Bytes already read (the rest of the
     * read whose callback suspends) wait undecoded, not lost, and are decoded on resume; with callbacks on an executor,
     * messages decoded before the suspension took effect are held and delivered on resume. {@link Listener#onWritable}
     * is not a message callback: it still comes while reading is suspended, ahead of held messages, so it can always
     * resume reading. Idempotent.
     */
    void suspendReading();

    /** Starts reading again after {@link #suspendReading()}, first delivering messages read before it. Idempotent. */
    void resumeReading();

    /** @return whether reading is suspended */
    boolean isReadingSuspended();

    /**
     * @return an identifier unique among the sessions of one server (or one client) and across the servers and
     *     clients of this JVM, made for logs, e.g. {@code s1-42}: the server's number and the session's
     */
    String id();

    /** @return the peer's address */
    InetSocketAddress remoteAddress();

    /** @return this end's address */
    InetSocketAddress localAddress();

    /**
     * @return the path of the handshake request as sent, percent-encoded (decoded values are in {@link #pathParam}),
     *     e.g. {@code /chat}; {@code /} when the client gave none
     */
    String path();

    /**
     * @param name a parameter of the route pattern that matched, e.g. {@code name} for {@code /rooms/{name}}, or
     *     {@code *} for the rest of the path under a prefix pattern such as {@code /static/*}
     * @return its value in the request path, percent-decoded; null if the pattern has no such parameter (always on
     *     a client, and on a fallback route)
     */
    String pathParam(String name);

    /** @return every path parameter by name (see {@link #pathParam}); unmodifiable, empty when there are none */
    Map<String, String> pathParams();

    /** @return the query of the handshake request without the {@code ?}, as sent; null when it had none */
    String query();

    /**
     * @param name a query parameter's name, decoded
     * @return its first value, decoded ({@code +} is a space, {@code %XX} escapes are UTF-8), the empty string for a
     *     name given without {@code =}, or null when the query does not name it
     * @throws IllegalArgumentException if the query is not valid percent-encoded UTF-8, which only a client's own
     *     request can be: a server refuses such an upgrade with 400
     */
    default String queryParam(String name) {
        List<String> values = queryParams().get(name);
        return values == null ? null : values.get(0);
    }

    /**
     * @return every query parameter with all its values, in the order of the query, decoded as
     *     {@link #queryParam} says; unmodifiable, parsed anew on each call
     * @throws IllegalArgumentException if the query is not valid percent-encoded UTF-8 (see {@link #queryParam})
     */
    Map<String, List<String>> queryParams();

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
     * Reads a typed attribute: per-session state of the application. Attributes are thread-safe.
     *
     * @param key the attribute's key
     * @param <T> the type of its value
     * @return its value, or null when it has none
     */
    <T> T attribute(AttributeKey<T> key);

    /**
     * Sets a typed attribute.
     *
     * @param key the attribute's key
     * @param value its new value, or null to remove it
     * @param <T> the type of its value
     * @return its previous value, or null when it had none
     * @throws ClassCastException if the value is not of the key's type (possible only through raw types)
     */
    <T> T setAttribute(AttributeKey<T> key, T value);

    /**
     * Sets a typed attribute unless it has a value already, atomically.
     *
     * @param key the attribute's key
     * @param value the value to set
     * @param <T> the type of its value
     * @return the value it had, or null when this call set it
     * @throws NullPointerException if the value is null
     */
    <T> T setAttributeIfAbsent(AttributeKey<T> key, T value);
}
