package io.sockwave.protocol;

import java.nio.ByteBuffer;

/**
 * The frame half of receiving: reads headers and payloads in any chunking, enforces the rules a frame header must
 * follow (§5.1 masking, §5.2 RSV bits, §5.5 control frames, §10.4 frame size), and hands data payloads to
 * {@link MessageReader} with the mask key that applies to them, and whole control frames, unmasked, back to
 * {@link Connection}, which owns the closing state. Payloads are unmasked where they are copied to, not in the read
 * buffer: a heap array unmasks much faster than a direct buffer, and the copy is made anyway.
 */
final class FrameReader {
    private static final byte[] NO_PAYLOAD = new byte[0];

    /** Owns the closing state: whole control frames go back to it, unmasked. */
    private final Connection connection;
    /** Created with the first data frame: a connection that only ever idles holds none of the message state. */
    private MessageReader messages;
    /** Created the first time a header arrives in pieces, to gather it; most connections never need it. */
    private ByteBuffer scratch;
    private byte gathered;

    // The header of the current frame (§5.2), kept as fields rather than as an object of its own.
    private byte first;
    private boolean masked;
    private Opcode opcode;
    private int maskKey;

    private boolean inFrame;
    private long frameLength;
    private long payloadRemaining;
    private byte[] controlPayload;

    FrameReader(Connection connection) {
        this.connection = connection;
    }

    /**
     * Reads a frame header, or payload bytes of the current frame.
     *
     * @param in bytes from the transport, with some remaining
     * @return false when {@code in} ends inside a header, which waits for more bytes
     * @throws ProtocolException when the peer broke a rule
     */
    boolean read(ByteBuffer in, EventHandler handler) {
        if (inFrame) {
            readPayload(in, handler);
            return true;
        }
        if (!readHeader(in)) {
            return false;
        }
        beginFrame(handler);
        return true;
    }

    /**
     * Consumes header bytes however they are split: a header whole in the buffer is read in place, one that arrives
     * in pieces is gathered in {@link #scratch}.
     *
     * @return true when a whole header has been read
     */
    private boolean readHeader(ByteBuffer in) {
        if (gathered == 0 && in.remaining() >= 2) {
            int pos = in.position();
            int needed = FrameHeader.size(in.get(pos + 1));
            if (in.remaining() >= needed) {
                decodeHeader(in, pos);
                in.position(pos + needed);
                return true;
            }
        }
        if (scratch == null) {
            scratch = ByteBuffer.allocate(FrameHeader.MAX_HEADER);
        }
        while (in.hasRemaining()) {
            scratch.put(gathered++, in.get());
            if (gathered >= 2 && gathered == FrameHeader.size(scratch.get(1))) {
                gathered = 0;
                decodeHeader(scratch, 0);
                return true;
            }
        }
        return false;
    }

    private void decodeHeader(ByteBuffer b, int pos) {
        long length = FrameHeader.payloadLength(b, pos);
        first = b.get(pos);
        masked = (b.get(pos + 1) & FrameHeader.MASK) != 0;
        opcode = Opcode.of(first & 0x0F);
        maskKey = masked ? FrameHeader.maskKey(b, pos) : 0;
        frameLength = length;
    }

    private boolean fin() {
        return (first & FrameHeader.FIN) != 0;
    }

    /** @return bytes of the message in progress received so far, or -1 between messages */
    long incompleteMessageBytes() {
        return messages == null ? -1 : messages.incompleteBytes();
    }

    /** Drops a message in progress: nothing more of it will come. */
    void resetMessages() {
        if (messages != null) {
            messages.reset();
        }
    }

    /** Drops the frame and the message in progress: the connection failed. */
    void abort() {
        inFrame = false;
        resetMessages();
    }

    private void beginFrame(EventHandler handler) {
        boolean client = connection.isClient();
        if (client == masked) {
            throw new ProtocolException(CloseCode.PROTOCOL_ERROR, client
                    ? "masked frame from server" : "unmasked frame from client");
        }
        int rsv = first & FrameHeader.RSV_MASK;
        long length = frameLength;
        ConnectionConfig config = connection.config();
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
        // §10.4: sizes are judged on the announced length, before any of the payload is held. A control frame is
        // bounded by §5.5's 125 bytes instead: a frame limit set below that (by a small message limit) would fail a
        // peer's valid ping, or its close reply, with 1009.
        if (!opcode.isControl()) {
            long limit = messages.isTransformed(opcode, rsv)
                    ? transformedFrameLimit(config.limits().maxFrameSize()) : config.limits().maxFrameSize();
            if (length > limit) {
                throw new MessageTooBigException("frame", length, limit);
            }
        }
        if (opcode.isControl()) {
            // An empty payload is shared: a flood of empty pings allocates nothing per ping here.
            controlPayload = length == 0 ? NO_PAYLOAD : new byte[(int) length];
        } else {
            messages.begin(opcode, rsv, length, fin());
        }
        inFrame = true;
        payloadRemaining = length;
        if (length == 0) {
            endFrame(handler, null, 0, 0, 0);
        }
    }

    /**
     * The wire size a frame an extension transforms may have: the frame limit plus what compression may add to that
     * many bytes it cannot shrink. A frame limit equal to the message limit (as {@link Limits#withMaxMessageSize}
     * sets it) must still let a message of that size through, and a peer compresses random or already compressed
     * data into a few bytes more than it is. The bound is zlib's {@code deflateBound} for any settings, an eighth
     * and a sixty-fourth more, with room for the flush markers. What the frame inflates to is still held to the
     * message limit as it is decoded, and its payload is decoded as it arrives, never held whole.
     */
    private static long transformedFrameLimit(int maxFrameSize) {
        return maxFrameSize + ((maxFrameSize + 7L) >> 3) + ((maxFrameSize + 63L) >> 6) + 64;
    }

    private void readPayload(ByteBuffer in, EventHandler handler) {
        int n = (int) Math.min(in.remaining(), payloadRemaining);
        int start = in.position();
        long offset = frameLength - payloadRemaining;
        // The key as it applies to in[start]: a piece of the payload may begin at any of the key's four octets.
        int key = masked ? Integer.rotateLeft(maskKey, 8 * (int) (offset & 3)) : 0;
        payloadRemaining -= n;
        in.position(start + n);
        if (opcode.isControl()) {
            in.get(start, controlPayload, (int) offset, n);
            Masking.mask(controlPayload, (int) offset, n, key);
            if (payloadRemaining == 0) {
                endFrame(handler, null, 0, 0, 0);
            }
            return;
        }
        if (payloadRemaining == 0) {
            endFrame(handler, in, start, n, key);
        } else {
            messages.payload(in, start, n, key, false, fin(), false, handler);
        }
    }

    private void endFrame(EventHandler handler, ByteBuffer in, int start, int n, int key) {
        inFrame = false;
        if (opcode.isControl()) {
            byte[] payload = controlPayload;
            controlPayload = null;
            connection.onControlFrame(opcode, payload, handler);
        } else {
            messages.payload(in, start, n, key, true, fin(), frameLength == n, handler);
        }
    }
}
