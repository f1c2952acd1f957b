package io.sockwave.runtime;

import io.sockwave.PreparedMessage;
import io.sockwave.Session;
import java.util.Arrays;
import java.util.Objects;

/**
 * What {@link io.sockwave.Topic} does: one {@link TopicShard} per event loop its members live on. Publishing hands
 * the message to each shard (as a task of the shard's loop when called elsewhere); joining and leaving run on the
 * member's loop, in the order of that thread's other calls. Thread-safe.
 */
public final class TopicEngine {
    private static final TopicShard[] NONE = new TopicShard[0];

    /**
     * Copied on write: shards are added when a member's loop is new to the topic, dropped once it has stopped (at
     * the next add of a member on a new loop, or the next publish).
     */
    private volatile TopicShard[] shards = NONE;

    /**
     * @param session a session of a Sockwave server or client
     * @throws IllegalArgumentException if it is not one
     */
    public void add(Session session) {
        WebSocketSession member = own(session);
        TopicShard shard = shardFor(member.driver.loop);
        shard.claim();
        member.onLoop(() -> shard.join(member));
    }

    /** @param session a session; one that is not a member is left alone */
    public void remove(Session session) {
        if (!(Objects.requireNonNull(session, "session") instanceof WebSocketSession member)) {
            return;
        }
        for (TopicShard shard : shards) {
            if (shard.loop == member.driver.loop) {
                member.onLoop(() -> shard.leave(member));
                return;
            }
        }
    }

    /** @param message published to every shard with members, or joins on their way, that is to their loops */
    public void publish(PreparedMessage message) {
        Objects.requireNonNull(message, "message");
        boolean stopped = false;
        for (TopicShard shard : shards) {
            if (shard.loop.isTerminated()) {
                stopped = true;
            } else {
                shard.publish(message);
            }
        }
        if (stopped) {
            dropStopped();
        }
    }

    /** @return the members, as last counted on their loops */
    public int size() {
        int size = 0;
        for (TopicShard shard : shards) {
            size += shard.size();
        }
        return size;
    }

    /** @return the room for members on every loop, as of the last {@link #size}; a test checks it shrinks */
    int capacity() {
        int capacity = 0;
        for (TopicShard shard : shards) {
            capacity += shard.capacity();
        }
        return capacity;
    }

    /** @return the member visits the hand-outs made so far, on every loop; a test tells one per turn from one per message */
    long visits() {
        long visits = 0;
        for (TopicShard shard : shards) {
            visits += shard.visits;
        }
        return visits;
    }

    private static WebSocketSession own(Session session) {
        if (Objects.requireNonNull(session, "session") instanceof WebSocketSession member) {
            return member;
        }
        throw new IllegalArgumentException("a topic's members are the sessions of Sockwave's servers and clients, not "
                + session.getClass().getName());
    }

    private TopicShard shardFor(EventLoop loop) {
        for (TopicShard shard : shards) {
            if (shard.loop == loop) {
                return shard;
            }
        }
        synchronized (this) {
            TopicShard[] current = shards;
            for (TopicShard shard : current) {
                if (shard.loop == loop) {
                    return shard;
                }
            }
            TopicShard[] running = running(current);
            TopicShard created = new TopicShard(loop);
            TopicShard[] next = Arrays.copyOf(running, running.length + 1);
            next[running.length] = created;
            shards = next;
            return created;
        }
    }

    /** Lets go of the shards of loops that have stopped: the topic does not keep a closed server's loop alive. */
    private synchronized void dropStopped() {
        shards = running(shards);
    }

    /** @return the shards whose loops still run: a stopped loop's shard holds only sessions that ended */
    private static TopicShard[] running(TopicShard[] current) {
        TopicShard[] next = new TopicShard[current.length];
        int kept = 0;
        for (TopicShard shard : current) {
            if (!shard.loop.isTerminated()) {
                next[kept++] = shard;
            }
        }
        return kept == 0 ? NONE : Arrays.copyOf(next, kept);
    }
}
