package io.sockwave.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Incremental, fail-fast UTF-8 validation (RFC 6455 §8.1, RFC 3629 §4).
 *
 * <p>Bytes may be fed in any number of pieces; a sequence is refused at the first byte after which it can no longer
 * become valid UTF-8 (an overlong form, a surrogate, a code point above U+10FFFF, a stray continuation byte), so a
 * connection carrying bad text fails without waiting for the end of the frame. {@link #finish()} refuses a message
 * that ends inside a code point. Runs of ASCII are checked sixteen bytes at a time, and sequences that lie whole
 * in the bytes fed are checked without going through the byte-at-a-time state machine.
 *
 * <p>The state is two small ints, so an instance per connection costs next to nothing.
 */
public final class Utf8Validator {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
    /**
     * Unicode's Table 3-7 by lead byte: the sequence size and the bounds of the second byte, packed as
     * {@code size << 16 | low << 8 | high}; 0 for a byte that cannot lead a sequence.
     */
    private static final int[] RULES = new int[256];

    static {
        for (int b = 0xC2; b <= 0xDF; b++) {
            RULES[b] = 2 << 16 | 0x80BF;
        }
        for (int b = 0xE0; b <= 0xEF; b++) {
            RULES[b] = 3 << 16 | (b == 0xE0 ? 0xA0BF : b == 0xED ? 0x809F : 0x80BF);
        }
        for (int b = 0xF0; b <= 0xF4; b++) {
            RULES[b] = 4 << 16 | (b == 0xF0 ? 0x90BF : b == 0xF4 ? 0x808F : 0x80BF);
        }
    }

    /** Continuation bytes still expected in the current code point. */
    private int pending;
    /** Bounds of the next continuation byte, packed as {@code low << 8 | high}; they narrow after E0, ED, F0, F4. */
    private int nextRange;

    /**
     * Validates bytes that follow those fed before.
     *
     * @param bytes the bytes
     * @param from the index of the first byte
     * @param length how many bytes
     * @throws InvalidPayloadException as soon as the bytes cannot be, or begin, valid UTF-8
     */
    public void feed(byte[] bytes, int from, int length) {
        Objects.checkFromIndexSize(from, length, bytes.length);
        int i = from;
        int end = from + length;
        while (pending != 0 && i < end) {
            // finishing a code point begun in an earlier piece
            step(bytes[i++] & 0xFF);
        }
        while (i < end) {
            for (int wordEnd = end - 15; i < wordEnd
                    && (((long) LONGS.get(bytes, i) | (long) LONGS.get(bytes, i + 8)) & HIGH_BITS) == 0; i += 16) {
                // ASCII, sixteen bytes per step: no high bit in either word
            }
            while (i < end && bytes[i] >= 0) {
                i++;
            }
            if (i < end) {
                i = sequence(bytes, i, end);
            }
        }
    }

    /**
     * Validates the multi-byte sequence whose lead byte is at {@code i} (Unicode's Table 3-7) without touching the
     * state, when it lies whole before {@code end}; one that continues in a later piece goes through {@link #step}.
     *
     * @return the index after what was consumed
     */
    private int sequence(byte[] bytes, int i, int end) {
        int lead = bytes[i] & 0xFF;
        int rule = RULES[lead];
        if (rule == 0) {
            fail();
        }
        int size = rule >>> 16;
        if (end - i < size) {
            while (i < end) {
                step(bytes[i++] & 0xFF);
            }
            return end;
        }
        int second = bytes[i + 1] & 0xFF;
        if (second < ((rule >>> 8) & 0xFF) || second > (rule & 0xFF)) {
            fail();
        }
        if (size == 2) {
            return i + 2;
        }
        if ((bytes[i + 2] & 0xC0) != 0x80) {
            fail();
        }
        if (size == 3) {
            return i + 3;
        }
        if ((bytes[i + 3] & 0xC0) != 0x80) {
            fail();
        }
        return i + 4;
    }

    /**
     * Validates the bytes between a buffer's position and limit, which follow those fed before; the buffer's
     * position is not changed.
     *
     * @param buffer the bytes, heap or direct
     * @throws InvalidPayloadException as soon as the bytes cannot be, or begin, valid UTF-8
     */
    public void feed(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            feed(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
            return;
        }
        int i = buffer.position();
        int end = buffer.limit();
        while (i < end) {
            if (pending == 0) {
                // The high-bit test does not depend on the buffer's byte order.
                for (int wordEnd = end - 7; i < wordEnd && (buffer.getLong(i) & HIGH_BITS) == 0; i += 8) {
                    // skipping ASCII, eight bytes per step
                }
                while (i < end && buffer.get(i) >= 0) {
                    i++;
                }
                if (i == end) {
                    return;
                }
            }
            step(buffer.get(i++) & 0xFF);
        }
    }

    /**
     * Ends a message: refuses one that stops inside a code point, and readies the validator for the next.
     *
     * @throws InvalidPayloadException if the bytes fed end with an incomplete code point
     */
    public void finish() {
        if (pending != 0) {
            pending = 0;
            throw new InvalidPayloadException("text ends inside a UTF-8 sequence");
        }
    }

    /** Forgets any partial code point, readying the validator for an unrelated message. */
    public void reset() {
        pending = 0;
    }

    /**
     * Validates a complete text in one call.
     *
     * @param bytes the bytes
     * @param from the index of the first byte
     * @param length how many bytes
     * @return whether they are valid UTF-8
     */
    public static boolean isValid(byte[] bytes, int from, int length) {
        Utf8Validator validator = new Utf8Validator();
        try {
            validator.feed(bytes, from, length);
            validator.finish();
            return true;
        } catch (InvalidPayloadException e) {
            return false;
        }
    }

    /** One byte of the well-formed sequences of Unicode's Table 3-7. */
    private void step(int b) {
        if (pending != 0) {
            if (b < (nextRange >>> 8) || b > (nextRange & 0xFF)) {
                fail();
            }
            pending--;
            nextRange = 0x80BF;
            return;
        }
        if (b < 0x80) {
            return;
        }
        int rule = RULES[b];
        if (rule == 0) {
            fail();
        }
        expect((rule >>> 16) - 1, rule & 0xFFFF);
    }

    private void expect(int continuations, int range) {
        pending = continuations;
        nextRange = range;
    }

    private void fail() {
        pending = 0;
        throw new InvalidPayloadException("invalid UTF-8 in text");
    }
}
