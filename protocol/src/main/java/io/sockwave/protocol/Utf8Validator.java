package io.sockwave.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Incremental, fail-fast UTF-8 validation (RFC 6455 §8.1, RFC 3629 §4).
 *
 * <p>Bytes may be fed in any number of pieces; a sequence is refused at the first byte after which it can no longer
 * become valid UTF-8 (an overlong form, a surrogate, a code point above U+10FFFF, a stray continuation byte), so a
 * connection carrying bad text fails without waiting for the end of the frame. {@link #finish()} refuses a message
 * that ends inside a code point. Runs of ASCII are checked eight bytes at a time.
 *
 * <p>The state is two small ints, so an instance per connection costs next to nothing.
 */
public final class Utf8Validator {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

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
        int i = from;
        int end = from + length;
        while (i < end) {
            if (pending == 0) {
                for (int wordEnd = end - 7; i < wordEnd && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0; i += 8) {
                    // skipping ASCII, eight bytes per step
                }
                while (i < end && bytes[i] >= 0) {
                    i++;
                }
                if (i == end) {
                    return;
                }
            }
            step(bytes[i++] & 0xFF);
        }
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
        for (int i = buffer.position(), end = buffer.limit(); i < end; i++) {
            byte b = buffer.get(i);
            if (b < 0 || pending != 0) {
                step(b & 0xFF);
            }
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
        if (b >= 0xC2 && b <= 0xDF) {
            expect(1, 0x80BF);
        } else if (b == 0xE0) {
            expect(2, 0xA0BF);
        } else if (b == 0xED) {
            expect(2, 0x809F);
        } else if (b >= 0xE1 && b <= 0xEF) {
            expect(2, 0x80BF);
        } else if (b == 0xF0) {
            expect(3, 0x90BF);
        } else if (b >= 0xF1 && b <= 0xF3) {
            expect(3, 0x80BF);
        } else if (b == 0xF4) {
            expect(3, 0x808F);
        } else {
            fail();
        }
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
