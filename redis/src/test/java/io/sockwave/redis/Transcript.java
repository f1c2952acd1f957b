package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.sockwave.room.Membership;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomListener;
import io.sockwave.room.RoomOffset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** What one member received, in order: events and resets, checked for the guarantees of the rooms. */
final class Transcript implements RoomListener {
    /** A reset as the member saw it. */
    record Reset(String reason, RoomOffset resumesAfter) {
    }

    private final List<Object> entries = new ArrayList<>();
    private volatile Membership membership;
    private volatile String closedReason;

    @Override
    public void onJoined(Membership membership) {
        this.membership = membership;
    }

    @Override
    public synchronized void onEvent(RoomEvent event) {
        entries.add(event);
        notifyAll();
    }

    @Override
    public synchronized void onReset(String reason, RoomOffset resumesAfter) {
        entries.add(new Reset(reason, resumesAfter));
        notifyAll();
    }

    @Override
    public synchronized void onClosed(String reason) {
        closedReason = reason;
        notifyAll();
    }

    Membership membership() {
        return membership;
    }

    String closedReason() {
        return closedReason;
    }

    synchronized List<RoomEvent> events() {
        return entries.stream().filter(RoomEvent.class::isInstance).map(RoomEvent.class::cast).toList();
    }

    synchronized List<Reset> resets() {
        return entries.stream().filter(Reset.class::isInstance).map(Reset.class::cast).toList();
    }

    synchronized RoomOffset lastOffset() {
        List<RoomEvent> events = events();
        return events.isEmpty() ? null : events.get(events.size() - 1).offset();
    }

    /** Waits until an event matches. */
    synchronized RoomEvent await(Predicate<RoomEvent> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (RoomEvent event : events()) {
                if (match.test(event)) {
                    return event;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("no matching event within " + timeout + "; got " + entries.size() + " entries, the last: "
                        + (entries.isEmpty() ? "none" : entries.get(entries.size() - 1)));
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits until the member has received the event at this offset. */
    RoomEvent awaitOffset(RoomOffset offset, Duration timeout) throws InterruptedException {
        return await(e -> e.offset().equals(offset), timeout);
    }

    /**
     * Checks no silent gap and no duplicate: after its first event, or after a reset, each event is the next
     * sequence number of the same epoch.
     *
     * @param start the offset the member resumed after, or null if it joined fresh (then its first event is its
     *     own join)
     */
    synchronized void assertGapless(RoomOffset start, String member) {
        RoomOffset previous = start;
        for (Object entry : entries) {
            if (entry instanceof Reset reset) {
                previous = reset.resumesAfter();
                continue;
            }
            RoomEvent event = (RoomEvent) entry;
            if (previous == null) {
                assertEquals(RoomEvent.Kind.JOIN, event.kind(), "a fresh member starts with its own join");
                assertEquals(member, event.member());
            } else {
                assertEquals(previous.epoch(), event.offset().epoch(), "an epoch changes only after a reset");
                assertEquals(previous.sequence() + 1, event.offset().sequence(),
                        member + ": after " + previous + " came " + event.offset());
            }
            previous = event.offset();
        }
        assertNotNull(previous, member + " received nothing");
    }
}
