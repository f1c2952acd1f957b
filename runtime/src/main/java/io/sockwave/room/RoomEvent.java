package io.sockwave.room;

import java.util.Objects;

/**
 * One event of a room's log, as every member of the room receives it, in the same order on every node.
 *
 * @param offset where the event is in the log
 * @param kind what happened
 * @param member who joined, left or spoke
 * @param text the message, empty for joins and leaves
 * @param messageId the id the sender gave its message (the key of the dedupe), empty if none or not a message
 */
public record RoomEvent(RoomOffset offset, Kind kind, String member, String text, String messageId) {
    /** What an event records. */
    public enum Kind {
        /** A member entered the room. */
        JOIN,
        /** A member left the room, or its node stopped answering and another node wrote the leave for it. */
        LEAVE,
        /** A member published a message. */
        MESSAGE
    }

    /**
     * Checks that every component is present: absent text and message ids are empty strings, never null.
     *
     * @param offset where the event is in the log
     * @param kind what happened
     * @param member who joined, left or spoke
     * @param text the message, empty for joins and leaves
     * @param messageId the id the sender gave its message (the key of the dedupe), empty if none or not a message
     * @throws NullPointerException if any component is null
     */
    public RoomEvent {
        Objects.requireNonNull(offset, "offset");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(messageId, "messageId");
    }
}
