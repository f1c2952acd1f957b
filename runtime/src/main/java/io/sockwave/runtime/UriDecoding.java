package io.sockwave.runtime;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding (RFC 3986 §2.1) of request paths and queries into UTF-8 text. Strict: a {@code %} not followed by
 * two hex digits, or bytes that are not UTF-8, are errors, so that a server can answer 400 instead of guessing.
 */
final class UriDecoding {
    private UriDecoding() {
    }

    /**
     * @param text a path segment or query component as sent
     * @param plusIsSpace whether {@code +} stands for a space, as in {@code application/x-www-form-urlencoded}
     *     queries; in a path it is itself
     * @return the decoded text; {@code text} itself when there is nothing to decode
     * @throws IllegalArgumentException for a malformed escape or bytes that are not UTF-8
     */
    static String decode(String text, boolean plusIsSpace) {
        if (text.indexOf('%') < 0 && (!plusIsSpace || text.indexOf('+') < 0)) {
            return text;
        }
        // Escapes and '+' are ASCII, which no byte of a multi-byte UTF-8 sequence can be mistaken for.
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(in.length);
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '%') {
                int high = i + 2 < in.length ? Character.digit(in[i + 1], 16) : -1;
                int low = high < 0 ? -1 : Character.digit(in[i + 2], 16);
                if (low < 0) {
                    throw new IllegalArgumentException("malformed percent-encoding in " + excerpt(text));
                }
                bytes.put((byte) (high << 4 | low));
                i += 2;
            } else {
                bytes.put(b == '+' && plusIsSpace ? (byte) ' ' : b);
            }
        }
        bytes.flip();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("percent-encoded bytes are not UTF-8 in " + excerpt(text));
        }
    }

    private static String excerpt(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "...";
    }
}
