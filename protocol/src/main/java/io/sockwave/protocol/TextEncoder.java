package io.sockwave.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Encodes outgoing text as UTF-8, refusing what UTF-8 cannot carry. {@link String#getBytes} would silently replace an
 * unpaired surrogate with {@code '?'} and so send a message other than the one the application gave (RFC 6455 §5.6:
 * text is UTF-8).
 */
final class TextEncoder {
    private TextEncoder() {
    }

    /**
     * @param text the text
     * @return its UTF-8 bytes
     * @throws IllegalArgumentException if the text holds an unpaired surrogate
     */
    static byte[] encode(CharSequence text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    throw new IllegalArgumentException(
                            "unpaired surrogate at index " + i + ": the text has no UTF-8 form (RFC 6455 §5.6)");
                }
            }
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
