package io.sockwave.runtime;

import io.sockwave.PreparedMessage;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The messages topics and broadcasts gave sessions of one loop while each was in the middle of sending a fragmented
 * message of its own, and the bytes the limit judges them and those fragments by. No data frame of another message
 * may go between a message's fragments (RFC 6455 §5.4), so each message waits here and is queued right after the
 * message's last fragment, in the order it came. It is counted in its session's queued bytes from the moment it is
 * accepted, so the outbound limit and its policy apply to it as to a send. The accounting has two steps, so that
 * which of a message and a fragment is counted first changes nothing:
 * <ul>
 *   <li>A message that is or may be held is <em>excused</em> ({@link #excusedFor}) before it is counted as queued:
 *       a fragment is not refused for it, since it cannot leave before the open message ends, and counting it would
 *       keep that message from ever ending. A broadcast's message sent off the loop is excused on the caller's
 *       thread, while it is on its way, for the loop alone knows whether it will be held; once there it stays
 *       excused while held, and is no longer once queued.</li>
 *   <li>A fragment sent off the loop is <em>on its way</em> ({@link #piecesFor}) before it is counted as queued: a
 *       message that is or may be held is not refused for it.</li>
 * </ul>
 * So the member's own bytes stay within the limit, and the messages held for it within the limit too: a session
 * amid a fragmented message may hold up to twice its limit, never more (but for the one message of any size an
 * empty queue takes, and control frames). Confined to the loop's thread, but for the methods that say otherwise.
 */
final class HeldDeliveries {
    /** A session's held messages and their bytes. */
    private static final class Held {
        final ArrayDeque<PreparedMessage> messages = new ArrayDeque<>();
        long bytes;
    }

    private final HashMap<WebSocketSession, Held> held = new HashMap<>();
    /** Concurrent for {@link #excusedFor}, which a sender on any thread calls; a session is here only while it has some. */
    private final ConcurrentHashMap<WebSocketSession, Long> excused = new ConcurrentHashMap<>();
    /**
     * The bytes reserved for fragments sessions sent off the loop that the loop has not queued yet; a session is
     * here only while it has some.
     */
    private final ConcurrentHashMap<WebSocketSession, Long> piecesOnTheirWay = new ConcurrentHashMap<>();

    /**
     * Counts bytes as excused, before they are counted as queued; on any thread.
     *
     * @param session the session
     * @param bytes what a message held for it, or a broadcast's on its way to it, reserves
     */
    void excuse(WebSocketSession session, long bytes) {
        add(excused, session, bytes);
    }

    /**
     * @param session a session whose message is no longer excused: queued, dropped, or refused after all; on any
     *     thread
     * @param bytes what {@link #excuse} counted for it
     */
    void unexcuse(WebSocketSession session, long bytes) {
        subtract(excused, session, bytes);
    }

    /**
     * @param session a session in the middle of sending a fragmented message
     * @param message what a topic or a broadcast gave it, excused already
     * @param bytes the bytes counted for it in the session's queued bytes
     */
    void hold(WebSocketSession session, PreparedMessage message, long bytes) {
        Held messages = held.computeIfAbsent(session, s -> new Held());
        messages.messages.add(message);
        messages.bytes += bytes;
    }

    /**
     * Takes back the message held last for a session, which was refused after all: over the outbound limit. It
     * stays excused: the caller says when it no longer is.
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
     * @param session a session whose fragmented message ended
     * @return the messages held for it, in the order they came, which are no longer held nor excused: they are
     *     queued now, ahead of its next fragments; null if none
     */
    ArrayDeque<PreparedMessage> take(WebSocketSession session) {
        Held messages = held.remove(session);
        if (messages == null) {
            return null;
        }
        unexcuse(session, messages.bytes);
        return messages.messages;
    }

    /**
     * @param session a session whose output closed: what is held for it can no longer be sent
     * @return the bytes counted for the messages dropped, no longer excused, 0 if none
     */
    long drop(WebSocketSession session) {
        Held messages = held.remove(session);
        if (messages == null) {
            return 0;
        }
        unexcuse(session, messages.bytes);
        return messages.bytes;
    }

    /**
     * Counts a fragment sent off the loop, before its bytes are reserved; on the sender's thread.
     *
     * @param session the session sending it
     * @param bytes the bytes it reserves; 0 does nothing
     */
    void pieceOnItsWay(WebSocketSession session, long bytes) {
        add(piecesOnTheirWay, session, bytes);
    }

    /**
     * @param session a session whose fragment the loop queued, or whose reservation was refused; on any thread
     * @param bytes what {@link #pieceOnItsWay} counted for it; 0 does nothing
     */
    void pieceArrived(WebSocketSession session, long bytes) {
        subtract(piecesOnTheirWay, session, bytes);
    }

    /**
     * @param session a session; on any thread
     * @return the bytes of its fragments still on their way to the loop, which a message that is or may be held for
     *     it is not refused for: they were sent before that message was held, and may only have been counted first
     */
    long piecesFor(WebSocketSession session) {
        return bytesIn(piecesOnTheirWay, session);
    }

    /**
     * @param session a session; on any thread
     * @return the bytes excused for it as last seen, which its own fragments are not refused for
     */
    long excusedFor(WebSocketSession session) {
        return bytesIn(excused, session);
    }

    private static void add(ConcurrentHashMap<WebSocketSession, Long> counts, WebSocketSession session, long bytes) {
        if (bytes != 0) {
            counts.merge(session, bytes, Long::sum);
        }
    }

    private static void subtract(ConcurrentHashMap<WebSocketSession, Long> counts, WebSocketSession session,
                                 long bytes) {
        if (bytes != 0) {
            counts.computeIfPresent(session, (s, n) -> n == bytes ? null : n - bytes);
        }
    }

    private static long bytesIn(ConcurrentHashMap<WebSocketSession, Long> counts, WebSocketSession session) {
        if (counts.isEmpty()) {
            return 0;
        }
        Long bytes = counts.get(session);
        return bytes == null ? 0 : bytes;
    }
}
