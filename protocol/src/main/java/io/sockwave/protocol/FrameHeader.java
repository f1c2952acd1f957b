package io.sockwave.protocol;

import java.nio.ByteBuffer;

/**
 * An incremental parser for the frame header of RFC 6455 §5.2, and the header it last parsed.
 *
 * <p>{@link #parse(ByteBuffer)} consumes header bytes however they are split; a header that arrives in pieces is
 * gathered in a 14-byte scratch buffer, while one that is whole in the buffer is read in place. The rules that the
 * header alone decides are enforced here: reserved opcodes, the shortest length encoding, a 64-bit length with its
 * most significant bit set, and the size and fragmentation of control frames (§5.5). An instance is reused for
 * every frame of a connection, so parsing allocates nothing (but that scratch buffer, once).
 */
final class FrameHeader {
    static final int FIN = 0x80;
    static final int RSV_MASK = 0x70;
    static final int MAX_HEADER = 14;

    /** Created the first time a header arrives in pieces; most connections never need it. */
    private ByteBuffer scratch;
    private int gathered;

    private boolean fin;
    private int rsv;
    private Opcode opcode;
    private boolean masked;
    private int maskKey;
    private long payloadLength;

    /**
     * Consumes header bytes from {@code in}.
     *
     * @param in bytes from the peer; only header bytes are consumed
     * @return true when a whole header has been parsed; false when more bytes are needed
     * @throws ProtocolException (1002) when the header breaks a rule of §5.2 or §5.5
     */
    boolean parse(ByteBuffer in) {
        if (gathered == 0 && in.remaining() >= 2) {
            int pos = in.position();
            int needed = headerSize(in.get(pos + 1));
            if (in.remaining() >= needed) {
                decode(in, pos);
                in.position(pos + needed);
                return true;
            }
        }
        if (scratch == null) {
            scratch = ByteBuffer.allocate(MAX_HEADER);
        }
        while (in.hasRemaining()) {
            scratch.put(gathered++, in.get());
            if (gathered >= 2 && gathered == headerSize(scratch.get(1))) {
                gathered = 0;
                decode(scratch, 0);
                return true;
            }
        }
        return false;
    }

    private static int headerSize(byte second) {
        int lengthCode = second & 0x7F;
        int extended = lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0;
        return 2 + extended + ((second & 0x80) != 0 ? 4 : 0);
    }

    /** Reads network byte order whatever the buffer's {@link ByteBuffer#order() order} (§5.2). */
    private static long readBigEndian(ByteBuffer b, int at, int bytes) {
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value = (value << 8) | (b.get(at + i) & 0xFF);
        }
        return value;
    }

    private void decode(ByteBuffer b, int pos) {
        int first = b.get(pos) & 0xFF;
        int second = b.get(pos + 1) & 0xFF;
        fin = (first & FIN) != 0;
        rsv = first & RSV_MASK;
        opcode = Opcode.of(first & 0x0F);
        masked = (second & 0x80) != 0;
        int lengthCode = second & 0x7F;
        int at = pos + 2;
        if (lengthCode == 126) {
            payloadLength = readBigEndian(b, at, 2);
            at += 2;
            if (payloadLength < 126) {
                throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "16-bit length not in shortest form");
            }
        } else if (lengthCode == 127) {
            payloadLength = readBigEndian(b, at, 8);
            at += 8;
            if (payloadLength < 0) {
                throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "64-bit length with the top bit set");
            }
            if (payloadLength <= 0xFFFF) {
                throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "64-bit length not in shortest form");
            }
        } else {
            payloadLength = lengthCode;
        }
        maskKey = masked ? (int) readBigEndian(b, at, 4) : 0;
        if (opcode.isControl()) {
            if (payloadLength > 125) {
                throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "control frame payload over 125 bytes");
            }
            if (!fin) {
                throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "fragmented control frame");
            }
        }
    }

    boolean fin() {
        return fin;
    }

    /** @return the RSV bits as they sit in the first header byte (RSV1 = 0x40, RSV2 = 0x20, RSV3 = 0x10) */
    int rsv() {
        return rsv;
    }

    Opcode opcode() {
        return opcode;
    }

    boolean masked() {
        return masked;
    }

    int maskKey() {
        return maskKey;
    }

    long payloadLength() {
        return payloadLength;
    }
}
