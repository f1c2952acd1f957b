package io.sockwave.runtime;

import io.sockwave.Listener;
import io.sockwave.protocol.Opcode;
import java.nio.ByteBuffer;

/**
 * One listener call, either made at once ({@link #invoke}) or held as a value in a {@link CallbackQueue} while the
 * session's callbacks run on an executor or its reading is suspended. Every listener call goes through
 * {@link #invoke}, the one place where an exception thrown by application code is caught.
 */
final class Callback {
    static final int OPEN = 0;
    static final int TEXT = 1;
    static final int BINARY = 2;
    static final int FRAGMENT = 3;
    static final int PING = 4;
    static final int PONG = 5;
    static final int WRITABLE = 6;
    static final int ERROR = 7;
    static final int CLOSE = 8;
    /** Not a listener call: a task that must run in the session's callback order (completing a connect future). */
    static final int TASK = 9;

    final int type;
    final Object value;
    final int code;
    final boolean last;
    /** The bytes this call holds, counted against the session's inbound backlog. */
    final long bytes;

    Callback(int type, Object value, int code, boolean last, long bytes) {
        this.type = type;
        this.value = value;
        this.code = code;
        this.last = last;
        this.bytes = bytes;
    }

    /** @return whether this delivers data, and so waits while reading is suspended */
    boolean isMessage() {
        return type >= TEXT && type <= PONG;
    }

    void run(WebSocketSession session) {
        if (!isMessage() || !session.hasFailedCallback()) {
            invoke(session, type, value, code, last);
        }
    }

    /**
     * Calls the session's listener, or runs a task; an exception closes the session with 1011.
     *
     * @param session the session
     * @param type what to call
     * @param value the message, payload, error, reason or task
     * @param code the close code, or for a fragment 1 if text
     * @param last for a fragment, whether it is the last
     */
    static void invoke(WebSocketSession session, int type, Object value, int code, boolean last) {
        Listener listener = session.listener();
        boolean nested = session.inCallback(true);
        try {
            switch (type) {
                case OPEN -> listener.onOpen(session);
                case TEXT -> listener.onText(session, (String) value);
                case BINARY -> listener.onBinary(session, (ByteBuffer) value);
                case FRAGMENT -> listener.onFragment(session, code == 1 ? Opcode.TEXT : Opcode.BINARY,
                        (ByteBuffer) value, last);
                case PING -> listener.onPing(session, (ByteBuffer) value);
                case PONG -> listener.onPong(session, (ByteBuffer) value);
                case WRITABLE -> listener.onWritable(session);
                case ERROR -> listener.onError(session, (Throwable) value);
                case CLOSE -> listener.onClose(session, code, (String) value);
                case TASK -> ((Runnable) value).run();
                default -> throw new IllegalArgumentException("unknown callback " + type);
            }
        } catch (RuntimeException | Error e) {
            session.callbackFailed(type, e);
        } finally {
            session.inCallback(nested);
        }
    }
}
