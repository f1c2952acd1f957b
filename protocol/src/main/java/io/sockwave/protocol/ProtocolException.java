package io.sockwave.protocol;

/**
 * A peer broke a rule of the protocol; carries the close code that fails the connection (RFC 6455 §7.1.7).
 * The message is the reason sent in the close frame, so it is kept short and never holds peer data verbatim.
 */
public class ProtocolException extends RuntimeException {
    /** The close code that fails the connection. */
    private final int closeCode;

    /**
     * @param closeCode the close code to send, one for which {@link CloseCode#isValidOnWire(int)} holds
     * @param reason a short reason, at most 123 bytes of UTF-8 (it becomes the close frame's reason)
     */
    public ProtocolException(int closeCode, String reason) {
        super(reason, null, false, false);
        this.closeCode = closeCode;
    }

    /** @return the close code that fails the connection */
    public int closeCode() {
        return closeCode;
    }
}
