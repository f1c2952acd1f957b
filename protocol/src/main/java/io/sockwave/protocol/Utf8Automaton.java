package io.sockwave.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Unicode's Table 3-7 (the well-formed UTF-8 byte sequences) as a shift-based automaton: a state is a multiple of 6,
 * and the row of a byte packs the next state of every state in one long, at bits {@code state .. state + 5}, so one
 * step is {@code row >>> state}. Java takes a long's shift count modulo 64, so the bits above the low six that a
 * step leaves behind never matter, and a step costs one load, which does not wait for the state, and one shift,
 * which does. The error state is 0 and every row leaves 0 at 0, so an error sticks, and a run is checked once per
 * stretch instead of at every byte.
 *
 * <p>On the machines measured (bench/README.md) the variable shifts, not their chain, set the pace: splitting the
 * bytes into two to four independent chains gained little, while composing the rows of two bytes into one, so
 * that a shift takes two bytes, gained half as much again.
 */
final class Utf8Automaton {
    /** No continuation can make the bytes valid any more. */
    static final int ERROR = 0;
    /** Between code points. */
    static final int ACCEPT = 6;
    private static final int ONE_MORE = 12;
    private static final int TWO_MORE = 18;
    /** After E0: A0..BF, then one more (no overlong three-byte form). */
    private static final int AFTER_E0 = 24;
    /** After ED: 80..9F, then one more (no surrogate, D800..DFFF). */
    private static final int AFTER_ED = 30;
    private static final int THREE_MORE = 36;
    /** After F0: 90..BF, then two more (no overlong four-byte form). */
    private static final int AFTER_F0 = 42;
    /** After F4: 80..8F, then two more (nothing above U+10FFFF). */
    private static final int AFTER_F4 = 48;

    /** The row of each byte. */
    private static final long[] ROWS = new long[256];

    /**
     * The row of each pair of bytes, by the classes of its two bytes ({@code first << 4 | second}): two steps in
     * one, so two bytes cost one shift. Bytes whose rows are equal are of one class; there are twelve.
     */
    private static final long[] PAIR_ROWS = new long[256];
    /**
     * The index into {@link #PAIR_ROWS} of every two bytes read as a little-endian short, first byte low: 64 KiB,
     * of which text touches a few lines, bought because a load costs less here than a second shift.
     */
    private static final byte[] PAIR_CLASSES = new byte[65536];

    /** ASCII is skipped this many bytes per step (two longs). */
    private static final int BLOCK = 16;
    /** Bytes stepped through after a non-ASCII byte before looking for ASCII again. */
    private static final int STRETCH = 64;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle SHORTS =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    static {
        for (int b = 0; b < 0x80; b++) {
            ROWS[b] = edge(ACCEPT, ACCEPT);
        }
        for (int b = 0x80; b < 0xC0; b++) {
            ROWS[b] = edge(ONE_MORE, ACCEPT) | edge(TWO_MORE, ONE_MORE) | edge(THREE_MORE, TWO_MORE)
                    | (b >= 0xA0 ? edge(AFTER_E0, ONE_MORE) : edge(AFTER_ED, ONE_MORE))
                    | (b >= 0x90 ? edge(AFTER_F0, TWO_MORE) : edge(AFTER_F4, TWO_MORE));
        }
        for (int b = 0xC2; b < 0xE0; b++) {
            ROWS[b] = edge(ACCEPT, ONE_MORE);
        }
        for (int b = 0xE0; b < 0xF0; b++) {
            ROWS[b] = edge(ACCEPT, b == 0xE0 ? AFTER_E0 : b == 0xED ? AFTER_ED : TWO_MORE);
        }
        for (int b = 0xF0; b < 0xF5; b++) {
            ROWS[b] = edge(ACCEPT, b == 0xF0 ? AFTER_F0 : b == 0xF4 ? AFTER_F4 : THREE_MORE);
        }
        // C0, C1 and F5..FF lead nowhere: their rows stay 0, ERROR from every state.
        int[] classes = new int[256];
        long[] rowOfClass = new long[16];
        int count = 0;
        for (int b = 0; b < 256; b++) {
            int c = 0;
            while (c < count && rowOfClass[c] != ROWS[b]) {
                c++;
            }
            if (c == count) {
                rowOfClass[count++] = ROWS[b];
            }
            classes[b] = c;
        }
        for (int first = 0; first < count; first++) {
            for (int second = 0; second < count; second++) {
                PAIR_ROWS[first << 4 | second] = compose(rowOfClass[first], rowOfClass[second]);
            }
        }
        for (int pair = 0; pair < PAIR_CLASSES.length; pair++) {
            PAIR_CLASSES[pair] = (byte) (classes[pair & 0xFF] << 4 | classes[pair >>> 8]);
        }
    }

