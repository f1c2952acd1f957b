package io.sockwave.runtime;

import io.sockwave.PreparedMessage;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A topic's members on one event loop, and the hand-out of what was published to them. A message published here
 * waits in the loop ({@link EventLoop#publish}) until the end of the turn; then each run of this topic's messages
 * is copied once into the loop's {@link TurnFrames} and every member is visited once for the whole run: a plain
 * member that holds nothing else takes the run as one range of that buffer, which it writes from there; any other
 * (TLS, an extension, a client's masking, something already queued, a frame too large to share) queues the
 * messages one by one as {@link io.sockwave.Server#broadcast} would. Confined to the loop's thread, but for
 * {@link #publish} and {@link #size}.
 */
final class TopicShard {
    final EventLoop loop;
    /** The members; a hand-out walks them. */
    private final MemberSlots<WebSocketSession> members = new MemberSlots<>() {
        @Override
        protected int slotOf(WebSocketSession member) {
            return member.membership(TopicShard.this).slot;
        }

        @Override
        protected void place(WebSocketSession member, int slot) {
            member.membership(TopicShard.this).slot = slot;
        }
    };
    /** The members, for {@link #size} on any thread. */
    private volatile int size;
    /**
     * The members and the joins on their way here, counted by any thread: a publish skips a loop with none, which
     * would otherwise take a task and a wake-up per message for as long as it runs, and queue them while busy. Taken
     * before the join is queued, so the thread that adds a member and then publishes sees it.
     */
    private final AtomicInteger claimed = new AtomicInteger();
    /** Member visits made by hand-outs; a test reads it to tell a visit per turn from a visit per message. */
    long visits;

    TopicShard(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * Publishes a message to the members on this loop; from any thread. Off the loop it travels as one of the
     * loop's tasks, behind the same thread's earlier sends, joins and leaves, and ahead of its later ones.
     *
     * @param message the message
     */
    void publish(PreparedMessage message) {
        if (claimed.get() == 0) {
            return;
        }
        if (loop.inLoop()) {
            loop.publish(this, message);
        } else {
            loop.execute(() -> loop.publish(this, message));
        }
    }

    /** @return the members on this loop, as last counted on it */
    int size() {
        return size;
    }

    /** @return the room for members, as of the last {@link #size} counted; a test checks it shrinks */
    int capacity() {
        return members.capacity();
    }

    /** Counts a member on its way to {@link #join}, before the join is queued; on any thread. */
    void claim() {
        claimed.incrementAndGet();
    }

    /**
     * @param member a session of this loop, which joins unless it ended or is a member already; on the loop, after
     *     {@link #claim}
     */
    void join(WebSocketSession member) {
        if (member.hasEnded() || member.isMemberOf(this)) {
            claimed.decrementAndGet();
            return;
        }
        // What was published before the join is not the new member's.
        loop.handOutPublished();
        // The membership first: it holds the slot the member takes.
        member.joined(this);
        members.add(member);
        size++;
    }

    /** @param member a session of this loop, which leaves if it is a member; on the loop */
    void leave(WebSocketSession member) {
        if (!member.isMemberOf(this)) {
            return;
        }
        // What was published before the leave is still the member's.
        loop.handOutPublished();
        // Before the membership goes: it holds the slot to give up.
        remove(member);
        member.left(this);
    }

    /**
     * @param member a member whose session ended: it leaves without being handed anything more; its membership goes
     *     after this
     */
    void ended(WebSocketSession member) {
        remove(member);
    }

    private void remove(WebSocketSession member) {
        members.remove(member);
        // Last, so that a thread that reads the count sees the room that goes with it.
        size--;
        claimed.decrementAndGet();
    }

    /**
     * Hands a run of this topic's messages to every member, one visit each; on the loop, from
     * {@link EventLoop#handOutPublished}. A member that joins meanwhile (from a callback) is not handed the run.
     *
     * @param messages the messages published to this loop
     * @param from the run's first message
     * @param to past its last
     */
    void handOut(PreparedMessage[] messages, int from, int to) {
        int n = members.slots();
        if (n == 0) {
            return;
        }
        TurnFrames turn = loop.turnFrames;
        // Held while members take their ranges, so that no member letting its range go starts the buffer over.
        turn.hold();
        members.startWalk();
        try {
            long range = shareRun(turn, messages, from, to);
            int start = (int) (range >>> 32);
            int end = (int) range;
            for (int i = 0; i < n; i++) {
                WebSocketSession member = members.at(i);
                if (member != null) {
                    visits++;
                    handTo(member, start, end, messages, from, to);
                }
            }
        } finally {
            members.endWalk();
            turn.release();
        }
    }

    /**
     * Copies the run's frames into the turn's buffer, one after the other.
     *
     * @return the range they make there, start in the high half and end in the low; start -1 if they make none
     *     (a frame too large to share, the buffer full, or the same message twice in a row, which the buffer keeps
     *     once)
     */
    private static long shareRun(TurnFrames turn, PreparedMessage[] messages, int from, int to) {
        int start = -1;
        int end = -1;
        Prepared.Access access = Prepared.access();
        for (int i = from; i < to; i++) {
            ByteBuffer frame = access.sharedFrame(messages[i]);
            int at = turn.append(frame);
            if (at < 0 || start >= 0 && at != end) {
                return -1L << 32;
            }
            if (start < 0) {
                start = at;
            }
            end = at + frame.remaining();
        }
        return (long) start << 32 | end & 0xFFFFFFFFL;
    }

    private void handTo(WebSocketSession member, int start, int end, PreparedMessage[] messages, int from, int to) {
        try {
            if (start >= 0 && member.takeShared(start, end)) {
                return;
            }
            for (int i = from; i < to; i++) {
                member.deliver(messages[i]);
            }
        } catch (RuntimeException | Error e) {
            // As a failure writing to one channel: that member is closed, the others still get the run.
            LoopLog.log(Level.ERROR, "unexpected failure handing a topic's messages to a member; closing it", e);
            member.driver.abort("internal error: " + e);
        }
    }
}
