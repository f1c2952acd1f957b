package io.sockwave.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The payload of a close frame (RFC 6455 §5.5.1): empty, or a two-byte status code followed by a UTF-8 reason.
 *
 * @param code the status code, or {@link CloseCode#NO_STATUS_RECEIVED} when the payload was empty
 * @param reason the reason, possibly empty
 */
record ClosePayload(int code, String reason) {
    /** §5.5: a control payload holds at most 125 bytes, two of which are the code. */
    static final int MAX_REASON_BYTES = 123;
    /** The closes most peers send, read without a new instance each. */
    private static final ClosePayload EMPTY = new ClosePayload(CloseCode.NO_STATUS_RECEIVED, "");
    private static final ClosePayload NORMAL = new ClosePayload(CloseCode.NORMAL_CLOSURE, "");
    private static final ClosePayload GOING_AWAY = new ClosePayload(CloseCode.GOING_AWAY, "");

    /**
     * Reads a received close payload.
     *
     * @param payload the unmasked payload, 0 to 125 bytes
     * @return the code and reason
     * @throws ProtocolException (1002) for a one-byte payload or a code that may not appear on the wire (§7.4)
     * @throws InvalidPayloadException (1007) when the reason is not UTF-8 (§5.5.1)
     */
    static ClosePayload parse(byte[] payload) {
        if (payload.length == 0) {
            return EMPTY;
        }
        if (payload.length == 1) {
            throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "close frame with a 1-byte payload");
        }
        int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        if (!CloseCode.isValidOnWire(code)) {
            throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "invalid close code " + code);
        }
        if (payload.length == 2) {
            // The usual close carries no reason: nothing to validate or decode.
            return code == CloseCode.NORMAL_CLOSURE ? NORMAL
                    : code == CloseCode.GOING_AWAY ? GOING_AWAY
                    : new ClosePayload(code, "");
        }
        if (!Utf8Validator.isValid(payload, 2, payload.length - 2)) {
            throw new InvalidPayloadException("close reason is not valid UTF-8");
        }
        return new ClosePayload(code, new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
    }

    /**
     * @param code the status code
     * @param reason the reason's UTF-8 bytes, at most {@link #MAX_REASON_BYTES}
     * @return the payload, ready to be framed
     */
    static ByteBuffer encode(int code, byte[] reason) {
        ByteBuffer payload = ByteBuffer.allocate(2 + reason.length);
        payload.put((byte) (code >>> 8)).put((byte) code).put(reason).flip();
        return payload;
    }

    /** Cuts a reason to the 123 bytes a close frame has room for, at a code point boundary. */
    static byte[] truncatedReason(String reason) {
        byte[] utf8 = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_REASON_BYTES) {
            return utf8;
        }
        int end = MAX_REASON_BYTES;
        while ((utf8[end] & 0xC0) == 0x80) {
            end--;
        }
        return Arrays.copyOf(utf8, end);
    }
}
