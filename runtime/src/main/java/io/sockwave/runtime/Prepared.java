package io.sockwave.runtime;

import io.sockwave.PreparedMessage;
import io.sockwave.protocol.Opcode;
import java.nio.ByteBuffer;

/**
 * Reaches the encoded frame inside a {@link PreparedMessage}, which the public API keeps to itself: the message
 * installs an {@link Access} when its class is initialized, which happens before any instance can reach the
 * runtime.
 */
public final class Prepared {
    private static volatile Access access;

    private Prepared() {
    }

    /** What the runtime reads from a prepared message. */
    public interface Access {
        /** @param message a message @return its type, TEXT or BINARY */
        Opcode type(PreparedMessage message);

        /** @param message a message @return its payload, a fresh read-only view */
        ByteBuffer payload(PreparedMessage message);

        /**
         * @param message a message
         * @return its unmasked frame itself, read-only and shared by every queue it is in: read it only with
         *     absolute gets and never move its position
         */
        ByteBuffer sharedFrame(PreparedMessage message);
    }

    /** @param installed the accessor; called once by {@link PreparedMessage} */
    public static void install(Access installed) {
        access = installed;
    }

    static Access access() {
        return access;
    }
}
