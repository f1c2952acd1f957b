package io.sockwave.protocol;

import io.sockwave.protocol.extension.Extension;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The sending half of a connection, beside {@link MessageReader}: data messages, whole or in fragments (RFC 6455
 * §5.4), passed through the negotiated extensions (§9); control frames (§5.5); and masking, a fresh key per frame
 * for what a client sends (§5.3). It keeps the one fragmented message that may be in progress. Whether anything may
 * still be sent at all, after a close, is {@link Connection}'s to say: it asks before calling here.
 */
final class MessageWriter {
    /** §5.5: control payloads are at most 125 bytes. */
    static final int MAX_CONTROL_PAYLOAD = 125;
    private static final boolean[] NO_EXTENSIONS = new boolean[0];

    private final ConnectionConfig config;
    private final boolean client;
    private final List<Extension> extensions;
    /** The type of the fragmented message in progress, or null between messages. */
    private Opcode fragmented;
    /**
     * For the fragmented message in progress, which extensions transform it: those that set RSV bits on its first
     * fragment. The others see none of its later fragments (see {@link Extension#encodeFragment}).
     */
    private final boolean[] transforming;
    /**
     * A high surrogate that ended the previous text fragment: its low half opens the next one, and the pair is
     * encoded there, so that text may be cut into fragments at any char index.
     */
    private char heldHighSurrogate;

    MessageWriter(ConnectionConfig config) {
        this.config = config;
        this.client = config.role() == Role.CLIENT;
        this.extensions = config.extensions();
        this.transforming = extensions.isEmpty() ? NO_EXTENSIONS : new boolean[extensions.size()];
    }

    /** @see Connection#sendText(CharSequence) */
    ByteBuffer text(CharSequence text) {
        if (!extensions.isEmpty()) {
            return message(Opcode.TEXT, ByteBuffer.wrap(TextEncoder.encode(text)));
        }
        // Nothing transforms the payload: the text is encoded straight into the frame, in the allocator's buffer
        // when it has an array (a pool's small frames, the heap's); into a direct one through a copy, staged in an
        // array of the connection's pool.
        int length = TextEncoder.utf8Length(text);
        requireMessageStart();
        int headerSize = FrameEncoder.headerSize(length, client);
        ByteBuffer out = config.frames().allocate(headerSize + length);
        int maskKey = client ? config.maskKeys().nextKey() : 0;
        FrameEncoder.writeHeader(out, true, 0, Opcode.TEXT, length, client, maskKey);
        if (out.hasArray()) {
            int payload = out.arrayOffset() + headerSize;
            TextEncoder.encode(text, length, out.array(), payload);
            if (client) {
                Masking.mask(out.array(), payload, length, maskKey);
            }
        } else {
            byte[] bytes = config.arrays().take(length);
            TextEncoder.encode(text, length, bytes, 0);
            if (client) {
                Masking.mask(bytes, 0, length, maskKey);
            }
            out.put(headerSize, bytes, 0, length);
            config.arrays().give(bytes);
        }
        return out.position(0);
    }

    /** @see Connection#sendBinary(ByteBuffer) */
    ByteBuffer binary(ByteBuffer data) {
        return message(Opcode.BINARY, data);
    }

    /** @param payload the message; not modified (extensions get a view of it) */
    private ByteBuffer message(Opcode type, ByteBuffer payload) {
        requireMessageStart();
        int rsv = 0;
        for (int i = 0; i < extensions.size(); i++) {
            Extension.Encoded encoded = extensions.get(i).encode(type, i == 0 ? payload.duplicate() : payload);
            payload = encoded.payload();
            rsv |= encoded.rsv();
        }
        return frame(true, rsv, type, payload);
    }

    private void requireMessageStart() {
        if (fragmented != null) {
            throw new IllegalStateException("a fragmented message is in progress; finish it first");
        }
    }

    /** @see Connection#sendFragment(CharSequence, boolean) */
    ByteBuffer textFragment(CharSequence text, boolean last) {
        StringBuilder chars = new StringBuilder(text.length() + 1);
        if (heldHighSurrogate != 0) {
            chars.append(heldHighSurrogate);
        }
        chars.append(text);
        char held = 0;
        int end = chars.length();
        if (!last && end > 0 && Character.isHighSurrogate(chars.charAt(end - 1))) {
            held = chars.charAt(end - 1);
            chars.setLength(end - 1);
        }
        ByteBuffer frame = encodeFragment(Opcode.TEXT, ByteBuffer.wrap(TextEncoder.encode(chars)), last);
        heldHighSurrogate = held;
        return frame;
    }

