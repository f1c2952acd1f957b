package io.sockwave.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Encodes outgoing text as UTF-8, refusing what UTF-8 cannot carry. {@link String#getBytes} would silently replace an
 * unpaired surrogate with {@code '?'} and so send a message other than the one the application gave (RFC 6455 §5.6:
 * text is UTF-8).
 *
 * <p>Measuring first and then encoding into an array the caller sized lets a frame carry its text with no
 * intermediate array: the one pass that must look for surrogates also yields the length.
 */
public final class TextEncoder {
    /** The longest UTF-8 form a frame array can hold beside the largest header. */
    static final int MAX_LENGTH = Integer.MAX_VALUE - 16;

    private TextEncoder() {
    }

    /**
     * @param text the text
     * @return its UTF-8 bytes
     * @throws IllegalArgumentException if the text holds an unpaired surrogate
     */
    static byte[] encode(CharSequence text) {
        int length = utf8Length(text);
        byte[] out = new byte[length];
        encode(text, length, out, 0);
        return out;
    }

    /**
     * Measures text as a text message would carry it, refusing what no message can: a runtime that holds text to
     * send later checks it here, so that it is refused when given, as a message sent at once is.
     *
     * @param text the text
     * @return the length of its UTF-8 form
     * @throws IllegalArgumentException if the text holds an unpaired surrogate, which has no UTF-8 form, or its UTF-8
     *     form is too long for one frame's array
     */
    public static int utf8Length(CharSequence text) {
        int n = text.length();
        long bytes = n;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (!Character.isSurrogate(c)) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                // Two chars, four bytes.
                bytes += 2;
                i++;
            } else {
                throw new IllegalArgumentException(
                        "unpaired surrogate at index " + i + ": the text has no UTF-8 form (RFC 6455 §5.6)");
            }
        }
        if (bytes > MAX_LENGTH) {
            throw new IllegalArgumentException("text too long: its UTF-8 form is " + bytes + " bytes, and a frame"
                    + " holds at most " + MAX_LENGTH + " in an array");
        }
        return (int) bytes;
    }

    /**
     * Writes the UTF-8 form of text that {@link #utf8Length} measured.
     *
     * @param text the text
     * @param utf8Length its UTF-8 length, as {@link #utf8Length} returned it
     * @param out where to write
     * @param offset the index in {@code out} of the first byte
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int) copies chars' low bytes: exact for ASCII
    static void encode(CharSequence text, int utf8Length, byte[] out, int offset) {
        int n = text.length();
        if (text instanceof String string) {
            if (utf8Length == n) {
                string.getBytes(0, n, out, offset);
            } else {
                // The JDK's encoder reads the String's own array and beats a charAt loop on long mixed-script text;
                // utf8Length already refused unpaired surrogates, which it would have replaced with '?'.
                System.arraycopy(string.getBytes(StandardCharsets.UTF_8), 0, out, offset, utf8Length);
            }
            return;
        }
        int j = offset;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                out[j++] = (byte) c;
            } else if (c < 0x800) {
                out[j++] = (byte) (0xC0 | c >> 6);
                out[j++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                out[j++] = (byte) (0xF0 | cp >> 18);
                out[j++] = (byte) (0x80 | cp >> 12 & 0x3F);
                out[j++] = (byte) (0x80 | cp >> 6 & 0x3F);
                out[j++] = (byte) (0x80 | cp & 0x3F);
            } else {
                out[j++] = (byte) (0xE0 | c >> 12);
                out[j++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[j++] = (byte) (0x80 | c & 0x3F);
            }
        }
    }
}
