package io.sockwave.protocol.handshake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The {@code Sec-WebSocket-Accept} value of RFC 6455 §4.2.2: base64(SHA-1(key + GUID)). */
public final class AcceptKey {
    /** The GUID that RFC 6455 §1.3 appends to the client's key. */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private AcceptKey() {
    }

    /**
     * @param secWebSocketKey the client's {@code Sec-WebSocket-Key}, as sent (base64 text, not decoded)
     * @return the value the server sends in {@code Sec-WebSocket-Accept}
     */
    public static String derive(String secWebSocketKey) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((secWebSocketKey + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-1", e);
        }
    }
}
