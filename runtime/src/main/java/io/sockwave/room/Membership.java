package io.sockwave.room;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One member in one room, on this node: what it publishes with, and how it leaves. Thread-safe. */
public interface Membership {
    /** @return the room's name */
    String room();

    /** @return the member's name, unique in the room across all nodes */
    String member();

    /** @return the offset of this member's join event */
    RoomOffset joinedAt();

    /** @return the names present in the room right after the join, this member included, sorted */
    List<String> present();

    /**
     * Appends a message to the room's log. The future completes with the message's offset only once the log holds
     * it (for Redis: after the append, with the durability Redis is configured for); every member, the sender
     * included, then receives it as an event. A retry with the same message id by the same member name, from any
     * node, is appended once: the retry completes with the first append's offset. Another member's message with the
     * same id is another message.
     *
     * @param messageId the sender's id for this message, unique among this member's messages for the dedupe window
     *     (10 minutes in the Redis log), or empty for no dedupe; at most 64 characters
     * @param text the message
     * @return the message's offset, or a failure with a {@link RoomException} saying why it was refused
     * @throws IllegalArgumentException if the message id is longer than 64 characters; if the message id or the text
     *     holds an unpaired surrogate, which UTF-8 cannot carry (a store of UTF-8 strings would change it, and take
     *     two such ids for one); or if the text, its id and the member's name take more than the 8 MiB a node holds
     *     of messages on their way to the log (two bytes per character: about four million characters), which a
     *     retry could never fit in
     */
    CompletableFuture<RoomOffset> publish(String messageId, String text);

    /**
     * Leaves the room: a leave event is appended and no more events are delivered. Leaving twice does nothing.
     *
     * @return completes when the leave is in the log, or failed if the log could not be reached or refused it; in
     *     that case the node writes the leave again at each of its heartbeats (every 2 s) until the log takes it, and
     *     another node writes it if this node dies meanwhile
     */
    CompletableFuture<Void> leave();
}
