package io.sockwave.protocol.handshake;

import java.nio.charset.StandardCharsets;

/**
 * The words every WebSocket opening handshake repeats (method, version, the standard header names and values). A
 * parser that meets one of them byte for byte returns the shared String instead of a new one, so that a handshake
 * costs no more garbage than its unusual parts.
 */
final class KnownText {
    private static final String[] WORDS = {
        "GET", "HTTP/1.1", "Host", "Upgrade", "Connection", "websocket", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
        "13", "Sec-WebSocket-Extensions", "Sec-WebSocket-Protocol", "Sec-WebSocket-Accept", "Origin", "User-Agent",
        "Pragma", "no-cache", "Cache-Control", "Accept-Encoding", "Accept-Language", "keep-alive, Upgrade",
        "permessage-deflate", "permessage-deflate; client_max_window_bits", "Switching Protocols", "Content-Length",
        "Content-Type",
    };
    private static final byte[][] BYTES = new byte[WORDS.length][];

    static {
        for (int i = 0; i < WORDS.length; i++) {
            BYTES[i] = WORDS[i].getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private KnownText() {
    }

    /**
     * @param bytes ISO-8859-1 text
     * @param from the index of its first byte
     * @param to the index after its last byte
     * @return the text, shared when it is one of the known words
     */
    static String of(byte[] bytes, int from, int to) {
        int length = to - from;
        for (int i = 0; i < BYTES.length; i++) {
            byte[] word = BYTES[i];
            if (word.length == length && matches(word, bytes, from)) {
                return WORDS[i];
            }
        }
        return new String(bytes, from, length, StandardCharsets.ISO_8859_1);
    }

    private static boolean matches(byte[] word, byte[] bytes, int from) {
        for (int j = 0; j < word.length; j++) {
            if (word[j] != bytes[from + j]) {
                return false;
            }
        }
        return true;
    }
}
