package io.sockwave.redis;

import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomLog;
import io.sockwave.room.RoomOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks what the members of one room received, across every node they joined, against the room's final log and
 * the publishes that were acknowledged: the rooms' delivery guarantee, as a list of violations (empty when it held).
 *
 * <ul>
 *   <li>each member's history has no gap and no repeat: after its fresh join (its own join first), a resume (right
 *       after the offset it resumed at) or a reset (right after the offset the reset names), each event is the next
 *       sequence number of the same epoch;</li>
 *   <li>a reset is honest: within an epoch it never goes back and skips only events the log no longer holds, and
 *       where Redis lost nothing (durable) no epoch ever changes;</li>
 *   <li>no member receives a message twice, even across epochs;</li>
 *   <li>every member, and the log, agree on the event at each offset (one order per room);</li>
 *   <li>every acknowledged message is in the log at the offset it was acknowledged with, unless (not durable) its
 *       epoch is gone; no message is in the log twice;</li>
 *   <li>presence: the log's joins and leaves alternate per name (durable), and leave present exactly the members
 *       expected.</li>
 * </ul>
 */
final class DeliveryChecker {
    private final String room;
    private final RoomLog.Page log;
    private final boolean durable;
    private final List<String> violations = new ArrayList<>();
    /** The event at each offset, as the log or the first member that had it says. */
    private final Map<RoomOffset, RoomEvent> byOffset = new HashMap<>();

    /**
     * @param room the room
     * @param log the room's whole log now, from its first event (nothing trimmed)
     * @param durable whether Redis kept every write it acknowledged (an append-only file synced at every write)
     */
    DeliveryChecker(String room, RoomLog.Page log, boolean durable) {
        this.room = room;
        this.log = log;
        this.durable = durable;
        long expected = 1;
        for (RoomEvent event : log.events()) {
            if (event.offset().sequence() != expected) {
                violations.add(room + ": the log has " + event.offset() + " where sequence " + expected + " was due");
            }
            expected = event.offset().sequence() + 1;
            byOffset.put(event.offset(), event);
            RoomOffset origin = log.origin();
            if (origin != null && event.offset().sequence() <= origin.sequence()) {
                // an epoch that kept the log of the one before: its first events are that epoch's too
                byOffset.put(new RoomOffset(origin.epoch(), event.offset().sequence()), sameAt(event, origin.epoch()));
            }
        }
    }

    private static RoomEvent sameAt(RoomEvent event, String epoch) {
        return new RoomEvent(new RoomOffset(epoch, event.offset().sequence()), event.kind(), event.member(),
                event.text(), event.messageId());
    }

    /** @return the offset of the log's last event, or null for an empty log */
    RoomOffset head() {
        List<RoomEvent> events = log.events();
        return events.isEmpty() ? null : events.get(events.size() - 1).offset();
    }

    /** Checks one member's history. */
    void member(String name, List<Object> history) {
        RoomOffset previous = null;
        Set<String> messages = new HashSet<>();
        String who = room + "/" + name;
        for (Object entry : history) {
            if (entry instanceof ChaosMember.Start start) {
                // without an offset only while it received nothing: a fresh join again, its own join first
                previous = start.since();
            } else if (entry instanceof ChaosMember.Reset reset) {
                reset(who, previous, reset);
                previous = reset.resumesAfter();
            } else {
                RoomEvent event = (RoomEvent) entry;
                RoomOffset offset = event.offset();
                if (previous == null) {
                    if (event.kind() != RoomEvent.Kind.JOIN || !event.member().equals(name)) {
                        violations.add(who + ": a fresh member's first event is " + event + ", not its own join");
                    }
                } else if (!offset.epoch().equals(previous.epoch())) {
                    violations.add(who + ": " + offset + " came after " + previous + " with no reset between");
                } else if (offset.sequence() != previous.sequence() + 1) {
                    violations.add(who + ": " + offset + " came after " + previous
                            + (offset.sequence() <= previous.sequence() ? " (received again)" : " (a silent gap)"));
                }
                previous = offset;
                if (event.kind() == RoomEvent.Kind.MESSAGE && !event.messageId().isEmpty()
                        && !messages.add(event.member() + "\n" + event.messageId())) {
                    violations.add(who + ": received message " + event.member() + "/" + event.messageId()
                            + " twice (the second at " + offset + ")");
                }
                RoomEvent known = byOffset.putIfAbsent(offset, event);
                if (known != null && !known.equals(event)) {
                    violations.add(who + ": received " + event + " at " + offset + ", where the log or another"
                            + " member has " + known);
                }
            }
        }
    }

