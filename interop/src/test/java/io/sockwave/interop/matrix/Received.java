package io.sockwave.interop.matrix;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** What a driven endpoint reports: a whole message (by type, length and SHA-256), a pong, or the close. */
public sealed interface Received {
    /** A whole message; compared by digest so that peers in other processes need not ship 16 MiB back. */
    record Message(boolean text, int length, String sha256) implements Received {
        public static Message of(boolean text, byte[] bytes) {
            try {
                return new Message(text, bytes.length,
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        public static Message of(String text) {
            return of(true, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A pong, with its application data as UTF-8. */
    record Pong(String payload) implements Received {
    }

    /** The close handshake ended (or the connection did): the code and reason the peer sent. */
    record Closed(int code, String reason) implements Received {
    }
}