    private Utf8Automaton() {
    }

    private static long edge(int from, int to) {
        return (long) to << from;
    }

    /** @return the row of a step through {@code first} then {@code second} */
    private static long compose(long first, long second) {
        long row = 0;
        for (int state = ERROR; state <= AFTER_F4; state += 6) {
            row |= edge(state, (int) (second >>> (first >>> state & 63)) & 63);
        }
        return row;
    }

    /**
     * Runs the automaton over {@code bytes[from..end)}.
     *
     * @param state the state before the first byte
     * @return the state after the last byte: {@link #ERROR} if some byte was invalid, {@link #ACCEPT} if the bytes
     *     end between code points, another state if they end inside one
     */
    static int run(byte[] bytes, int from, int end, int state) {
        long s = state;
        int i = from;
        for (int blockEnd = end - (BLOCK - 1); i < blockEnd; ) {
            int between = (int) s & 63;
            if (between == ACCEPT) {
                while (i < blockEnd && isAscii(bytes, i)) {
                    i += BLOCK;
                }
                if (i >= blockEnd) {
                    break;
                }
            } else if (between == ERROR) {
                return ERROR;
            }
            // Long enough that the loop's exit and the ASCII test are rare, short enough to return to ASCII soon.
            for (int stop = Math.min(i + STRETCH, end - 1); i < stop; i += 2) {
                s = PAIR_ROWS[PAIR_CLASSES[(short) SHORTS.get(bytes, i) & 0xFFFF] & 0xFF] >>> s;
            }
        }
        for (; i < end; i++) {
            s = ROWS[bytes[i] & 0xFF] >>> s;
        }
        return (int) s & 63;
    }

    private static boolean isAscii(byte[] bytes, int i) {
        return (((long) LONGS.get(bytes, i) | (long) LONGS.get(bytes, i + 8)) & HIGH_BITS) == 0;
    }

    /**
     * Runs the automaton over the bytes of a buffer, heap or direct, between two absolute indexes; the buffer's
     * position is not changed.
     *
     * @return as {@link #run(byte[], int, int, int)}
     */
    static int run(ByteBuffer buffer, int from, int end, int state) {
        long s = state;
        int i = from;
        while (i < end) {
            if ((s & 63) == ACCEPT) {
                // The high-bit test does not depend on the buffer's byte order.
                for (int wordEnd = end - 7; i < wordEnd && (buffer.getLong(i) & HIGH_BITS) == 0; i += 8) {
                    // skipping ASCII, eight bytes per step
                }
            }
            for (int stop = Math.min(end, i + 8); i < stop; i++) {
                s = ROWS[buffer.get(i) & 0xFF] >>> s;
            }
        }
        return (int) s & 63;
    }

    /**
     * @return the index of the first byte of {@code bytes[from..end)} that is not ASCII, or {@code end}
     */
    static int asciiPrefix(byte[] bytes, int from, int end) {
        int i = from;
        for (int blockEnd = end - (BLOCK - 1); i < blockEnd && isAscii(bytes, i); i += BLOCK) {
            // sixteen bytes per step
        }
        while (i < end && bytes[i] >= 0) {
            i++;
        }
        return i;
    }
}
