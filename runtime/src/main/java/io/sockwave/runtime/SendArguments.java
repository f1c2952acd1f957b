package io.sockwave.runtime;

import io.sockwave.protocol.CloseCode;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Checks the arguments of control sends at the call, so that a programmer error throws where it is made instead of
 * surfacing later in a future that may never be looked at, with the session left open.
 */
public final class SendArguments {
    /** RFC 6455 §5.5: a control frame's payload is at most 125 bytes. */
    static final int MAX_CONTROL_PAYLOAD = 125;
    /** RFC 6455 §5.5 and §5.5.1: a close payload is 2 bytes of code and at most 123 bytes of reason. */
    static final int MAX_CLOSE_REASON = 123;

    private SendArguments() {
    }

    /**
     * @param payload a ping or pong payload
     * @return the payload
     * @throws IllegalArgumentException if it is longer than 125 bytes
     */
    static ByteBuffer controlPayload(ByteBuffer payload) {
        if (Objects.requireNonNull(payload, "payload").remaining() > MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("a control frame carries at most 125 bytes (RFC 6455 §5.5), not "
                    + payload.remaining());
        }
        return payload;
    }

    /**
     * @param code a close code to send
     * @param reason a close reason to send
     * @throws IllegalArgumentException if the code may not be sent (RFC 6455 §7.4: 1004, 1005, 1006, 1015 and
     *     anything outside 1000-1003, 1007-1014 and 3000-4999), or the reason is over 123 bytes of UTF-8 or holds
     *     an unpaired surrogate
     */
    public static void closeArguments(int code, String reason) {
        Objects.requireNonNull(reason, "reason");
        if (!CloseCode.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent (RFC 6455 §7.4.1): "
                    + (code == 1005 || code == 1006 || code == 1015
                            ? "it stands for a close without a frame carrying it"
                            : "use 1000-1003, 1007-1014, or 3000-4999 for applications"));
        }
        int bytes = utf8Length(reason);
        if (bytes > MAX_CLOSE_REASON) {
            throw new IllegalArgumentException("close reason of " + bytes
                    + " bytes exceeds 123 bytes of UTF-8 (RFC 6455 §5.5)");
        }
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("close reason holds an unpaired surrogate at index " + i
                        + ", which UTF-8 cannot carry");
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
