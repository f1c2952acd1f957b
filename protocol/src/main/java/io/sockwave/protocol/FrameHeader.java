package io.sockwave.protocol;

import java.nio.ByteBuffer;

/**
 * The frame header of RFC 6455 §5.2: its size, and the rules that the header alone decides, checked as it is
 * decoded: reserved opcodes, the shortest length encoding, a 64-bit length with its most significant bit set, and
 * the size and fragmentation of control frames (§5.5). Holds no state: {@link FrameReader} keeps the header it last
 * read in a few fields of its own, so that a connection carries no object for it.
 */
final class FrameHeader {
    static final int FIN = 0x80;
    static final int RSV_MASK = 0x70;
    static final int MASK = 0x80;
    static final int MAX_HEADER = 14;

    private FrameHeader() {
    }

    /** @return the size of the header whose second byte is {@code second}: 2 to 14 bytes */
    static int size(byte second) {
        int lengthCode = second & 0x7F;
        int extended = lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0;
        return 2 + extended + ((second & MASK) != 0 ? 4 : 0);
    }

    /**
     * Checks a whole header and reads its payload length.
     *
     * @param b holds the header at {@code pos}, whole
     * @param pos where it starts
     * @return the payload length
     * @throws ProtocolException (1002) when the header breaks a rule of §5.2 or §5.5
     */
    static long payloadLength(ByteBuffer b, int pos) {
        int first = b.get(pos) & 0xFF;
        int lengthCode = b.get(pos + 1) & 0x7F;
        Opcode opcode = Opcode.of(first & 0x0F);
        long length;
        if (lengthCode == 126) {
            length = readBigEndian(b, pos + 2, 2);
            if (length < 126) {
                throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "16-bit length not in shortest form");
            }
        } else if (lengthCode == 127) {
            length = readBigEndian(b, pos + 2, 8);
            if (length < 0) {
                throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "64-bit length with the top bit set");
            }
            if (length <= 0xFFFF) {
                throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "64-bit length not in shortest form");
            }
        } else {
            length = lengthCode;
        }
        if (opcode.isControl()) {
            if (length > 125) {
                throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "control frame payload over 125 bytes");
            }
            if ((first & FIN) == 0) {
                throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "fragmented control frame");
            }
        }
        return length;
    }

    /** @return the mask key of a whole, masked header at {@code pos}, big-endian */
    static int maskKey(ByteBuffer b, int pos) {
        return (int) readBigEndian(b, pos + size(b.get(pos + 1)) - 4, 4);
    }

    /** Reads network byte order whatever the buffer's {@link ByteBuffer#order() order} (§5.2). */
    private static long readBigEndian(ByteBuffer b, int at, int bytes) {
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value = (value << 8) | (b.get(at + i) & 0xFF);
        }
        return value;
    }
}
