package io.sockwave.protocol;

/** The frame opcodes defined by RFC 6455 §5.2; reserved values have no constant and are refused by {@link #of(int)}. */
public enum Opcode {
    /** A later fragment of a fragmented message. */
    CONTINUATION(0x0),
    /** The first frame of a text message (UTF-8). */
    TEXT(0x1),
    /** The first frame of a binary message. */
    BINARY(0x2),
    /** A close frame, which starts or answers the closing handshake. */
    CLOSE(0x8),
    /** A ping, which the peer answers with a pong. */
    PING(0x9),
    /** A pong: the answer to a ping, or an unsolicited heartbeat. */
    PONG(0xA);

    private static final Opcode[] BY_CODE = new Opcode[16];

    static {
        for (Opcode opcode : values()) {
            BY_CODE[opcode.code] = opcode;
        }
    }

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    /** @return the 4-bit value carried on the wire */
    public int code() {
        return code;
    }

    /** @return whether this is a control frame opcode (§5.5: the most significant opcode bit is set) */
    public boolean isControl() {
        return (code & 0x8) != 0;
    }

    /**
     * @param code the 4-bit opcode from a frame header
     * @return the opcode
     * @throws ProtocolException with close code 1002 for a reserved opcode (§5.2: "the receiving endpoint MUST
     *     _Fail the WebSocket Connection_")
     */
    public static Opcode of(int code) {
        Opcode opcode = code >= 0 && code < 16 ? BY_CODE[code] : null;
        if (opcode == null) {
            throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "reserved opcode 0x" + Integer.toHexString(code));
        }
        return opcode;
    }
}
