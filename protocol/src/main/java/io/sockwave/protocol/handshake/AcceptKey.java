package io.sockwave.protocol.handshake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The {@code Sec-WebSocket-Accept} value of RFC 6455 §4.2.2: base64(SHA-1(key + GUID)). */
public final class AcceptKey {
    /** The GUID that RFC 6455 §1.3 appends to the client's key. */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private static final byte[] GUID_BYTES = GUID.getBytes(StandardCharsets.ISO_8859_1);
    /**
     * One digest per thread: looking SHA-1 up among the security providers for every handshake costs more than the
     * hash itself, and a digest is reset by each {@link MessageDigest#digest()}.
     */
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(AcceptKey::newSha1);

    private AcceptKey() {
    }

    /**
     * @param secWebSocketKey the client's {@code Sec-WebSocket-Key}, as sent (base64 text, not decoded)
     * @return the value the server sends in {@code Sec-WebSocket-Accept}
     */
    public static String derive(String secWebSocketKey) {
        MessageDigest sha1 = SHA1.get();
        sha1.update(secWebSocketKey.getBytes(StandardCharsets.ISO_8859_1));
        sha1.update(GUID_BYTES);
        return Base64.getEncoder().encodeToString(sha1.digest());
    }

    private static MessageDigest newSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-1", e);
        }
    }
}
