package io.sockwave.room;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the logs of the rooms live: the seam between {@link Rooms}, which delivers events to the members on one
 * node, and a store shared by the nodes. {@link #inMemory()} serves one node; sockwave-redis serves many. An
 * implementation makes each operation atomic: an append, its dedupe and its notification happen together or not at
 * all, and sequence numbers in an epoch are 1, 2, 3... without holes. Operations may complete on any thread.
 */
public interface RoomLog extends AutoCloseable {
    /**
     * The bytes of events (the UTF-8 of their members, texts and message ids) at which a {@linkplain #read read}
     * ends its page: once its events reach this, with the event that reaches it, so that one read holds this much and
     * one event at most rather than its count of the largest events. A page that reaches it, or its count, may be
     * followed by more. Both logs here, in memory and in Redis, end their pages so.
     */
    int PAGE_BYTES = 1 << 20;

    /** Gets the notifications of a log. Calls may come from any thread and must return at once. */
    interface Signals {
        /**
         * Something was appended to a room this node {@linkplain #watch watches}, up to the sequence given. Only a
         * hint: it may come late or be lost, so the events themselves are {@linkplain #read read}.
         *
         * @param room the room appended to
         * @param sequence the sequence number of the newest event appended, in the log's current epoch
         */
        void appended(String room, long sequence);

        /**
         * An event was appended to a room this node {@linkplain #watch watches}, and here it is, exactly as a
         * {@linkplain #read read} returns it (its offset gives its epoch and sequence number): the node hands it to the
         * members whose last event is the one before it, without a read, and reads the log for any other member. A
         * hint like {@link #appended(String, long)}, which it stands for: it may come late, out of order or not at
         * all, and a store passes it only for an event as durable as a read's, so that nothing delivered from it can
         * be undone. By default, {@code appended(room, event.offset().sequence())}.
         *
         * @param room the room appended to
         * @param event the event appended, of the log's current epoch when it was appended
         */
        default void appended(String room, RoomEvent event) {
            appended(room, event.offset().sequence());
        }

        /** The link to the store came back: notifications may have been missed meanwhile. */
        void reconnected();
    }

    /**
     * The outcome of a join.
     *
     * @param epoch the log's epoch
     * @param sequence the join event's sequence number
     * @param present who is present after the join, the new member included
     * @param origin where the epoch came from, as in {@link Page#origin()}; null if it began empty
     */
    record Joined(String epoch, long sequence, List<String> present, RoomOffset origin) {
        /**
         * The outcome of a join in an epoch that began empty.
         *
         * @param epoch the log's epoch
         * @param sequence the join event's sequence number
         * @param present who is present after the join, the new member included
         */
        public Joined(String epoch, long sequence, List<String> present) {
            this(epoch, sequence, present, null);
        }
    }

    /**
     * The outcome of an append.
     *
     * @param epoch the log's epoch
     * @param sequence the message's sequence number
     * @param duplicate whether the message id had been appended before, and this is that append's sequence number
     */
    record Appended(String epoch, long sequence, boolean duplicate) {
    }

    /**
     * Events read from a log.
     *
     * @param epoch the log's epoch, read atomically with the events
     * @param events in log order; the first one's sequence is higher than asked for if older events were trimmed
     * @param origin for an epoch that kept the log of the one before it (the store went back in time and lost its
     *     last events, but not the others): that epoch, and the last sequence number of it this epoch keeps, so
     *     that events 1 to that number are the same under both; null if the epoch began empty (a new room, or one
     *     the store lost whole)
     */
    record Page(String epoch, List<RoomEvent> events, RoomOffset origin) {
        /**
         * Events of an epoch that began empty.
         *
         * @param epoch the log's epoch, read atomically with the events
         * @param events in log order; the first one's sequence is higher than asked for if older events were trimmed
         */
        public Page(String epoch, List<RoomEvent> events) {
            this(epoch, events, null);
        }
    }

    /** @return a log in this process's memory, for rooms on one node, holding 64 MiB of events at most */
    static RoomLog inMemory() {
        return new InMemoryRoomLog(InMemoryRoomLog.DEFAULT_HISTORY);
    }

    /**
     * A log in this process's memory, for rooms on one node. Each room keeps its last 10,000 events, and all rooms
     * together about {@code maxBytes} of them (two bytes a character, and about 200 for each event's objects): past
     * that the oldest events of any room go first, and a message id dedupes only while its message is held. A room
     * without members whose events are all gone is forgotten; named again, it begins a new epoch, so that a member
     * resuming at an offset of the old one gets a reset.
     *
     * @param maxBytes about the most heap the events of all rooms take
     * @return the log
     * @throws IllegalArgumentException if {@code maxBytes} is not positive
     */
    static RoomLog inMemory(long maxBytes) {
        return new InMemoryRoomLog(InMemoryRoomLog.DEFAULT_HISTORY, maxBytes);
    }

    /**
     * Starts the log for one node: notifications go to the signals from now on. Called once, first.
     *
     * @param nodeId this node's name, unique among the nodes running at once on the store; the members it joins are
     *     held under this start of it, so that other nodes can write their leaves if its heartbeat lapses, even when
     *     a restarted process takes the same name at once
     * @param signals where this log's notifications go
     */
    void start(String nodeId, Signals signals);

    /**
     * Registers a member and appends its join event. Fails with {@link RoomException.Reason#NAME_TAKEN} if the
     * name is present in the room on any node.
     *
     * @param room the room to join
     * @param member the member's name, unique in the room across all nodes
     * @return completes with the join event's place in the log and who is present; fails with the store's error if
     *     it cannot be reached
     */
    CompletableFuture<Joined> join(String room, String member);

    /**
     * Registers a member and appends its join event, as {@link #join(String, String)}, unless the name is in
     * {@code maxRoomsPerName} rooms already: a store shared by nodes, which knows the rooms of a name on all of them,
     * then fails with {@link RoomException.Reason#TOO_MANY_ROOMS} and writes nothing, so that the bound holds across
     * the nodes; the rooms of a stopped node's members count until their leaves are written, as their names are held
     * until then. By default, {@code join(room, member)}: a store of one node leaves the bound to {@link Rooms}, which
     * counts the rooms of each name on its node.
     *
     * @param room the room to join
     * @param member the member's name, unique in the room across all nodes
     * @param maxRoomsPerName the most rooms the name may be in at once, this one included
     * @return as {@link #join(String, String)}
     */
    default CompletableFuture<Joined> join(String room, String member, int maxRoomsPerName) {
        return join(room, member);
    }

    /**
     * Appends a message, once per member and non-empty message id within the dedupe window, so that a sender that
     * retries after a failure does not publish twice (and no member's id can stand for another's message).
     *
     * @param room the room to append to
     * @param member who speaks
     * @param messageId the sender's id for the message, with the member the key of the dedupe; empty for no dedupe
     * @param text the message
     * @return completes with the message's sequence number, or that of its earlier append if it is a duplicate;
     *     fails with the store's error if it cannot be reached, when the message may or may not have been appended
     */
    CompletableFuture<Appended> append(String room, String member, String messageId, String text);

    /**
     * Appends a member's leave event, if this node still holds the member (another node may have written its leave
     * already, when this node's heartbeat lapsed): completes with whether it did.
     *
     * @param room the room to leave
     * @param member the member that leaves
     * @return completes with true if this call wrote the leave event, false if the member was no longer present
     */
    CompletableFuture<Boolean> leave(String room, String member);

    /**
     * Reads up to {@code limit} events with a sequence number higher than {@code after}, and fewer if they reach
     * {@link #PAGE_BYTES} first (the page then ends with the event that reaches them).
     *
     * @param room the room to read
     * @param after the sequence number of the last event already had; 0 to read from the oldest event kept
     * @param limit the most events to return
     * @return completes with the events and the epoch they belong to; the page is empty if there is nothing newer
     */
    CompletableFuture<Page> read(String room, long after, int limit);

    /**
     * Asks for {@link Signals#appended} notifications of a room, while this node has members in it.
     *
     * @param room the room whose appends this node wants to hear of
     */
    void watch(String room);

    /**
     * Stops the notifications of a room, once this node has no member left in it.
     *
     * @param room the room no longer {@linkplain #watch watched}
     */
    void unwatch(String room);

    /**
     * Tells the store this node is alive. Completes with false if the store did not know the node: its members
     * were written out as leaves by other nodes (its heartbeat lapsed), or the store lost its data; the node then
     * joins its members again, closing a member whose name was taken meanwhile, and retrying with backoff, while the
     * member lives, a join the store refuses for any other reason.
     *
     * @return completes with true if the store still knew this node, false if the node's members must join again
     */
    CompletableFuture<Boolean> heartbeat();

    /**
     * Writes the leave events of the members of nodes whose heartbeat lapsed, so that a crashed node's members do not
     * stay present, holding their names, forever.
     *
     * @return completes with how many leave events were written
     */
    CompletableFuture<Integer> reapDeadNodes();

    /** Releases the link to the store; operations fail afterwards. Members are not left: that is the caller's. */
    @Override
    void close();
}
