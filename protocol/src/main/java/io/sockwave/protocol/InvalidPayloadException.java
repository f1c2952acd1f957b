package io.sockwave.protocol;

/** Data inconsistent with its type, such as text that is not UTF-8; fails the connection with 1007 (RFC 6455 §8.1). */
public final class InvalidPayloadException extends ProtocolException {
    /** @param reason a short reason, sent in the close frame */
    public InvalidPayloadException(String reason) {
        super(CloseCode.INVALID_PAYLOAD_DATA, reason);
    }
}
