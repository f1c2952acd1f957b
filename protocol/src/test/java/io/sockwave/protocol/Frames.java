package io.sockwave.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds raw frame bytes by hand, independently of {@link FrameEncoder}, so that tests state the wire format of
 * RFC 6455 §5.2 themselves; and reads frames back the same way. Masked frames use a pinned key.
 */
final class Frames {
    /** The mask key of the RFC's own example (§5.7). */
    static final int KEY = 0x37FA213D;

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    static final int RSV1 = 0x40;
    static final int RSV2 = 0x20;
    static final int RSV3 = 0x10;

    private Frames() {
    }

    /** A final, masked frame as a client sends it. */
    static byte[] client(int opcode, byte[] payload) {
        return frame(true, 0, opcode, true, payload);
    }

    /** A masked fragment as a client sends it. */
    static byte[] clientFragment(boolean fin, int opcode, byte[] payload) {
        return frame(fin, 0, opcode, true, payload);
    }

    /** A final, unmasked frame as a server sends it. */
    static byte[] server(int opcode, byte[] payload) {
        return frame(true, 0, opcode, false, payload);
    }

    /** A frame with the shortest length encoding, masked with {@link #KEY} when asked. */
    static byte[] frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {
        int first = (fin ? 0x80 : 0) | rsv | opcode;
        int n = payload.length;
        byte[] extended;
        int lengthCode;
        if (n < 126) {
            lengthCode = n;
            extended = new byte[0];
        } else if (n <= 0xFFFF) {
            lengthCode = 126;
            extended = bigEndian(n, 2);
        } else {
            lengthCode = 127;
            extended = bigEndian(n, 8);
        }
        return concat(header(first, masked, lengthCode, extended), masked ? mask(payload, KEY) : payload);
    }

    /**
     * A header with the length written as given, minimal or not, and, when masked, the pinned key.
     *
     * @param first the first byte: FIN, RSV and opcode
     * @param lengthCode the 7-bit length field
     * @param extended the extended length bytes, 0, 2 or 8 of them
     */
    static byte[] header(int first, boolean masked, int lengthCode, byte[] extended) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first);
        out.write((masked ? 0x80 : 0) | lengthCode);
        out.writeBytes(extended);
        if (masked) {
            out.writeBytes(bigEndian(KEY, 4));
        }
        return out.toByteArray();
    }

    /** §5.3 as the RFC words it, one octet at a time: octet i is XORed with key octet i MOD 4. */
    static byte[] mask(byte[] payload, int key) {
        byte[] keyOctets = bigEndian(key, 4);
        byte[] out = payload.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] ^= keyOctets[i % 4];
        }
        return out;
    }

    static byte[] bigEndian(long value, int bytes) {
        byte[] out = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            out[i] = (byte) (value >>> (8 * (bytes - 1 - i)));
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A close payload: the code in network byte order, then the reason's bytes. */
    static byte[] closePayload(int code, byte[] reason) {
        return concat(bigEndian(code, 2), reason);
    }

    /** A pattern that differs from byte to byte, so a misplaced or unmasked byte shows. */
    static byte[] pattern(int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (i * 31 + (i >>> 8) + 7);
        }
        return out;
    }

    static byte[] toArray(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    /**
     * One frame read back from bytes by hand.
     *
     * @param key the mask key, or 0 when not masked
     * @param payload the payload, unmasked
     */
    record Decoded(boolean fin, int rsv, int opcode, boolean masked, int key, byte[] payload) {
        /** @return the close code in a close payload */
        int closeCode() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        String closeReason() {
            return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    /** Reads exactly one frame that fills {@code frame} from position to limit. */
    static Decoded decode(ByteBuffer frame) {
        byte[] b = toArray(frame);
        int first = b[0] & 0xFF;
        int second = b[1] & 0xFF;
        int at = 2;
        long length = second & 0x7F;
        if (length == 126) {
            length = readBigEndian(b, at, 2);
            at += 2;
        } else if (length == 127) {
            length = readBigEndian(b, at, 8);
            at += 8;
        }
        boolean masked = (second & 0x80) != 0;
        int key = 0;
        if (masked) {
            key = (int) readBigEndian(b, at, 4);
            at += 4;
        }
        if (b.length - at != length) {
            throw new AssertionError("frame of " + b.length + " bytes announces a payload of " + length
                    + " after a " + at + "-byte header");
        }
        byte[] payload = Arrays.copyOfRange(b, at, b.length);
        return new Decoded((first & 0x80) != 0, first & 0x70, first & 0x0F, masked, key,
                masked ? mask(payload, key) : payload);
    }

    static long readBigEndian(byte[] b, int at, int bytes) {
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value = (value << 8) | (b[at + i] & 0xFF);
        }
        return value;
    }
}
