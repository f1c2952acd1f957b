package io.sockwave.protocol;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The JDK's own UTF-8 decoder, set to report rather than replace, as the judge of what is valid UTF-8. */
final class Utf8Oracle {
    /**
     * Continuation bytes that between them fall in every range Unicode's Table 3-7 allows after a lead byte
     * (80..BF, A0..BF, 80..9F, 90..BF, 80..8F), so that trying them is as good as trying all 64.
     */
    private static final byte[] CONTINUATIONS = {(byte) 0x80, (byte) 0x8F, (byte) 0x90, (byte) 0x9F, (byte) 0xA0,
        (byte) 0xBF};

    private Utf8Oracle() {
    }

    static boolean isValid(byte[] bytes, int from, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            decoder.decode(ByteBuffer.wrap(bytes, from, length));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    static boolean isValid(byte[] bytes) {
        return isValid(bytes, 0, bytes.length);
    }

    /** @return the text, or null if the bytes are not valid UTF-8 */
    static String decode(byte[] bytes) {
        try {
            return newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * @return the index of the first byte that no continuation can make valid (the shortest prefix that
     *     {@link #canContinue} refuses, less one), or -1 if every prefix can still become valid UTF-8
     */
    static int firstInvalidByte(byte[] bytes) {
        if (canContinue(bytes, bytes.length)) {
            return -1;
        }
        // A prefix that cannot continue stays so when it grows, so the shortest one is found by bisection.
        int low = 0;
        int high = bytes.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (canContinue(bytes, mid + 1)) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static CharsetDecoder newDecoder() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /**
     * @return whether some bytes could follow {@code prefix} to make valid UTF-8: it is valid, or valid up to an
     *     unfinished sequence that one, two or three continuation bytes complete
     */
    static boolean canContinue(byte[] prefix, int length) {
        if (isValid(prefix, 0, length)) {
            return true;
        }
        byte[] extended = Arrays.copyOf(prefix, length + 3);
        for (byte a : CONTINUATIONS) {
            extended[length] = a;
            if (isValid(extended, 0, length + 1)) {
                return true;
            }
            for (byte b : CONTINUATIONS) {
                extended[length + 1] = b;
                if (isValid(extended, 0, length + 2)) {
                    return true;
                }
                for (byte c : CONTINUATIONS) {
                    extended[length + 2] = c;
                    if (isValid(extended, 0, length + 3)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether the JDK, fed without end of input, already calls the bytes malformed (it may wait longer than us). */
    static boolean jdkSeesMalformedSoFar(byte[] bytes, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = decoder.decode(ByteBuffer.wrap(bytes, 0, length), CharBuffer.allocate(length + 4), false);
        return result.isError();
    }
}