    /**
     * A fragment goes through the extensions as {@link Extension#encodeFragment} describes; only the message's
     * first frame carries RSV bits (§5.2, RFC 7692 §6.1).
     *
     * @see Connection#sendFragment(Opcode, ByteBuffer, boolean)
     */
    ByteBuffer fragment(Opcode type, ByteBuffer data, boolean last) {
        if (heldHighSurrogate != 0) {
            // Bytes cannot finish a pair whose high half is waiting as a char, nor may it leak into the next message.
            throw new IllegalArgumentException("the last text piece ended with a high surrogate: send its low half as"
                    + " chars (sendFragment(CharSequence, boolean))");
        }
        return encodeFragment(type, data, last);
    }

    private ByteBuffer encodeFragment(Opcode type, ByteBuffer data, boolean last) {
        if (type != Opcode.TEXT && type != Opcode.BINARY) {
            throw new IllegalArgumentException("fragments are TEXT or BINARY, not " + type);
        }
        if (fragmented != null && fragmented != type) {
            throw new IllegalStateException("a " + fragmented + " message is in progress, not " + type);
        }
        boolean first = fragmented == null;
        ByteBuffer payload = extensions.isEmpty() ? data : data.duplicate();
        int rsv = 0;
        for (int i = 0; i < extensions.size(); i++) {
            if (first || transforming[i]) {
                Extension.Encoded encoded = extensions.get(i).encodeFragment(type, payload, first, last);
                payload = encoded.payload();
                if (first) {
                    transforming[i] = encoded.rsv() != 0;
                    rsv |= encoded.rsv();
                }
            }
        }
        fragmented = last ? null : type;
        return frame(last, rsv, first ? type : Opcode.CONTINUATION, payload);
    }

    /**
     * @param opcode PING, PONG or CLOSE
     * @param payload at most 125 bytes; not modified
     * @return the control frame
     * @throws IllegalArgumentException if the payload is too long
     */
    ByteBuffer control(Opcode opcode, ByteBuffer payload) {
        if (payload.remaining() > MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException(
                    "control frame payload of " + payload.remaining() + " bytes exceeds 125 (RFC 6455 §5.5)");
        }
        return frame(true, 0, opcode, payload);
    }

    /**
     * @param received the payload of the close frame received, already validated
     * @return the close frame that answers it: §5.5.1, the reply typically echoes the status code received; an
     *     empty close gets an empty reply
     */
    ByteBuffer closeReply(byte[] received) {
        return FrameEncoder.encode(true, 0, Opcode.CLOSE, received, 0, Math.min(received.length, 2), client,
                client ? config.maskKeys().nextKey() : 0, config.frames());
    }

    /**
     * @param code a code that may be sent
     * @param reason the UTF-8 reason, at most 123 bytes
     * @return the close frame
     */
    ByteBuffer close(int code, byte[] reason) {
        return control(Opcode.CLOSE, ClosePayload.encode(code, reason));
    }

    /**
     * @return the UTF-8 of a close reason the application gave, once the code and reason are known to be sendable
     * @throws IllegalArgumentException if the code may not be sent, or the reason is too long or holds an unpaired
     *     surrogate
     */
    static byte[] closeReason(int code, String reason) {
        if (!CloseCode.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent (RFC 6455 §7.4)");
        }
        byte[] utf8 = TextEncoder.encode(reason);
        if (utf8.length > ClosePayload.MAX_REASON_BYTES) {
            throw new IllegalArgumentException(
                    "close reason of " + utf8.length + " bytes exceeds 123 bytes of UTF-8 (RFC 6455 §5.5)");
        }
        return utf8;
    }

    private ByteBuffer frame(boolean fin, int rsv, Opcode opcode, ByteBuffer payload) {
        return FrameEncoder.encode(fin, rsv, opcode, payload, client, client ? config.maskKeys().nextKey() : 0,
                config.frames());
    }
}
