package io.sockwave.protocol;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Incremental, fail-fast UTF-8 validation (RFC 6455 §8.1, RFC 3629 §4).
 *
 * <p>Bytes may be fed in any number of pieces; a sequence is refused at the first byte after which it can no longer
 * become valid UTF-8 (an overlong form, a surrogate, a code point above U+10FFFF, a stray continuation byte), so a
 * connection carrying bad text fails in the call that feeds the bad byte, without waiting for the end of the frame
 * or message. {@link #finish()} refuses a message that ends inside a code point.
 *
 * <p>The state machine is Unicode's Table 3-7 as a shift-based automaton ({@link Utf8Automaton}): a table load and
 * a shift per two bytes, with no branch on the bytes. Runs of ASCII are skipped sixteen bytes at a time.
 *
 * <p>The state is one small int, so an instance per connection costs next to nothing.
 */
public final class Utf8Validator {
    /** The state between pieces: {@link Utf8Automaton#ACCEPT} between code points. */
    private int state = Utf8Automaton.ACCEPT;

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
        int after = Utf8Automaton.run(bytes, from, from + length, state);
        if (after == Utf8Automaton.ERROR) {
            fail();
        }
        state = after;
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
        int after = Utf8Automaton.run(buffer, buffer.position(), buffer.limit(), state);
        if (after == Utf8Automaton.ERROR) {
            fail();
        }
        state = after;
    }

    /**
     * Ends a message: refuses one that stops inside a code point, and readies the validator for the next.
     *
     * @throws InvalidPayloadException if the bytes fed end with an incomplete code point
     */
    public void finish() {
        if (state != Utf8Automaton.ACCEPT) {
            reset();
            throw new InvalidPayloadException("text ends inside a UTF-8 sequence");
        }
    }

    /** Forgets any partial code point, readying the validator for an unrelated message. */
    public void reset() {
        state = Utf8Automaton.ACCEPT;
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
        Objects.checkFromIndexSize(from, length, bytes.length);
        return Utf8Automaton.run(bytes, from, from + length, Utf8Automaton.ACCEPT) == Utf8Automaton.ACCEPT;
    }

    private void fail() {
        reset();
        throw new InvalidPayloadException("invalid UTF-8 in text");
    }
}
