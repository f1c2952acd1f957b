package io.sockwave.protocol;

import java.nio.ByteBuffer;

/** The events of {@link EventHandler} as values, as {@link EventQueue} collects them. */
public sealed interface Event {
    /** @param text a whole text message */
    record Text(String text) implements Event {
    }

    /** @param data a whole binary message */
    record Binary(ByteBuffer data) implements Event {
    }

    /**
     * @param type {@link Opcode#TEXT} or {@link Opcode#BINARY}
     * @param data the piece's bytes
     * @param last whether this piece ends the message
     */
    record Fragment(Opcode type, ByteBuffer data, boolean last) implements Event {
    }

    /** @param payload the ping's application data */
    record Ping(ByteBuffer payload) implements Event {
    }

    /** @param payload the pong's application data */
    record Pong(ByteBuffer payload) implements Event {
    }

    /**
     * @param code the peer's close code, or 1005 when it sent none
     * @param reason the peer's reason
     */
    record Close(int code, String reason) implements Event {
    }

    /**
     * @param closeCode the close code the connection was failed with
     * @param reason why
     */
    record Failure(int closeCode, String reason) implements Event {
    }
}
