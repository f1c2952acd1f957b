package io.sockwave.room;

/**
 * Receives a member's view of its room. All calls for one room come from one thread, one at a time, in this order:
 * {@link #onJoined} once, then events and resets in log order, and {@link #onClosed} at most once. Calls must not
 * block: a WebSocket endpoint hands the event to its session's non-blocking send.
 */
public interface RoomListener {
    /**
     * The member is in the room; nothing is delivered before this call.
     *
     * @param membership to publish and leave with; {@link Membership#present()} is who was present at the join
     */
    void onJoined(Membership membership);

    /**
     * The next event of the log for this member: each event once, in log order, without gaps. When events were
     * resumed from an offset, they start right after it; otherwise they start with this member's own join.
     *
     * @param event the next event; its {@link RoomEvent#offset()} is what a client keeps to resume from
     */
    void onEvent(RoomEvent event);

    /**
     * Events before this point cannot be delivered: the offset asked for is no longer in the log (trimmed by the
     * history bound), or the log itself was lost and starts again under a new epoch. The events that follow are
     * again complete from the point given.
     *
     * <p>A store that went back in time (Redis restarted from older data, or failed over to a replica behind its
     * primary) keeps the log up to where it went back to: the log goes on under a new epoch whose events up to there
     * are the old epoch's, at the same sequence numbers. The offset given is then the last of those the member had
     * received (its cursor, or where the store went back to if that is earlier): what the member had up to that
     * sequence number is not sent again, and what it had of the old epoch after it is no longer in the log (the
     * lost events; an application that shows the events may take them back). A log lost whole gives sequence 0:
     * nothing of it is kept.
     *
     * @param reason why, readable by a person
     * @param resumesAfter the events that follow start right after this offset
     */
    void onReset(String reason, RoomOffset resumesAfter);

    /**
     * The room ended this membership without the member asking: its name was taken while its node was cut off from
     * the store, or the {@link Rooms} closed. No call follows.
     *
     * @param reason why, readable by a person
     */
    void onClosed(String reason);
}
