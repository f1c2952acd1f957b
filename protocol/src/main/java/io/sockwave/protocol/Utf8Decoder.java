package io.sockwave.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Decodes a whole text message to a String in one pass that also validates it (RFC 6455 §8.1, Unicode's Table
 * 3-7), instead of validating the bytes and then decoding them again.
 *
 * <p>Pure ASCII, checked sixteen bytes at a time, becomes a String by one copy. Other text is decoded a code point
 * at a time into a char array; each multi-byte sequence is checked as it is decoded: continuation bytes, the lower
 * bound of its length (no overlong form), no surrogate, nothing above U+10FFFF.
 */
public final class Utf8Decoder {
    private Utf8Decoder() {
    }

    /**
     * Validates and decodes a complete text.
     *
     * @param bytes the bytes
     * @param from the index of the first byte
     * @param length how many bytes
     * @return the text
     * @throws InvalidPayloadException if the bytes are not valid UTF-8, with the same reason as
     *     {@link Utf8Validator} would give: an invalid byte, or a code point left unfinished at the end
     */
    public static String decode(byte[] bytes, int from, int length) {
        Objects.checkFromIndexSize(from, length, bytes.length);
        int end = from + length;
        int i = Utf8Automaton.asciiPrefix(bytes, from, end);
        if (i == end) {
            // Already known to be ASCII, so Latin-1 decoding is a plain copy, with no second scan.
            return new String(bytes, from, length, StandardCharsets.ISO_8859_1);
        }
        char[] chars = new char[length];
        int n = 0;
        for (int p = from; p < i; p++) {
            chars[n++] = (char) bytes[p];
        }
        // Bytes are compared signed: 0x80..0xFF are -128..-1, and a continuation byte is below (byte) 0xC0, -64.
        while (i < end) {
            int b = bytes[i];
            if (b >= 0) {
                chars[n++] = (char) b;
                i++;
            } else if (b < (byte) 0xE0) {
                if (b < (byte) 0xC2 || end - i < 2) {
                    break;
                }
                int b1 = bytes[i + 1];
                if (b1 >= -64) {
                    break;
                }
                chars[n++] = (char) ((b & 0x1F) << 6 | b1 & 0x3F);
                i += 2;
            } else if (b < (byte) 0xF0) {
                if (end - i < 3) {
                    break;
                }
                int b1 = bytes[i + 1];
                int b2 = bytes[i + 2];
                int c = (b & 0x0F) << 12 | (b1 & 0x3F) << 6 | b2 & 0x3F;
                if ((misfit(b1) | misfit(b2)) != 0 || c < 0x800 || c >>> 11 == 0xD800 >>> 11) {
                    break;
                }
                chars[n++] = (char) c;
                i += 3;
            } else {
                if (end - i < 4) {
                    break;
                }
                int b1 = bytes[i + 1];
                int b2 = bytes[i + 2];
                int b3 = bytes[i + 3];
                int c = (b & 0x07) << 18 | (b1 & 0x3F) << 12 | (b2 & 0x3F) << 6 | b3 & 0x3F;
                if (b > (byte) 0xF4 || (misfit(b1) | misfit(b2) | misfit(b3)) != 0 || c < 0x10000 || c > Character.MAX_CODE_POINT) {
                    break;
                }
                chars[n++] = Character.highSurrogate(c);
                chars[n++] = Character.lowSurrogate(c);
                i += 4;
            }
        }
        if (i < end) {
            // The reason comes from the automaton, which tells an invalid byte from text cut short.
            Utf8Validator validator = new Utf8Validator();
            validator.feed(bytes, i, end - i);
            validator.finish();
            throw new IllegalStateException("the decoder and the automaton disagree at byte " + (i - from));
        }
        return new String(chars, 0, n);
    }

    /** @return 0 for a continuation byte, 10xxxxxx */
    private static int misfit(int b) {
        return b & 0xC0 ^ 0x80;
    }
}
