package io.sockwave.protocol;

/** A frame or message exceeds a configured {@link Limits limit}; fails the connection with 1009 (RFC 6455 §7.4.1). */
public final class MessageTooBigException extends ProtocolException {
    /**
     * @param what what was too big, e.g. "message" or "frame"
     * @param size the size reached or announced, in bytes
     * @param limit the configured limit, in bytes
     */
    public MessageTooBigException(String what, long size, long limit) {
        super(CloseCode.MESSAGE_TOO_BIG, what + " of " + size + " bytes exceeds the limit of " + limit);
    }
}
