package io.sockwave.protocol;

import io.sockwave.protocol.extension.Extension;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The WebSocket connection state machine of RFC 6455 §5-§7, from the end of the opening handshake to CLOSED, with
 * no I/O: bytes go in through {@link #receive}, events come out through an {@link EventHandler}; send calls return
 * the bytes of the frames to write, and replies the protocol owes the peer (pongs, the close reply, the close frame
 * that fails a connection) wait in {@link #pollOutput()}.
 *
 * <p>An instance is not thread-safe: one thread at a time may call it, and a caller that receives on one thread and
 * sends on another serializes the calls itself. A handler may send, close or {@link #fail} from inside its callbacks,
 * but not call {@link #receive} again: the frame being decoded is not finished, so a nested call is refused.
 *
 * <p>Once {@link #release()} has been called the connection is over: receiving and sending are refused with an
 * {@link IllegalStateException}, since they would take new zlib streams that nothing would free. The queries
 * ({@link #state()}, {@link #failure()}, {@link #pollOutput()} and the like) still answer.
 *
 * <p>Who closes TCP (§7.1.1): {@link #shouldCloseTransport()} says when this end should close it now, after writing
 * what is pending. A server closes as soon as the close handshake completes; a client waits for the server to
 * close, and its caller closes after a timeout if the server never does.
 */
public final class Connection {
    /** Why {@link #ping} is refused after this end's close. */
    public static final String PING_AFTER_CLOSE = "no ping after this end's close frame: the peer reads it after the"
            + " close, when RFC 6455 §5.5.2 owes no pong";

    /** Set while {@link #receive} runs, to refuse a nested call from a handler. */
    private static final byte RECEIVING = 1;
    /** Set by {@link #release()}: receiving and sending are refused from then on. */
    private static final byte RELEASED = 2;

    private final ConnectionConfig config;
    private final boolean client;
    /** Created with the first byte received: a connection that only idles holds no receiving state. */
    private FrameReader frames;
    /** Created with the first frame sent: an idle connection holds no sending state. */
    private MessageWriter writer;
    /** Created with the first pong owed: most connections never receive a ping. */
    private OwedFrames owed;
    /** The close frame owed (the reply to the peer's, or the one that fails the connection), sent after the pongs. */
    private ByteBuffer owedClose;

    private volatile boolean closeSent;
    private volatile boolean closeReceived;
    private volatile ProtocolException failure;
    /** {@link #RECEIVING} and {@link #RELEASED}, in one byte: an idle connection's size is budgeted. */
    private byte guards;

    /**
     * Starts a connection in the OPEN state: the opening handshake has succeeded.
     *
     * @param config the role, limits, negotiated extensions and options
     */
    public Connection(ConnectionConfig config) {
        this.config = config;
        this.client = config.role() == Role.CLIENT;
    }

    /** @return the configuration this connection was created with */
    public ConnectionConfig config() {
        return config;
    }

    boolean isClient() {
        return client;
    }

    /** @return the current state: OPEN, CLOSING (our close sent, the peer's awaited) or CLOSED */
    public State state() {
        if (closeReceived || failure != null) {
            return State.CLOSED;
        }
        return closeSent ? State.CLOSING : State.OPEN;
    }

    /** @return whether data frames may still be sent: no close frame has been sent or received */
    public boolean isOutputOpen() {
        return !closeSent;
    }

    /** @return the error the connection was failed with, or null if it was not */
    public ProtocolException failure() {
        return failure;
    }

    /**
     * @return whether this end should close the transport once {@link #pollOutput()} is drained and written: the
     *     connection was failed, or it is a server whose close handshake is complete (§7.1.1)
     */
    public boolean shouldCloseTransport() {
        return failure != null || (!client && closeReceived);
    }

    // ------------------------------------------------------------------ receiving

    /**
     * Consumes bytes from the peer, in any chunking, and reports what they complete to {@code handler}.
     *
     * <p>All of {@code in} is consumed, unless {@link EventHandler#wantsMore()} turns false: then the bytes not yet
     * decoded stay in {@code in}, from its position, to be given again, ahead of any read after them. Masked payloads
     * are mostly unmasked as they are copied out, but some in place (a whole text message in a heap buffer, a payload
     * an extension reads), so the buffer's contents between its position and limit may change, and it must be writable.
     * After a close frame has been received, or the connection has failed, further bytes are discarded (§5.5.1: nothing
     * follows a close frame).
     *
     * <p>A peer that breaks a rule fails the connection (§7.1.7): the matching close frame is queued in
     * {@link #pollOutput()}, {@link EventHandler#onFailure} is called, and the state becomes CLOSED. A handler may
     * fail the connection the same way by throwing a {@link ProtocolException} (say, 1008 for a message the
     * application refuses). Any other exception thrown by {@code handler} propagates to the caller and leaves the
     * connection as it was after that event.
     *
     * <p>If the handler calls {@link #release()} from a callback, decoding stops when that callback returns and the
     * bytes not yet decoded stay in {@code in}.
     *
     * @param in bytes read from the transport
     * @param handler receives the events, synchronously
     * @throws IllegalArgumentException if {@code in} is read-only; nothing of it is consumed then
     * @throws IllegalStateException if called from inside a callback of this connection's {@code receive}, or after
     *     {@link #release()}; nothing of {@code in} is consumed then
     */
    public void receive(ByteBuffer in, EventHandler handler) {
        requireNotReleased();
        if ((guards & RECEIVING) != 0) {
            // The outer call is inside a frame: a nested one would decode the next bytes as the rest of that frame.
            throw new IllegalStateException("receive called from inside a handler callback; return from it first");
        }
        if (in.isReadOnly()) {
            // Refused before any byte is read: failing where a payload is unmasked would leave a frame half-read.
            throw new IllegalArgumentException("receive needs a writable buffer: payloads may be unmasked in place");
        }
        if (frames == null) {
            frames = new FrameReader(this);
        }
        guards |= RECEIVING;
        try {
            while (in.hasRemaining() && !isInputClosed() && (guards & RELEASED) == 0 && handler.wantsMore()) {
                if (!frames.read(in, handler)) {
                    return;
                }
            }
        } catch (ProtocolException e) {
            failWith(e, handler);
        } finally {
            guards &= ~RECEIVING;
        }
        if (isInputClosed()) {
            in.position(in.limit());
        }
    }

    /**
     * The transport reached end of stream.
     *
     * @return whether the connection had closed cleanly first (close frames exchanged, or failed by this end); when
     *     false the closure is abnormal (1006, §7.1.5) and the state becomes CLOSED
     * @throws IllegalStateException if called after {@link #release()}
     */
    public boolean receiveEof() {
        requireNotReleased();
        if (state() == State.CLOSED) {
            // An end reported again keeps its first answer: the abnormal closure is the one failure carrying 1006.
            return failure == null || failure.closeCode() != CloseCode.ABNORMAL_CLOSURE;
        }
        closeSent = true;
        failure = ProtocolException.abnormalClosure("connection closed without a close frame");
        resetMessages();
        return false;
    }

    /**
     * @return bytes of the message being received so far, counted after decompression (and including those
     *     already handed over as pieces when streaming), or -1 when no message is in progress; a caller that sees
     *     this stop growing knows the message has stalled
     */
    public long incompleteMessageBytes() {
        return isInputClosed() || frames == null ? -1 : frames.incompleteMessageBytes();
    }

    /**
     * Fails the connection from this end for a reason the caller found (§7.1.7), such as a message that stopped
     * arriving: drops the message in progress, queues the close frame in {@link #pollOutput()} unless one was sent,
     * calls {@link EventHandler#onFailure}, and the state becomes CLOSED. Does nothing if the input is closed.
     *
     * @param error the close code and reason to send
     * @param handler told of the failure
     * @throws IllegalStateException if called after {@link #release()}
     */
    public void fail(ProtocolException error, EventHandler handler) {
        requireNotReleased();
        if (!isInputClosed()) {
            failWith(error, handler);
        }
    }

    /** Drops a message in progress: nothing more of it will come. */
    private void resetMessages() {
        if (frames != null) {
            frames.resetMessages();
        }
    }

    private boolean isInputClosed() {
        return closeReceived || failure != null;
    }

    /** A whole control frame arrived, its payload unmasked; called by {@link FrameReader}. */
    void onControlFrame(Opcode opcode, byte[] payload, EventHandler handler) {
        switch (opcode) {
            case PING -> {
                // §5.5.2 owes the pong unless the peer's close came first, after which no frame is read; a close
                // this end sent does not excuse it, since §5.5.1 forbids only data frames after a close.
                if (config.autoPong()) {
                    owed().addPong(payload);
                    // The handler owns its buffer and may write to it: the pong keeps the bytes the ping carried.
                    handler.onPing(ByteBuffer.wrap(payload.length == 0 ? payload : payload.clone()));
                } else {
                    handler.onPing(ByteBuffer.wrap(payload));
                }
            }
            case PONG -> handler.onPong(ByteBuffer.wrap(payload));
            case CLOSE -> onCloseFrame(payload, handler);
            default -> throw new IllegalStateException("not a control opcode: " + opcode);
        }
    }

    private void onCloseFrame(byte[] payload, EventHandler handler) {
        ClosePayload close = ClosePayload.parse(payload);
        closeReceived = true;
        resetMessages();
        if (!closeSent) {
            closeSent = true;
            owedClose = writer().closeReply(payload);
        }
        handler.onClose(close.code(), close.reason());
    }

    private void failWith(ProtocolException error, EventHandler handler) {
        failure = error;
        if (frames != null) {
            frames.abort();
        }
        if (!closeSent) {
            closeSent = true;
            owedClose = writer().close(error.closeCode(), ClosePayload.truncatedReason(error.getMessage()));
        }
        handler.onFailure(error);
    }

    // ------------------------------------------------------------------ sending

    private MessageWriter writer() {
        if (writer == null) {
            writer = new MessageWriter(config);
        }
        return writer;
    }

    private OwedFrames owed() {
        if (owed == null) {
            owed = new OwedFrames();
        }
        return owed;
    }

    /**
     * @return the next frame this end owes the peer because of what it received (a pong, a close reply, the close
     *     that fails the connection), or null when there is none; write it before anything sent after it
     */
    public ByteBuffer pollOutput() {
        if (owed != null && !owed.isEmpty()) {
            return owed.poll(writer());
        }
        ByteBuffer close = owedClose;
        owedClose = null;
        return close;
    }

    /** @return whether {@link #pollOutput()} has a frame waiting */
    public boolean hasOutput() {
        return owed != null && !owed.isEmpty() || owedClose != null;
    }

    /**
     * Encodes a text message, through the negotiated extensions.
     *
     * @param text the message
     * @return the frame to write
     * @throws IllegalStateException if the connection was released, a close frame was sent or received, or a
     *     fragmented message is in progress
     * @throws IllegalArgumentException if the text holds an unpaired surrogate, which UTF-8 cannot carry
     */
    public ByteBuffer sendText(CharSequence text) {
        requireOutputOpen();
        return writer().text(text);
    }

    /**
     * Encodes a binary message, through the negotiated extensions.
     *
     * @param data the message, from position to limit; not modified
     * @return the frame to write
     * @throws IllegalStateException if the connection was released, a close frame was sent or received, or a
     *     fragmented message is in progress
     */
    public ByteBuffer sendBinary(ByteBuffer data) {
        requireOutputOpen();
        return writer().binary(data);
    }

    /**
     * Encodes one fragment of a message sent in pieces (§5.4), through the negotiated extensions: those that
     * transform such messages (see {@link Extension#encodeFragment}) set RSV bits on the first fragment's frame
     * only. With permessage-deflate, every message sent in fragments is compressed, whatever its size, since its
     * size is unknown when its first frame goes out; a fragment that is both first and last is a whole message and
     * is compressed only at or above the threshold.
     *
     * @param type {@link Opcode#TEXT} or {@link Opcode#BINARY}: the type of the message this fragment belongs to
     * @param data the fragment's payload, from position to limit; not modified
     * @param last whether this fragment ends the message
     * @return the frame to write
     * @throws IllegalStateException if the connection was released, a close frame was sent or received, or
     *     {@code type} differs from that of the message in progress
     * @throws IllegalArgumentException if {@code type} is not a data opcode
     */
    public ByteBuffer sendFragment(Opcode type, ByteBuffer data, boolean last) {
        requireOutputOpen();
        return writer().fragment(type, data, last);
    }

    /**
     * Encodes one fragment of a text message sent in pieces (§5.4, §5.6), as {@link #sendFragment(Opcode,
     * ByteBuffer, boolean)} does, from chars. Text may be cut at any char index: a surrogate pair split between two
     * fragments is sent whole with the second.
     *
     * @param text the fragment's chars
     * @param last whether this fragment ends the message
     * @return the frame to write
     * @throws IllegalStateException if the connection was released, a close frame was sent or received, or a binary
     *     message is in progress
     * @throws IllegalArgumentException if the text holds an unpaired surrogate (a high one may end a fragment that
     *     is not the last), which UTF-8 cannot carry; nothing is sent then
     */
    public ByteBuffer sendFragment(CharSequence text, boolean last) {
        requireOutputOpen();
        return writer().textFragment(text, last);
    }

    /**
     * §5.5.1 forbids only data frames after a close, yet a ping is refused once this end's close was sent: the peer
     * reads it after that close, when §5.5.2 no longer owes a pong (it "already received a Close frame"), so it can
     * measure nothing, and peers commonly read no frame after a close.
     *
     * @param payload application data, at most 125 bytes (§5.5)
     * @return the ping frame to write
     * @throws IllegalStateException if a close frame was sent, or the connection was released
     * @throws IllegalArgumentException if the payload is too long
     */
    public ByteBuffer ping(ByteBuffer payload) {
        requireNotReleased();
        if (closeSent) {
            throw new IllegalStateException(PING_AFTER_CLOSE);
        }
        return writer().control(Opcode.PING, payload);
    }

    /**
     * A pong: the answer to a ping when automatic pongs are off ({@link ConnectionConfig#autoPong()}), or an
     * unsolicited one (§5.5.3), a one-way heartbeat. It may follow this end's close: a ping the peer sent before
     * reading that close is still owed its pong (§5.5.2), and §5.5.1 forbids only data frames after a close.
     *
     * @param payload application data, at most 125 bytes
     * @return the pong frame to write
     * @throws IllegalStateException once the peer's close was received (§5.5.2 owes no pong after it, and the
     *     closing handshake is over) or the connection failed, or if the connection was released
     * @throws IllegalArgumentException if the payload is too long
     */
    public ByteBuffer pong(ByteBuffer payload) {
        requireNotReleased();
        if (isInputClosed()) {
            throw new IllegalStateException(closeReceived
                    ? "no pong after the peer's close: RFC 6455 §5.5.2 owes none once a Close frame was received"
                    : "the connection failed: nothing but its close frame is sent");
        }
        return writer().control(Opcode.PONG, payload);
    }

    /**
     * Starts the closing handshake (§7.1.2); no data frame may be sent after it.
     *
     * @param code a code that may be sent: 1000-1003, 1007-1014 or 3000-4999
     * @param reason a reason of at most 123 bytes of UTF-8; may be empty
     * @return the close frame to write
     * @throws IllegalStateException if a close frame was already sent, or the connection was released
     * @throws IllegalArgumentException if the code may not be sent, or the reason is too long or holds an unpaired
     *     surrogate
     */
    public ByteBuffer close(int code, String reason) {
        requireNotReleased();
        byte[] utf8 = MessageWriter.closeReason(code, reason);
        requireOutputOpen();
        closeSent = true;
        return writer().close(code, utf8);
    }

    private void requireOutputOpen() {
        requireNotReleased();
        if (closeSent) {
            throw new IllegalStateException("the connection is closing: a close frame was already sent");
        }
    }

    private void requireNotReleased() {
        if ((guards & RELEASED) != 0) {
            throw new IllegalStateException("the connection was released: it can no longer receive or send");
        }
    }

    /**
     * Releases what the negotiated extensions hold outside the heap. Call once the connection is over, whatever
     * way it ended; safe to call more than once, also from a handler's callback. After it, receiving and sending
     * throw {@link IllegalStateException}.
     */
    public void release() {
        guards |= RELEASED;
        List<Extension> extensions = config.extensions();
        // Indexed: an iterator would be garbage on every connection's end, most of which have no extension.
        for (int i = 0; i < extensions.size(); i++) {
            extensions.get(i).close();
        }
        resetMessages();
    }
}
