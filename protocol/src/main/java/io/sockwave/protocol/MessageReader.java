package io.sockwave.protocol;

import io.sockwave.protocol.extension.Extension;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The data-frame half of receiving: fragmentation rules (RFC 6455 §5.4), RSV bits and the extension a message is
 * routed through (§5.2, §9), the message size limit, and delivery of whole messages or pieces to the handler.
 * {@link FrameReader} reads headers and payload bytes and hands data frames here.
 */
final class MessageReader {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final List<Extension> extensions;
    private final int claimedRsv;
    private final boolean streaming;
    private final boolean lendBinary;
    private final MessageAssembler message;

    /** The type of the message in progress, or null between messages. */
    private Opcode type;
    /** The extension decoding the message in progress, or null when it is sent as is. */
    private Extension extension;

    MessageReader(ConnectionConfig config) {
        this.extensions = config.extensions();
        this.streaming = config.streaming();
        this.lendBinary = config.lendBinary();
        this.message = new MessageAssembler(config.limits().maxMessageSize(), config.messageBudget(), config.arrays(),
                lendBinary);
        int rsv = 0;
        for (Extension e : extensions) {
            rsv |= e.rsvBits();
        }
        this.claimedRsv = rsv;
    }

    /**
     * §5.2 and §5.4: the rules a data frame's header must follow, whatever its size.
     *
     * @throws ProtocolException (1002) for a continuation with nothing to continue, a new message inside a
     *     fragmented one, or RSV bits no negotiated extension claims
     */
    void check(Opcode opcode, int rsv) {
        if (opcode == Opcode.CONTINUATION) {
            if (type == null) {
                throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "continuation frame with no message to continue");
            }
            if (rsv != 0) {
                throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "RSV bits set on a continuation frame");
            }
        } else {
            if (type != null) {
                throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "new data frame inside a fragmented message");
            }
            if ((rsv & ~claimedRsv) != 0) {
                throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "RSV bits set without a negotiated extension");
            }
        }
    }

    /**
     * @param opcode the opcode of a data frame that {@link #check} accepted
     * @param rsv its RSV bits
     * @return whether an extension transforms its payload: it sets RSV bits, or continues a message that did
     */
    boolean isTransformed(Opcode opcode, int rsv) {
        return opcode == Opcode.CONTINUATION ? extension != null : rsv != 0;
    }

    /**
     * Starts a data frame that {@link #check} accepted.
     *
     * @param length the announced payload length, already within the frame limit
     * @param fin whether the frame ends its message
     * @throws MessageTooBigException if an uncompressed message would exceed its limit with this frame
     */
    void begin(Opcode opcode, int rsv, long length, boolean fin) {
        if (opcode != Opcode.CONTINUATION) {
            type = opcode;
            extension = rsv == 0 ? null : extensionFor(rsv);
            message.begin(opcode == Opcode.TEXT);
        }
        if (extension == null) {
            message.checkRoomFor(length);
            if (fin) {
                message.expectEnd(message.total() + length);
            }
        }
    }

    private Extension extensionFor(int rsv) {
        for (Extension e : extensions) {
            if ((e.rsvBits() & rsv) != 0) {
                return e;
            }
        }
        throw new IllegalStateException("no extension claims RSV bits 0x" + Integer.toHexString(rsv));
    }

    /**
     * Takes payload bytes of the current frame, as they came: still masked when the peer masks.
     *
     * @param in the read buffer
     * @param start the absolute index of the first payload byte in {@code in}
     * @param n how many payload bytes; {@code in} may be null when there are none
     * @param key the mask key as it applies to {@code in[start]} (§5.3), or 0 for bytes sent unmasked (masking with
     *     0 changes nothing)
     * @param frameEnds whether these are the frame's last bytes
     * @param fin whether the frame ends its message
     * @param wholeFrame whether these bytes are the frame's entire payload
     */
    void payload(ByteBuffer in, int start, int n, int key, boolean frameEnds, boolean fin, boolean wholeFrame,
                 EventHandler handler) {
        boolean endOfMessage = frameEnds && fin;
        if (endOfMessage && wholeFrame && type == Opcode.TEXT && message.total() == 0 && extension == null
                && !streaming && in != null && in.hasArray()) {
            Masking.mask(in.array(), in.arrayOffset() + start, n, key);
            deliverWholeText(in.array(), in.arrayOffset() + start, n, handler);
        } else {
            chunk(in, start, n, key, endOfMessage, handler);
        }
    }

    /**
     * The common case for text read into a heap buffer: a whole unfragmented, uncompressed message in one read is
     * validated and decoded in one pass straight from the buffer's array, with no intermediate array. (Binary, and
     * text in a direct buffer, take the assembler path, which allocates only an array of the message's size.)
     */
    private void deliverWholeText(byte[] bytes, int from, int length, EventHandler handler) {
        type = null;
        handler.onText(Utf8Decoder.decode(bytes, from, length));
    }

    private void chunk(ByteBuffer in, int start, int n, int key, boolean endOfMessage, EventHandler handler) {
        byte[] piece = null;
        if (extension != null) {
            // The extension reads the payload where it lies, so it is unmasked there.
            ByteBuffer bytes;
            if (n == 0) {
                bytes = EMPTY.duplicate();
            } else {
                Masking.mask(in, start, n, key, 0);
                bytes = in.duplicate().limit(start + n).position(start);
            }
            extension.decode(bytes, endOfMessage, message);
        } else if (streaming) {
            piece = message.pass(in, start, n, key);
        } else if (n > 0) {
            message.write(in, start, n, key);
        }
        if (endOfMessage) {
            message.finishText();
        }
        Opcode messageType = type;
        if (endOfMessage) {
            type = null;
            extension = null;
        }
        if (streaming) {
            handler.onFragment(messageType, ByteBuffer.wrap(piece != null ? piece : message.takeBytes()),
                    endOfMessage);
        } else if (endOfMessage) {
            if (messageType == Opcode.TEXT) {
                handler.onText(message.takeText());
            } else if (lendBinary) {
                message.lendTo(handler);
            } else {
                handler.onBinary(ByteBuffer.wrap(message.takeBytes()));
            }
        }
    }

    /** @return bytes of the message in progress received so far (after decompression), or -1 between messages */
    long incompleteBytes() {
        return type == null ? -1 : message.total();
    }

    /** Drops the message in progress, if any: the connection is closing or closed. */
    void reset() {
        type = null;
        extension = null;
        message.reset();
    }
}
