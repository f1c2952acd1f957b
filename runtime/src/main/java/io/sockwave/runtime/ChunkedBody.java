package io.sockwave.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Reads a body in the chunked transfer coding (RFC 9112 §7.1), as a refused handshake's answer may come: the chunks'
 * data is kept, up to a bound, and the read ends at the last chunk and its trailer, which a server keeping the
 * connection alive does not follow with its close. Something that breaks the coding ends the read too: what was
 * kept is all there is. Not thread-safe.
 */
final class ChunkedBody {
    private enum State { SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER, END_LF, DONE }

    /** Hex digits in a chunk size: 15 keep it within a long. */
    private static final int MAX_SIZE_DIGITS = 15;

    private final int max;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private State state = State.SIZE;
    private long size;
    private int digits;

    /** @param max the most bytes of data kept */
    ChunkedBody(int max) {
        this.max = max;
    }

    /**
     * @param in bytes of the body, consumed
     * @return whether the body ended (its last chunk and trailer read, or the coding broken), or the bound is
     *     reached
     */
    boolean read(ByteBuffer in) {
        while (in.hasRemaining() && state != State.DONE && kept.size() < max) {
            if (state == State.DATA) {
                int n = (int) Math.min(in.remaining(), size);
                byte[] chunk = new byte[Math.min(n, max - kept.size())];
                in.get(chunk);
                kept.writeBytes(chunk);
                in.position(in.position() + n - chunk.length);
                size -= n;
                if (size == 0) {
                    state = State.DATA_CR;
                }
            } else {
                state = next(in.get());
            }
        }
        in.position(in.limit());
        return state == State.DONE || kept.size() >= max;
    }

    private State next(byte b) {
        return switch (state) {
            case SIZE -> size(b);
            case EXTENSION -> b == '\r' ? State.SIZE_LF : State.EXTENSION;
            case SIZE_LF -> b != '\n' ? State.DONE : size == 0 ? State.TRAILER_START : State.DATA;
            case DATA_CR -> b == '\r' ? State.DATA_LF : State.DONE;
            case DATA_LF -> {
                size = 0;
                digits = 0;
                yield b == '\n' ? State.SIZE : State.DONE;
            }
            case TRAILER_START -> b == '\r' ? State.END_LF : State.TRAILER;
            case TRAILER -> b == '\n' ? State.TRAILER_START : State.TRAILER;
            case END_LF, DATA, DONE -> State.DONE;
        };
    }

    private State size(byte b) {
        int digit = Character.digit(b, 16);
        if (digit >= 0 && digits < MAX_SIZE_DIGITS) {
            size = size * 16 + digit;
            digits++;
            return State.SIZE;
        }
        if (digits == 0) {
            return State.DONE;
        }
        // A chunk extension, after optional whitespace (RFC 9112 §7.1.1), says nothing a refusal needs.
        return b == ';' || b == ' ' || b == '\t' ? State.EXTENSION : b == '\r' ? State.SIZE_LF : State.DONE;
    }

    /** @return the data of the chunks read, up to the bound */
    byte[] bytes() {
        return kept.toByteArray();
    }
}