    private void reset(String who, RoomOffset previous, ChaosMember.Reset reset) {
        RoomOffset to = reset.resumesAfter();
        if (previous == null) {
            violations.add(who + ": a reset (" + reset.reason() + ") before anything");
            return;
        }
        if (to.epoch().equals(previous.epoch()) && to.sequence() < previous.sequence()) {
            violations.add(who + ": a reset from " + previous + " back to " + to + " in the same epoch, whose events"
                    + " after it come again (" + reset.reason() + ")");
        } else if (to.epoch().equals(previous.epoch())) {
            for (long s = previous.sequence() + 1; s <= to.sequence(); s++) {
                if (byOffset.containsKey(new RoomOffset(to.epoch(), s))) {
                    violations.add(who + ": a reset from " + previous + " to " + to + " skipped " + to.epoch() + "-"
                            + s + ", which the log holds (" + reset.reason() + ")");
                    return;
                }
            }
        } else if (durable) {
            violations.add(who + ": the epoch changed from " + previous + " to " + to + " though Redis lost no"
                    + " write (" + reset.reason() + ")");
        }
    }

    /**
     * Checks the acknowledged publishes of the room.
     *
     * @param acknowledged by sender and message id ({@code MEMBER/ID}), the offset each was acknowledged with
     */
    void acknowledged(Map<String, RoomOffset> acknowledged) {
        Map<String, RoomOffset> logged = new HashMap<>();
        for (RoomEvent event : log.events()) {
            if (event.kind() == RoomEvent.Kind.MESSAGE) {
                RoomOffset earlier = logged.put(event.member() + "/" + event.messageId(), event.offset());
                if (earlier != null) {
                    violations.add(room + ": message " + event.member() + "/" + event.messageId() + " is in the log"
                            + " twice, at " + earlier + " and " + event.offset());
                }
            }
        }
        RoomOffset origin = log.origin();
        acknowledged.forEach((key, offset) -> {
            boolean kept = offset.epoch().equals(log.epoch()) || (origin != null
                    && offset.epoch().equals(origin.epoch()) && offset.sequence() <= origin.sequence());
            if (kept) {
                RoomEvent at = byOffset.get(offset);
                if (at == null || at.kind() != RoomEvent.Kind.MESSAGE
                        || !key.equals(at.member() + "/" + at.messageId())) {
                    violations.add(room + ": message " + key + " was acknowledged at " + offset + ", where the log has "
                            + at);
                }
            } else if (durable) {
                violations.add(room + ": message " + key + " was acknowledged at " + offset + ", of an epoch the log"
                        + " no longer continues (now " + log.epoch() + ", origin " + origin + ")");
            }
        });
    }

    /**
     * Checks presence by the log's joins and leaves.
     *
     * @param expected the members that are in the room now
     */
    void presence(Set<String> expected) {
        Set<String> present = new TreeSet<>();
        for (RoomEvent event : log.events()) {
            // a rollback may keep a join and lose the leave after it: only a durable log alternates for certain
            if (event.kind() == RoomEvent.Kind.JOIN && !present.add(event.member()) && durable) {
                violations.add(room + ": " + event.member() + " joined at " + event.offset() + " while present");
            } else if (event.kind() == RoomEvent.Kind.LEAVE && !present.remove(event.member()) && durable) {
                violations.add(room + ": " + event.member() + " left at " + event.offset() + " while absent");
            }
        }
        if (!present.equals(new TreeSet<>(expected))) {
            violations.add(room + ": the log leaves " + present + " present, not " + new TreeSet<>(expected));
        }
    }

    /** @return every violation found so far */
    List<String> violations() {
        return List.copyOf(violations);
    }
}
