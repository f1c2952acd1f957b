package io.sockwave.protocol.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The {@code Sec-WebSocket-Accept} value of RFC 6455 §4.2.2: base64(SHA-1(key + GUID)). */
public final class AcceptKey {
    /** The GUID that RFC 6455 §1.3 appends to the client's key. */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** The bytes of a SHA-1 hash. */
    private static final int HASH_BYTES = 20;
    /** The length of every {@code Sec-WebSocket-Accept} value: a SHA-1 hash in base64, with its padding. */
    public static final int LENGTH = (HASH_BYTES + 2) / 3 * 4;

    private static final byte[] GUID_BYTES = GUID.getBytes(StandardCharsets.ISO_8859_1);
    /**
     * One digest and its scratch arrays per thread: looking SHA-1 up among the security providers for every
     * handshake costs more than the hash itself, and with the arrays kept, a handshake's Accept value costs nothing
     * when it is written into a buffer, and its String otherwise. A digest is reset by each
     * {@link MessageDigest#digest(byte[], int, int)}.
     */
    private static final ThreadLocal<Sha1> SHA1 = ThreadLocal.withInitial(Sha1::new);

    private AcceptKey() {
    }

    /**
     * @param secWebSocketKey the client's {@code Sec-WebSocket-Key}, as sent (base64 text, not decoded)
     * @return the value the server sends in {@code Sec-WebSocket-Accept}
     */
    public static String derive(String secWebSocketKey) {
        Sha1 sha1 = SHA1.get();
        sha1.accept(secWebSocketKey);
        return new String(sha1.base64, StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes the {@code Sec-WebSocket-Accept} value without making a String of it.
     *
     * @param secWebSocketKey the client's key, as sent
     * @param out receives the value's {@link #LENGTH} bytes
     */
    static void derive(String secWebSocketKey, ByteBuffer out) {
        Sha1 sha1 = SHA1.get();
        sha1.accept(secWebSocketKey);
        out.put(sha1.base64);
    }

    private static final class Sha1 {
        private final MessageDigest digest = newSha1();
        private final byte[] hash = new byte[HASH_BYTES];
        private final byte[] base64 = new byte[LENGTH];
        /** The key's ISO-8859-1 bytes; a valid key has 24 characters, grown for anything longer. */
        private byte[] key = new byte[24];

        /** Leaves the value in {@link #base64}. */
        void accept(String secWebSocketKey) {
            int length = secWebSocketKey.length();
            if (key.length < length) {
                key = new byte[length];
            }
            for (int i = 0; i < length; i++) {
                char c = secWebSocketKey.charAt(i);
                key[i] = c <= 0xFF ? (byte) c : (byte) '?'; // as String.getBytes(ISO_8859_1) maps the unmappable
            }
            digest.update(key, 0, length);
            digest.update(GUID_BYTES);
            try {
                digest.digest(hash, 0, HASH_BYTES);
            } catch (DigestException e) {
                throw new IllegalStateException("SHA-1 writes 20 bytes", e);
            }
            Base64.getEncoder().encode(hash, base64);
        }

        private static MessageDigest newSha1() {
            try {
                return MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform provides SHA-1", e);
            }
        }
    }
}
