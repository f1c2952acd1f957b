package io.sockwave.bench.peers.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.SplittableRandom;

/**
 * Builds, once, the masked frames the load generator sends (RFC 6455 §5.2, §5.3), so that sending costs no encoding
 * or masking: every send writes a slice of a buffer prepared before the measurement.
 *
 * <p>This code is the generator's own, deliberately independent of Sockwave's protocol module, so that a bug shared
 * by the two cannot make Sockwave look right.
 */
public final class ClientFrames {
    /** Opcode of a text frame (RFC 6455 §5.2). */
    public static final int TEXT = 0x1;
    /** Opcode of a binary frame. */
    public static final int BINARY = 0x2;
    /** Opcode of a close frame. */
    public static final int CLOSE = 0x8;
    /** Opcode of a ping frame. */
    public static final int PING = 0x9;
    /** Opcode of a pong frame. */
    public static final int PONG = 0xA;

    private ClientFrames() {
    }

    /**
     * @param length payload length in bytes
     * @param seed seeds the content, so that runs are repeatable
     * @return printable ASCII (valid UTF-8, one byte per character) of that length
     */
    public static byte[] textPayload(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) ('a' + random.nextInt(26));
        }
        return payload;
    }

    /**
     * @param length payload length in bytes
     * @param seed seeds the content
     * @return arbitrary bytes of that length
     */
    public static byte[] binaryPayload(int length, long seed) {
        byte[] payload = new byte[length];
        new SplittableRandom(seed).nextBytes(payload);
        return payload;
    }

    /**
     * @param code the close code
     * @return the payload of a close frame with that code and no reason (RFC 6455 §5.5.1)
     */
    public static byte[] closePayload(int code) {
        return new byte[] {(byte) (code >> 8), (byte) code};
    }

    /**
     * Encodes one final, masked frame.
     *
     * @param opcode the frame's opcode
     * @param payload the unmasked payload
     * @param maskKey the 4-byte masking key, as an int in network order
     * @return the frame's bytes
     */
    public static byte[] masked(int opcode, byte[] payload, int maskKey) {
        int length = payload.length;
        int lengthBytes = length <= 125 ? 0 : length <= 0xFFFF ? 2 : 8;
        byte[] frame = new byte[2 + lengthBytes + 4 + length];
        frame[0] = (byte) (0x80 | opcode);
        int pos = 2;
        if (lengthBytes == 0) {
            frame[1] = (byte) (0x80 | length);
        } else if (lengthBytes == 2) {
            frame[1] = (byte) (0x80 | 126);
            frame[pos++] = (byte) (length >> 8);
            frame[pos++] = (byte) length;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame[pos++] = (byte) ((long) length >> shift);
            }
        }
        byte[] key = {(byte) (maskKey >> 24), (byte) (maskKey >> 16), (byte) (maskKey >> 8), (byte) maskKey};
        System.arraycopy(key, 0, frame, pos, 4);
        pos += 4;
        // RFC 6455 §5.3: octet i of the payload is XORed with octet i mod 4 of the key.
        for (int i = 0; i < length; i++) {
            frame[pos + i] = (byte) (payload[i] ^ key[i & 3]);
        }
        return frame;
    }

    /**
     * @param frame one encoded frame
     * @param copies how many times to repeat it
     * @return a direct buffer holding {@code copies} back-to-back copies, so that sending k frames is writing one
     *     slice of it
     */
    public static ByteBuf burst(byte[] frame, int copies) {
        ByteBuf buffer = Unpooled.directBuffer(frame.length * copies);
        for (int i = 0; i < copies; i++) {
            buffer.writeBytes(frame);
        }
        return buffer;
    }
}
