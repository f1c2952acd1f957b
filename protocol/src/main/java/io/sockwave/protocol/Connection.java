package io.sockwave.protocol;

import io.sockwave.protocol.extension.Extension;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The WebSocket connection state machine of RFC 6455 §5-§7, from the end of the opening handshake to CLOSED, with
 * no I/O: bytes go in through {@link #receive}, events come out through an {@link EventHandler}; send calls return
 * the bytes of the frames to write, and replies the protocol owes the peer (pongs, the close reply, the close frame
 * that fails a connection) wait in {@link #pollOutput()}.
 *
 * <p>An instance is not thread-safe: one thread at a time may call it, and a caller that receives on one thread and
 * sends on another serializes the calls itself.
 *
 * <p>Who closes TCP (§7.1.1): {@link #shouldCloseTransport()} says when this end should close it now, after writing
 * what is pending. A server closes as soon as the close handshake completes; a client waits for the server to
 * close, and its caller closes after a timeout if the server never does.
 */
public final class Connection {
    /** Automatic pongs allowed to wait in {@link #pollOutput()}: a burst is answered in full, a flood is bounded. */
    static final int MAX_PENDING_PONGS = 32;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int MAX_CONTROL_PAYLOAD = 125;

    private final ConnectionConfig config;
    private final boolean client;
    private final FrameHeader header = new FrameHeader();
    /** Created with the first data frame: a connection that only ever idles holds none of the message state. */
    private MessageReader messages;
    private ArrayDeque<ByteBuffer> output;
    /**
     * Automatic pongs waiting in {@link #output}; past {@link #MAX_PENDING_PONGS} a newer ping's pong replaces the
     * newest of them (§5.5.3).
     */
    private int pendingPongs;
    private ByteBuffer newestPong;

    private boolean inFrame;
    private long frameLength;
    private long payloadRemaining;
    private byte[] controlPayload;

    private Opcode outgoingFragmented;

    private volatile boolean closeSent;
    private volatile boolean closeReceived;
    private volatile ProtocolException failure;

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
     * <p>All of {@code in} is consumed. Masked payloads are unmasked in place, so the buffer's contents between its
     * position and limit may change, and it must be writable. After a close frame has been received, or the connection has failed, further
     * bytes are discarded (§5.5.1: nothing follows a close frame).
     *
     * <p>A peer that breaks a rule fails the connection (§7.1.7): the matching close frame is queued in
     * {@link #pollOutput()}, {@link EventHandler#onFailure} is called, and the state becomes CLOSED. A handler may
     * fail the connection the same way by throwing a {@link ProtocolException} (say, 1008 for a message the
     * application refuses). Any other exception thrown by {@code handler} propagates to the caller and leaves the
     * connection as it was after that event.
     *
     * @param in bytes read from the transport
     * @param handler receives the events, synchronously
     */
    public void receive(ByteBuffer in, EventHandler handler) {
        try {
            while (in.hasRemaining() && !isInputClosed()) {
                if (!inFrame) {
                    if (!header.parse(in)) {
                        return;
                    }
                    beginFrame(handler);
                } else {
                    readPayload(in, handler);
                }
            }
        } catch (ProtocolException e) {
            fail(e, handler);
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
     */
    public boolean receiveEof() {
        boolean clean = state() == State.CLOSED;
        if (!clean) {
            closeSent = true;
            failure = new ProtocolException(CloseCode.ABNORMAL_CLOSURE, "connection closed without a close frame");
            resetMessages();
        }
        return clean;
    }

    /** Drops a message in progress: nothing more of it will come. */
    private void resetMessages() {
        if (messages != null) {
            messages.reset();
        }
    }

    private boolean isInputClosed() {
        return closeReceived || failure != null;
    }

    private void beginFrame(EventHandler handler) {
        if (client == header.masked()) {
            throw new ProtocolException(CloseCode.PROTOCOL_ERROR, client
                    ? "masked frame from server" : "unmasked frame from client");
        }
        Opcode opcode = header.opcode();
        int rsv = header.rsv();
        long length = header.payloadLength();
        if (opcode.isControl()) {
            if (rsv != 0) {
                throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "RSV bits set on a control frame");
            }
        } else {
            if (messages == null) {
                messages = new MessageReader(config);
            }
            messages.check(opcode, rsv);
        }
        // §10.4: sizes are judged on the announced length, before any of the payload is held.
        if (length > config.limits().maxFrameSize()) {
            throw new MessageTooBigException("frame", length, config.limits().maxFrameSize());
        }
        if (opcode.isControl()) {
            controlPayload = new byte[(int) length];
        } else {
            messages.begin(opcode, rsv, length, header.fin());
        }
        inFrame = true;
        frameLength = length;
        payloadRemaining = length;
        if (length == 0) {
            endFrame(handler, null, 0, 0);
        }
    }

    private void readPayload(ByteBuffer in, EventHandler handler) {
        int n = (int) Math.min(in.remaining(), payloadRemaining);
        int start = in.position();
        long offset = frameLength - payloadRemaining;
        if (header.masked()) {
            Masking.mask(in, start, n, header.maskKey(), offset);
        }
        payloadRemaining -= n;
        in.position(start + n);
        if (header.opcode().isControl()) {
            in.get(start, controlPayload, (int) offset, n);
            if (payloadRemaining == 0) {
                endFrame(handler, null, 0, 0);
            }
            return;
        }
        if (payloadRemaining == 0) {
            endFrame(handler, in, start, n);
        } else {
            messages.payload(in, start, n, false, header.fin(), false, handler);
        }
    }

    private void endFrame(EventHandler handler, ByteBuffer in, int start, int n) {
        inFrame = false;
        Opcode opcode = header.opcode();
        if (opcode.isControl()) {
            byte[] payload = controlPayload;
            controlPayload = null;
            onControlFrame(opcode, payload, handler);
        } else {
            messages.payload(in, start, n, true, header.fin(), frameLength == n, handler);
        }
    }

    private void onControlFrame(Opcode opcode, byte[] payload, EventHandler handler) {
        switch (opcode) {
            case PING -> {
                if (config.autoPong() && !closeSent) {
                    queuePong(payload);
                }
                handler.onPing(ByteBuffer.wrap(payload));
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
            // §5.5.1: the reply typically echoes the status code received; an empty close gets an empty reply.
            queue(frame(true, 0, Opcode.CLOSE, payload.length == 0 ? EMPTY : ByteBuffer.wrap(payload, 0, 2)));
        }
        handler.onClose(close.code(), close.reason());
    }

    private void fail(ProtocolException error, EventHandler handler) {
        failure = error;
        inFrame = false;
        resetMessages();
        if (!closeSent) {
            closeSent = true;
            queue(closeFrame(error.closeCode(), ClosePayload.truncatedReason(error.getMessage())));
        }
        handler.onFailure(error);
    }

    // ------------------------------------------------------------------ sending

    /**
     * @return the next frame this end owes the peer because of what it received (a pong, a close reply, the close
     *     that fails the connection), or null when there is none; write it before anything sent after it
     */
    public ByteBuffer pollOutput() {
        ByteBuffer next = output == null ? null : output.poll();
        if (next != null && (next.get(0) & 0x0F) == Opcode.PONG.code()) {
            pendingPongs--;
            if (next == newestPong) {
                newestPong = null;
            }
        }
        return next;
    }

    /** @return whether {@link #pollOutput()} has a frame waiting */
    public boolean hasOutput() {
        return output != null && !output.isEmpty();
    }

    /**
     * Each ping gets its pong, so that a peer sending a burst of pings sees every one answered. A flood, though,
     * must not grow {@link #output} while the caller is not draining it, so at most {@value #MAX_PENDING_PONGS}
     * pongs wait there; beyond that a newer ping's pong replaces the newest waiting one, as §5.5.3 allows: "If an
     * endpoint receives a Ping frame and has not yet sent Pong frame(s) in response to previous Ping frame(s), the
     * endpoint MAY elect to send a Pong frame for only the most recently processed Ping frame." No pong is ever put
     * behind a close: once a close is queued, none is.
     */
    private void queuePong(byte[] payload) {
        ByteBuffer pong = frame(true, 0, Opcode.PONG, ByteBuffer.wrap(payload));
        if (pendingPongs >= MAX_PENDING_PONGS && newestPong != null) {
            output.removeLastOccurrence(newestPong);
            pendingPongs--;
        }
        newestPong = pong;
        pendingPongs++;
        queue(pong);
    }

    private void queue(ByteBuffer frame) {
        if (output == null) {
            output = new ArrayDeque<>(2);
        }
        output.add(frame);
    }

    /**
     * Encodes a text message, through the negotiated extensions.
     *
     * @param text the message
     * @return the frame to write
     * @throws IllegalStateException if a close frame was sent or received, or a fragmented message is in progress
     * @throws IllegalArgumentException if the text holds an unpaired surrogate, which UTF-8 cannot carry
     */
    public ByteBuffer sendText(CharSequence text) {
        if (!config.extensions().isEmpty()) {
            return sendMessage(Opcode.TEXT, ByteBuffer.wrap(TextEncoder.encode(text)));
        }
        // Nothing transforms the payload: the text is encoded straight into the frame.
        int length = TextEncoder.utf8Length(text);
        requireMessageStart();
        int headerSize = FrameEncoder.headerSize(length, client);
        byte[] frame = new byte[headerSize + length];
        ByteBuffer out = ByteBuffer.wrap(frame);
        int maskKey = client ? config.maskKeys().nextKey() : 0;
        FrameEncoder.writeHeader(out, true, 0, Opcode.TEXT, length, client, maskKey);
        TextEncoder.encode(text, length, frame, headerSize);
        if (client) {
            Masking.mask(frame, headerSize, length, maskKey);
        }
        return out.position(0);
    }

    /**
     * Encodes a binary message, through the negotiated extensions.
     *
     * @param data the message, from position to limit; not modified
     * @return the frame to write
     * @throws IllegalStateException if a close frame was sent or received, or a fragmented message is in progress
     */
    public ByteBuffer sendBinary(ByteBuffer data) {
        return sendMessage(Opcode.BINARY, data);
    }

    /** @param payload the message; not modified (extensions get a view of it) */
    private ByteBuffer sendMessage(Opcode type, ByteBuffer payload) {
        requireMessageStart();
        List<Extension> extensions = config.extensions();
        int rsv = 0;
        for (int i = 0; i < extensions.size(); i++) {
            Extension.Encoded encoded = extensions.get(i).encode(type, i == 0 ? payload.duplicate() : payload);
            payload = encoded.payload();
            rsv |= encoded.rsv();
        }
        return frame(true, rsv, type, payload);
    }

    private void requireMessageStart() {
        requireOutputOpen();
        if (outgoingFragmented != null) {
            throw new IllegalStateException("a fragmented message is in progress; finish it first");
        }
    }

    /**
     * Encodes one fragment of a message sent in pieces (§5.4). Fragments are not passed through extensions.
     *
     * @param type {@link Opcode#TEXT} or {@link Opcode#BINARY}: the type of the message this fragment belongs to
     * @param data the fragment's payload, from position to limit; not modified
     * @param last whether this fragment ends the message
     * @return the frame to write
     * @throws IllegalStateException if a close frame was sent or received, or {@code type} differs from that of the
     *     message in progress
     * @throws IllegalArgumentException if {@code type} is not a data opcode
     */
    public ByteBuffer sendFragment(Opcode type, ByteBuffer data, boolean last) {
        requireOutputOpen();
        if (type != Opcode.TEXT && type != Opcode.BINARY) {
            throw new IllegalArgumentException("fragments are TEXT or BINARY, not " + type);
        }
        if (outgoingFragmented != null && outgoingFragmented != type) {
            throw new IllegalStateException("a " + outgoingFragmented + " message is in progress, not " + type);
        }
        Opcode opcode = outgoingFragmented == null ? type : Opcode.CONTINUATION;
        outgoingFragmented = last ? null : type;
        return frame(last, 0, opcode, data);
    }

    /**
     * @param payload application data, at most 125 bytes (§5.5)
     * @return the ping frame to write
     * @throws IllegalStateException if a close frame was sent
     * @throws IllegalArgumentException if the payload is too long
     */
    public ByteBuffer ping(ByteBuffer payload) {
        return control(Opcode.PING, payload);
    }

    /**
     * An unsolicited pong (§5.5.3) serves as a one-way heartbeat.
     *
     * @param payload application data, at most 125 bytes
     * @return the pong frame to write
     * @throws IllegalStateException if a close frame was sent
     * @throws IllegalArgumentException if the payload is too long
     */
    public ByteBuffer pong(ByteBuffer payload) {
        return control(Opcode.PONG, payload);
    }

    private ByteBuffer control(Opcode opcode, ByteBuffer payload) {
        requireOutputOpen();
        if (payload.remaining() > MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException(
                    "control frame payload of " + payload.remaining() + " bytes exceeds 125 (RFC 6455 §5.5)");
        }
        return frame(true, 0, opcode, payload);
    }

    /**
     * Starts the closing handshake (§7.1.2); no data frame may be sent after it.
     *
     * @param code a code that may be sent: 1000-1003, 1007-1014 or 3000-4999
     * @param reason a reason of at most 123 bytes of UTF-8; may be empty
     * @return the close frame to write
     * @throws IllegalStateException if a close frame was already sent
     * @throws IllegalArgumentException if the code may not be sent, or the reason is too long or holds an unpaired
     *     surrogate
     */
    public ByteBuffer close(int code, String reason) {
        if (!CloseCode.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent (RFC 6455 §7.4)");
        }
        byte[] utf8 = TextEncoder.encode(reason);
        if (utf8.length > ClosePayload.MAX_REASON_BYTES) {
            throw new IllegalArgumentException(
                    "close reason of " + utf8.length + " bytes exceeds 123 bytes of UTF-8 (RFC 6455 §5.5)");
        }
        requireOutputOpen();
        closeSent = true;
        return closeFrame(code, utf8);
    }

    private ByteBuffer closeFrame(int code, byte[] reason) {
        return frame(true, 0, Opcode.CLOSE, ClosePayload.encode(code, reason));
    }

    private void requireOutputOpen() {
        if (closeSent) {
            throw new IllegalStateException("the connection is closing: a close frame was already sent");
        }
    }

    private ByteBuffer frame(boolean fin, int rsv, Opcode opcode, ByteBuffer payload) {
        return FrameEncoder.encode(fin, rsv, opcode, payload, client, client ? config.maskKeys().nextKey() : 0);
    }

    /**
     * Releases what the negotiated extensions hold outside the heap. Call once the connection is over, whatever
     * way it ended; safe to call more than once.
     */
    public void release() {
        List<Extension> extensions = config.extensions();
        for (Extension extension : extensions) {
            extension.close();
        }
        resetMessages();
    }
}
