package io.sockwave.runtime;

import io.sockwave.PreparedMessage;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The messages topics and broadcasts gave sessions of one loop while each was in the middle of sending a fragmented
 * message of its own. No data frame of another message may go between a message's fragments (RFC 6455 §5.4), so
 * each waits here and is queued right after the message's last fragment, in the order it came. Each is counted in
 * its session's queued bytes from the moment it is held, so the outbound limit and its policy apply to it as to a
 * send; a fragment of the open message is not refused for those bytes ({@link #bytesFor}): they cannot leave before
 * it, and counting them would keep the message from ever ending. Nor is a topic's message refused for the bytes of
 * that message's fragments still on their way to the loop ({@link #piecesFor}), so that which of the two was
 * counted first changes nothing. Confined to the loop's thread, but for {@link #bytesFor}.
 */
final class HeldDeliveries {
    /** A session's held messages and their bytes. */
    private static final class Held {
        final ArrayDeque<PreparedMessage> messages = new ArrayDeque<>();
        volatile long bytes;
    }

    /** Concurrent for {@link #bytesFor}, which a sender on any thread calls; empty nearly always. */
    private final ConcurrentHashMap<WebSocketSession, Held> held = new ConcurrentHashMap<>();
    /**
     * The bytes reserved for fragments sessions sent off the loop that the loop has not queued yet; a session is
     * here only while it has some.
     */
    private final ConcurrentHashMap<WebSocketSession, Long> piecesOnTheirWay = new ConcurrentHashMap<>();

    /**
     * @param session a session in the middle of sending a fragmented message
     * @param message what a topic or a broadcast gave it
     * @param bytes the bytes counted for it in the session's queued bytes
     */
    void hold(WebSocketSession session, PreparedMessage message, long bytes) {
        Held messages = held.computeIfAbsent(session, s -> new Held());
        messages.messages.add(message);
        messages.bytes += bytes;
    }

    /**
     * Takes back the message held last for a session, which was refused after all: over the outbound limit.
     *
     * @param session a session that has a message held
     * @param bytes the bytes {@link #hold} counted for it
     */
    void withdrawLast(WebSocketSession session, long bytes) {
        Held messages = held.get(session);
        messages.messages.removeLast();
        messages.bytes -= bytes;
        if (messages.messages.isEmpty()) {
            held.remove(session);
        }
    }

    /**
     * @param session a session
     * @return the messages held for it, in the order they came, which are no longer held; null if none
     */
    ArrayDeque<PreparedMessage> take(WebSocketSession session) {
        Held messages = held.remove(session);
        return messages == null ? null : messages.messages;
    }

    /**
     * @param session a session whose output closed: what is held for it can no longer be sent
     * @return the bytes counted for the messages dropped, 0 if none
     */
    long drop(WebSocketSession session) {
        Held messages = held.remove(session);
        return messages == null ? 0 : messages.bytes;
    }

    /**
     * Counts a fragment sent off the loop, before its bytes are reserved; on the sender's thread.
     *
     * @param session the session sending it
     * @param bytes the bytes it reserves; 0 does nothing
     */
    void pieceOnItsWay(WebSocketSession session, long bytes) {
        if (bytes != 0) {
            piecesOnTheirWay.merge(session, bytes, Long::sum);
        }
    }

    /**
     * @param session a session whose fragment the loop queued, or whose reservation was refused
     * @param bytes what {@link #pieceOnItsWay} counted for it; 0 does nothing
     */
    void pieceArrived(WebSocketSession session, long bytes) {
        if (bytes != 0) {
            piecesOnTheirWay.computeIfPresent(session, (s, n) -> n == bytes ? null : n - bytes);
        }
    }

    /**
     * @param session a session; on the loop's thread
     * @return the bytes of its fragments still on their way to the loop, which a message held for it is not refused
     *     for: the fragments were sent after that message was published, and may only have been counted first
     */
    long piecesFor(WebSocketSession session) {
        if (piecesOnTheirWay.isEmpty()) {
            return 0;
        }
        Long bytes = piecesOnTheirWay.get(session);
        return bytes == null ? 0 : bytes;
    }

    /**
     * @param session a session; on any thread
     * @return the bytes held for it as last seen, which its own fragments are not refused for
     */
    long bytesFor(WebSocketSession session) {
        if (held.isEmpty()) {
            return 0;
        }
        Held messages = held.get(session);
        return messages == null ? 0 : messages.bytes;
    }
}
