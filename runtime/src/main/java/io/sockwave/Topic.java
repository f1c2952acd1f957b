package io.sockwave;

import io.sockwave.runtime.TopicEngine;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A group of sessions that messages are published to: the subscribers of a feed, the members of a chat room. Where
 * {@link Server#broadcast} looks at every session for every message to tell the caller which took it, a topic
 * keeps its members on their event loops and hands each member the messages published to it during one turn of its
 * loop in one visit: a plain member that holds nothing else takes them as one range of a buffer the loop shares
 * among all its members, and writes it from there in one system call. This is the same model as uWebSockets.js's
 * pub/sub, Socket.IO's rooms and Netty's {@code ChannelGroup}, and the cheapest way to send the same messages to
 * many sessions.
 *
 * <pre>{@code
 * Topic prices = new Topic("prices");
 * Server server = Server.builder()
 *         .route("/prices", new Listener() {
 *             public void onOpen(Session session) {
 *                 prices.add(session);
 *             }
 *         })
 *         .build()
 *         .start();
 * prices.publishText("{\"price\": 42}");
 * }</pre>
 *
 * <p>What publishing promises, for a message published by one thread:
 * <ul>
 *   <li>Every session that is a member when the message is published, as that thread sees membership (its own
 *       {@link #add} and {@link #remove} calls come before or after the publish in its program order), gets the
 *       message unless it closes first or is over its outbound limit, as below. A session added after the publish
 *       does not get it; one removed after it does.</li>
 *   <li>A member gets the messages one thread publishes in the order they were published, to this topic and to any
 *       other, and in order with that thread's own sends to it ({@link Session#sendText}, {@link Session#send},
 *       fragments, {@link Session#close}): a message published between two sends arrives between them. A message
 *       published while the member is in the middle of sending a fragmented message of its own cannot go between
 *       its fragments (RFC 6455 §5.4): it waits, counted in the member's queued bytes, and follows that message's
 *       last fragment, ahead of anything sent after it. Pings may go ahead of queued messages, as they do on a
 *       session. The one exception: a thread of an event loop that sends
 *       to a session of its own loop while sends from other threads to that session are still on their way to the
 *       loop queues that send behind them (see {@link Session}); a message it publishes next may then reach the
 *       session ahead of that send.</li>
 *   <li>Messages published by different threads have no order among them, as sends from different threads.</li>
 *   <li>There is no count of deliveries and no future: a member whose queued bytes would go past its outbound limit
 *       misses the message, as its own send would fail ({@link OutboundLimitPolicy#FAIL_SEND}), or is closed with
 *       1008 ({@link OutboundLimitPolicy#CLOSE}); nothing is buffered past the limit, but by a member amid a
 *       fragmented message of its own. A message waiting for that message to end counts as queued, but does not
 *       count against the member's own fragments of it, which it cannot leave before, nor do the fragments still
 *       on their way to the member's loop count against it: whichever of the two is counted first, neither costs
 *       the other its room, and such a member may queue up to twice its limit (see {@link Session}).
 *       A member whose hand-out fails unexpectedly (its extension's encoder throws, say) is closed, and the
 *       failure logged; the other members still get the message. A member that is closing misses the message too,
 *       as does one that closes before its fragmented message ends; use {@link Server#broadcast} where the caller
 *       must know which session took a message.</li>
 * </ul>
 *
 * <p>A session leaves by itself when it closes: a topic never holds a closed session. A message published once a
 * server or client has closed goes nowhere on its event loops, and the topic lets go of them then. Members may belong to any
 * number of topics and to several servers' and clients' event loops. A session with permessage-deflate, a client's
 * session (which masks) and a TLS session each get the message in the form they need, as from
 * {@link Session#send(PreparedMessage)}. Thread-safe: every method may be called from any thread, a session's
 * callbacks included, and never blocks.
 *
 * <p>Publishing is never refused, so it is not back-pressure: a message published off the members' event loops
 * travels to each of them as a task and is held there until its turn, and a thread that publishes faster than the
 * loops can write holds that much memory in their task queues (the members' outbound limits bound only what each
 * member queues). Pace such a publisher (by the members' {@link Session#isWritable()}, say), or publish from a
 * callback, on a loop's thread.
 */
public final class Topic {
    private final String name;
    private final TopicEngine engine = new TopicEngine();

    /** @param name what the topic is called, for {@link #toString()} and logs; need not be unique */
    public Topic(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** @return the name given to the constructor */
    public String name() {
        return name;
    }

    /**
     * Makes the session a member, from the messages published after this call on. Adding a member again, or a
     * session that has closed, does nothing. Takes effect on the session's event loop, in order with this thread's
     * sends and publishes.
     *
     * @param session a session of a Sockwave {@link Server} or {@link Client}
     * @throws IllegalArgumentException if the session is of another implementation (a wrapper, say), which a topic
     *     cannot hand messages to on its loop: add the session it wraps
     */
    public void add(Session session) {
        engine.add(session);
    }

    /**
     * Removes the session: it still gets what was published before this call, and nothing published after it.
     * Removing a session that is not a member does nothing. A session that closes leaves by itself.
     *
     * @param session the session
     */
    public void remove(Session session) {
        engine.remove(session);
    }

    /**
     * Sends the message to every member, encoded once (see {@link PreparedMessage}); returns at once. See the class
     * comment for what is promised.
     *
     * @param message the message
     */
    public void publish(PreparedMessage message) {
        engine.publish(message);
    }

    /**
     * Sends a text message to every member: {@code publish(PreparedMessage.text(text))}.
     *
     * @param text the message
     * @throws IllegalArgumentException if the text holds an unpaired surrogate, which UTF-8 cannot carry; nothing is
     *     sent
     */
    public void publishText(CharSequence text) {
        publish(PreparedMessage.text(text));
    }

    /**
     * Sends a binary message to every member: {@code publish(PreparedMessage.binary(data))}.
     *
     * @param data the message, from position to limit; copied, not modified
     */
    public void publishBinary(ByteBuffer data) {
        publish(PreparedMessage.binary(data));
    }

    /**
     * @return how many sessions are members, as last counted on their event loops: an {@link #add} or
     *     {@link #remove} counts once its loop has run it, a closed session once its loop has seen it close
     */
    public int size() {
        return engine.size();
    }

    @Override
    public String toString() {
        return "Topic[" + name + ", " + size() + " members]";
    }
}
