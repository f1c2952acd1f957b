package io.sockwave.protocol;

/**
 * Close status codes (RFC 6455 §7.4) with their IANA names, and the rules for which of them may appear on the wire.
 * Codes are plain {@code int}s so that the hot path never boxes them.
 */
public final class CloseCode {
    /** 1000: the purpose for which the connection was established has been fulfilled. */
    public static final int NORMAL_CLOSURE = 1000;
    /** 1001: the endpoint is going away, as a server shutting down or a browser leaving the page does. */
    public static final int GOING_AWAY = 1001;
    /** 1002: the peer broke a rule of the protocol. */
    public static final int PROTOCOL_ERROR = 1002;
    /** 1003: the endpoint received a type of data it cannot accept, such as binary data where it takes only text. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** Reserved: must never be sent. */
    public static final int RESERVED = 1004;
    /** Reported when a close frame carried no code; must never be sent (§7.4.1). */
    public static final int NO_STATUS_RECEIVED = 1005;
    /** Reported when the connection ended without a close frame; must never be sent (§7.4.1). */
    public static final int ABNORMAL_CLOSURE = 1006;
    /** 1007: a message's data does not match its type, such as text that is not UTF-8. */
    public static final int INVALID_PAYLOAD_DATA = 1007;
    /** 1008: a message broke the endpoint's policy; the generic code when no other fits. */
    public static final int POLICY_VIOLATION = 1008;
    /** 1009: a message was too big to process. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** 1010: sent by a client: the server did not negotiate an extension the client requires. */
    public static final int MANDATORY_EXTENSION = 1010;
    /** 1011: the endpoint met an unexpected condition that kept it from fulfilling the request. */
    public static final int INTERNAL_ERROR = 1011;
    /** Reported when the TLS handshake failed; must never be sent (§7.4.1). */
    public static final int TLS_HANDSHAKE = 1015;

    private CloseCode() {
    }

    /**
     * Whether a close frame may carry this code, in either direction (§7.4.1, §7.4.2): 1000-1003, 1007-1011 and
     * 3000-4999. Codes 1012-1014 are registered with IANA since RFC 6455 and are accepted too; every other code
     * below 3000 is reserved.
     *
     * @param code a close status code
     * @return true when the code is valid on the wire
     */
    public static boolean isValidOnWire(int code) {
        return (code >= 1000 && code <= 1003)
                || (code >= 1007 && code <= 1014)
                || (code >= 3000 && code <= 4999);
    }

    /**
     * @param code a close status code
     * @return a short description, for logs and error messages
     */
    public static String describe(int code) {
        return switch (code) {
            case NORMAL_CLOSURE -> "normal closure";
            case GOING_AWAY -> "going away";
            case PROTOCOL_ERROR -> "protocol error";
            case UNSUPPORTED_DATA -> "unsupported data";
            case NO_STATUS_RECEIVED -> "no status received";
            case ABNORMAL_CLOSURE -> "abnormal closure";
            case INVALID_PAYLOAD_DATA -> "invalid payload data";
            case POLICY_VIOLATION -> "policy violation";
            case MESSAGE_TOO_BIG -> "message too big";
            case MANDATORY_EXTENSION -> "mandatory extension";
            case INTERNAL_ERROR -> "internal error";
            case TLS_HANDSHAKE -> "TLS handshake failure";
            // Registered with IANA after RFC 6455, valid on the wire (see isValidOnWire): a server restarting, one
            // asking to be tried again later (overloaded, or a name still taken), a gateway whose upstream failed.
            case 1012 -> "service restart";
            case 1013 -> "try again later";
            case 1014 -> "bad gateway";
            default -> code >= 3000 && code <= 4999 ? "application code" : "reserved code";
        };
    }
}
