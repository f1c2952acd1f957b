package io.sockwave.room;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The logs of rooms on one node, in memory: the reference implementation of {@link RoomLog}. Each room keeps its
 * last {@code history} events and the ids of its last {@code history} messages for the dedupe.
 */
final class InMemoryRoomLog implements RoomLog {
    /** Events each room keeps for members that resume; the Redis log keeps about as many. */
    static final int DEFAULT_HISTORY = 10_000;

    private final int history;
    private final String epoch = newEpoch();
    private final Map<String, Log> logs = new HashMap<>();
    private volatile Signals signals;

    InMemoryRoomLog(int history) {
        this.history = history;
    }

    /** @return a random epoch, 13 base-36 characters (64 bits) */
    static String newEpoch() {
        return Long.toUnsignedString(new SecureRandom().nextLong(), 36);
    }

    private static final class Log {
        /** The last events, event {@code s} at {@code s % ring.length}; grows by doubling up to the history. */
        RoomEvent[] ring;
        final Map<String, Long> messageIds;
        final TreeSet<String> present = new TreeSet<>();
        long sequence;

        Log(int history) {
            ring = new RoomEvent[Math.min(16, history)];
            messageIds = new LinkedHashMap<>() {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                    return size() > history;
                }
            };
        }
    }

    @Override
    public void start(String nodeId, Signals signals) {
        this.signals = signals;
    }

    @Override
    public CompletableFuture<Joined> join(String room, String member) {
        RoomEvent joined;
        List<String> present;
        synchronized (this) {
            Log log = logs.computeIfAbsent(room, r -> new Log(history));
            if (!log.present.add(member)) {
                return CompletableFuture.failedFuture(new RoomException(RoomException.Reason.NAME_TAKEN,
                        "the name " + member + " is taken in the room " + room));
            }
            joined = add(log, RoomEvent.Kind.JOIN, member, "", "");
            present = List.copyOf(log.present);
        }
        signals.appended(room, joined);
        return CompletableFuture.completedFuture(new Joined(epoch, joined.offset().sequence(), present));
    }

    @Override
    public CompletableFuture<Appended> append(String room, String member, String messageId, String text) {
        RoomEvent message;
        synchronized (this) {
            Log log = logs.computeIfAbsent(room, r -> new Log(history));
            // A message id is its sender's: another member's message with the same id is another message.
            String dedupe = member.length() + ":" + member + messageId;
            Long earlier = messageId.isEmpty() ? null : log.messageIds.get(dedupe);
            if (earlier != null) {
                return CompletableFuture.completedFuture(new Appended(epoch, earlier, true));
            }
            message = add(log, RoomEvent.Kind.MESSAGE, member, text, messageId);
            if (!messageId.isEmpty()) {
                log.messageIds.put(dedupe, message.offset().sequence());
            }
        }
        signals.appended(room, message);
        return CompletableFuture.completedFuture(new Appended(epoch, message.offset().sequence(), false));
    }

    @Override
    public CompletableFuture<Boolean> leave(String room, String member) {
        RoomEvent left;
        synchronized (this) {
            Log log = logs.get(room);
            if (log == null || !log.present.remove(member)) {
                return CompletableFuture.completedFuture(false);
            }
            left = add(log, RoomEvent.Kind.LEAVE, member, "", "");
        }
        signals.appended(room, left);
        return CompletableFuture.completedFuture(true);
    }

    private RoomEvent add(Log log, RoomEvent.Kind kind, String member, String text, String messageId) {
        long sequence = ++log.sequence;
        if (sequence > log.ring.length && log.ring.length < history) {
            RoomEvent[] larger = new RoomEvent[Math.min(history, log.ring.length * 2)];
            for (long s = sequence - log.ring.length; s < sequence; s++) {
                larger[(int) (s % larger.length)] = log.ring[(int) (s % log.ring.length)];
            }
            log.ring = larger;
        }
        RoomEvent event = new RoomEvent(new RoomOffset(epoch, sequence), kind, member, text, messageId);
        log.ring[(int) (sequence % log.ring.length)] = event;
        return event;
    }

    @Override
    public synchronized CompletableFuture<Page> read(String room, long after, int limit) {
        Log log = logs.get(room);
        List<RoomEvent> page = new ArrayList<>();
        if (log != null) {
            long first = Math.max(1, log.sequence - log.ring.length + 1);
            long last = Math.min(log.sequence, Math.max(after + 1, first) + limit - 1);
            for (long s = Math.max(after + 1, first); s <= last; s++) {
                page.add(log.ring[(int) (s % log.ring.length)]);
            }
        }
        return CompletableFuture.completedFuture(new Page(epoch, page));
    }

    @Override
    public void watch(String room) {
        // every append is signalled already: one node holds all members
    }

    @Override
    public void unwatch(String room) {
        // as for watch
    }

    @Override
    public CompletableFuture<Boolean> heartbeat() {
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletableFuture<Integer> reapDeadNodes() {
        return CompletableFuture.completedFuture(0);
    }

    @Override
    public void close() {
        // nothing is held outside the heap
    }
}
