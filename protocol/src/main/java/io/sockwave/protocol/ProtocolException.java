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
     * @throws IllegalArgumentException if the code may not be sent (§7.4.1: 1005, 1006, 1015 and the unassigned
     *     codes below 3000 never appear in a close frame)
     */
    public ProtocolException(int closeCode, String reason) {
        super(reason, null, false, false);
        if (!CloseCode.isValidOnWire(closeCode)) {
            throw new IllegalArgumentException("close code " + closeCode + " may not be sent (RFC 6455 §7.4.1)");
        }
        this.closeCode = closeCode;
    }

    /** An abnormal closure (1006), which no close frame carries: it is only reported. */
    private ProtocolException(String reason) {
        super(reason, null, false, false);
        this.closeCode = CloseCode.ABNORMAL_CLOSURE;
    }

    /**
     * @param reason why the connection ended
     * @return the failure of a connection whose transport ended without a close frame (§7.1.5)
     */
    static ProtocolException abnormalClosure(String reason) {
        return new ProtocolException(reason);
    }

    /** @return the close code that fails the connection */
    public int closeCode() {
        return closeCode;
    }
}
