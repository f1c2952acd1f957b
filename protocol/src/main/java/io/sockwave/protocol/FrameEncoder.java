package io.sockwave.protocol;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Writes frames in the wire format of RFC 6455 §5.2:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-------+-+-------------+-------------------------------+
 * |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 * |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 * |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 * | |1|2|3|       |K|             |                               |
 * +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 * |     Extended payload length continued, if payload len == 127  |
 * + - - - - - - - - - - - - - - - +-------------------------------+
 * |                               |Masking-key, if MASK set to 1  |
 * +-------------------------------+-------------------------------+
 * | Masking-key (continued)       |          Payload Data         |
 * +-------------------------------- - - - - - - - - - - - - - - - +
 * </pre>
 *
 * Lengths always take their shortest form. The encoder holds no state: masking, when asked for, uses the key given.
 */
public final class FrameEncoder {
    private FrameEncoder() {
    }

    /**
     * @param payloadLength the payload length
     * @param masked whether a mask key follows
     * @return the header size in bytes, 2 to 14
     */
    public static int headerSize(long payloadLength, boolean masked) {
        int size = payloadLength < 126 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
        return masked ? size + 4 : size;
    }

    /**
     * Writes a header at the buffer's position and advances it. Multi-byte fields are written in network byte order
     * whatever the buffer's {@link ByteBuffer#order() order}.
     *
     * @param out where to write, with at least {@link #headerSize} bytes remaining
     * @param fin whether this is the final fragment of its message
     * @param rsv the RSV bits as they sit in the first byte (0x40, 0x20, 0x10)
     * @param opcode the opcode
     * @param payloadLength the payload length, not negative
     * @param masked whether to set the mask bit and write {@code maskKey}
     * @param maskKey the mask key, big-endian; ignored unless {@code masked}
     * @throws IllegalArgumentException if {@code payloadLength} is negative
     */
    public static void writeHeader(ByteBuffer out, boolean fin, int rsv, Opcode opcode, long payloadLength,
                                   boolean masked, int maskKey) {
        if (payloadLength < 0) {
            throw new IllegalArgumentException("negative payload length " + payloadLength);
        }
        out.put((byte) ((fin ? FrameHeader.FIN : 0) | (rsv & FrameHeader.RSV_MASK) | opcode.code()));
        int maskBit = masked ? 0x80 : 0;
        if (payloadLength < 126) {
            out.put((byte) (maskBit | payloadLength));
        } else if (payloadLength <= 0xFFFF) {
            out.put((byte) (maskBit | 126));
            putBigEndian(out, payloadLength, 2);
        } else {
            out.put((byte) (maskBit | 127));
            putBigEndian(out, payloadLength, 8);
        }
        if (masked) {
            putBigEndian(out, maskKey, 4);
        }
    }

    private static void putBigEndian(ByteBuffer out, long value, int bytes) {
        for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
            out.put((byte) (value >>> shift));
        }
    }

    /**
     * Encodes a whole frame into a new heap buffer, masking the copied payload when asked.
     *
     * @param fin whether this is the final fragment of its message
     * @param rsv the RSV bits
     * @param opcode the opcode
     * @param payload the payload, from position to limit; not modified
     * @param masked whether to mask (a client's frames always are, §5.3)
     * @param maskKey the mask key; ignored unless {@code masked}
     * @return the frame, ready to be written (position 0, limit at its end)
     */
    public static ByteBuffer encode(boolean fin, int rsv, Opcode opcode, ByteBuffer payload, boolean masked,
                                    int maskKey) {
        return encode(fin, rsv, opcode, payload, masked, maskKey, FrameAllocator.HEAP);
    }

    /**
     * Encodes a whole frame into a buffer from {@code into}, masking the copied payload when asked.
     *
     * @param fin whether this is the final fragment of its message
     * @param rsv the RSV bits
     * @param opcode the opcode
     * @param payload the payload, from position to limit; not modified
     * @param masked whether to mask (a client's frames always are, §5.3)
     * @param maskKey the mask key; ignored unless {@code masked}
     * @param into where the frame's buffer comes from
     * @return the frame, ready to be written (position 0, limit at its end)
     * @throws IllegalStateException if the allocator breaks its contract
     */
    public static ByteBuffer encode(boolean fin, int rsv, Opcode opcode, ByteBuffer payload, boolean masked,
                                    int maskKey, FrameAllocator into) {
        int length = payload.remaining();
        ByteBuffer frame = allocate(into, headerSize(length, masked) + length);
        writeHeader(frame, fin, rsv, opcode, length, masked, maskKey);
        int payloadStart = frame.position();
        frame.put(payloadStart, payload, payload.position(), length);
        if (masked) {
            Masking.mask(frame, payloadStart, length, maskKey, 0);
        }
        return frame.position(0);
    }

    /**
     * Encodes a whole frame whose payload is in an array.
     *
     * @param fin whether this is the final fragment of its message
     * @param rsv the RSV bits
     * @param opcode the opcode
     * @param payload the payload bytes
     * @param offset the index of the first payload byte
     * @param length the payload length
     * @param masked whether to mask
     * @param maskKey the mask key; ignored unless {@code masked}
     * @return the frame, ready to be written
     */
    public static ByteBuffer encode(boolean fin, int rsv, Opcode opcode, byte[] payload, int offset, int length,
                                    boolean masked, int maskKey) {
        return encode(fin, rsv, opcode, payload, offset, length, masked, maskKey, FrameAllocator.HEAP);
    }

    /**
     * Encodes a whole frame whose payload is in an array into a buffer from {@code into}: no buffer wraps the
     * payload on the way.
     *
     * @param fin whether this is the final fragment of its message
     * @param rsv the RSV bits
     * @param opcode the opcode
     * @param payload the payload bytes; not modified
     * @param offset the index of the first payload byte
     * @param length the payload length
     * @param masked whether to mask
     * @param maskKey the mask key; ignored unless {@code masked}
     * @param into where the frame's buffer comes from
     * @return the frame, ready to be written (position 0, limit at its end)
     * @throws IllegalStateException if the allocator breaks its contract
     * @throws IndexOutOfBoundsException if offset and length do not lie within the array
     */
    public static ByteBuffer encode(boolean fin, int rsv, Opcode opcode, byte[] payload, int offset, int length,
                                    boolean masked, int maskKey, FrameAllocator into) {
        Objects.checkFromIndexSize(offset, length, payload.length);
        ByteBuffer frame = allocate(into, headerSize(length, masked) + length);
        writeHeader(frame, fin, rsv, opcode, length, masked, maskKey);
        int payloadStart = frame.position();
        frame.put(payloadStart, payload, offset, length);
        if (masked) {
            Masking.mask(frame, payloadStart, length, maskKey, 0);
        }
        return frame.position(0);
    }

    private static ByteBuffer allocate(FrameAllocator into, int size) {
        ByteBuffer frame = into.allocate(size);
        if (frame.position() != 0 || frame.limit() != size) {
            throw new IllegalStateException("the frame allocator returned " + frame + " for a frame of " + size
                    + " bytes");
        }
        return frame;
    }
}
