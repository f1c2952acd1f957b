package io.sockwave.room;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The logs of rooms on one node, in memory: the reference implementation of {@link RoomLog}. Each room keeps its
 * last {@code history} events, and all rooms together about {@code maxBytes} of events: past that the oldest events
 * of any room go first, so that clients naming ever new rooms, or sending the largest messages, cannot make the log
 * hold more. A message id dedupes while its message is held. A room that holds neither members nor events is
 * forgotten; named again, it begins under a new epoch, so that an offset of the old one resumes with a reset.
 */
final class InMemoryRoomLog implements RoomLog {
    /** Events each room keeps for members that resume; the Redis log keeps about as many. */
    static final int DEFAULT_HISTORY = 10_000;
    /** The bytes of events all rooms keep together by default: 10,000 chat lines of a few hundred characters. */
    static final long DEFAULT_MAX_BYTES = 64L << 20;
    /**
     * What an event holds besides its characters: the event and its offset, their slots, the dedupe entry and the
     * dedupe key's own copy of the member and id (counted with the characters, below).
     */
    private static final int EVENT_OVERHEAD = 192;

    private final int history;
    private final long maxBytes;
    private final Map<String, Log> logs = new HashMap<>();
    /** The epoch of every room the log does not know: the same each time, so that reading one is no new epoch. */
    private final String unknownRoomEpoch = newEpoch();
    /** The rooms that hold events, the one whose oldest event came first, first: what goes when bytes run out. */
    private final TreeSet<Log> byOldestEvent = new TreeSet<>(Comparator.comparingLong(Log::oldestTicket));
    /** Numbers the events of all rooms in the order they came. */
    private long tickets;
    private long bytes;
    private volatile Signals signals;

    InMemoryRoomLog(int history) {
        this(history, DEFAULT_MAX_BYTES);
    }

    InMemoryRoomLog(int history, long maxBytes) {
        if (history < 1) {
            throw new IllegalArgumentException("a history of at least one event: " + history);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.history = history;
        this.maxBytes = maxBytes;
    }

    /** @return a random epoch, 13 base-36 characters (64 bits) */
    static String newEpoch() {
        return Long.toUnsignedString(new SecureRandom().nextLong(), 36);
    }

    /** @return about the bytes an event holds on the heap, at two bytes a character whatever the strings' coding */
    static long cost(RoomEvent event) {
        return EVENT_OVERHEAD + 2L * event.text().length() + 4L * (event.member().length() + event.messageId().length());
    }

    /** @return the bytes of events all rooms hold, as {@link #cost} counts them */
    synchronized long heldBytes() {
        return bytes;
    }

    /** @return how many rooms the log knows: those with members or events */
    synchronized int rooms() {
        return logs.size();
    }

    private static final class Log {
        final String name;
        final String epoch = newEpoch();
        /** Event {@code s} at {@code s % ring.length}, its ticket at the same index; grows by doubling up to the history. */
        RoomEvent[] ring;
        long[] ticketRing;
        final Map<String, Long> messageIds = new HashMap<>();
        final TreeSet<String> present = new TreeSet<>();
        /** The newest event's sequence number. */
        long sequence;
        /** The oldest held event's: the log holds none when it is past {@link #sequence}. */
        long first = 1;

        Log(String name, int history) {
            this.name = name;
            ring = new RoomEvent[Math.min(16, history)];
            ticketRing = new long[ring.length];
        }

        int held() {
            return (int) (sequence - first + 1);
        }

        long oldestTicket() {
            return ticketRing[(int) (first % ticketRing.length)];
        }

        /** @return the key of a message's dedupe: a message id is its sender's, so another member's is another message */
        static String dedupeKey(String member, String messageId) {
            return member.length() + ":" + member + messageId;
        }
    }

    @Override
    public void start(String nodeId, Signals signals) {
        this.signals = signals;
    }

    @Override
    public CompletableFuture<Joined> join(String room, String member) {
        RoomEvent joined;
        String epoch;
        List<String> present;
        synchronized (this) {
            Log log = logs.computeIfAbsent(room, r -> new Log(r, history));
            if (!log.present.add(member)) {
                return CompletableFuture.failedFuture(new RoomException(RoomException.Reason.NAME_TAKEN,
                        "the name " + member + " is taken in the room " + room));
            }
            joined = add(log, RoomEvent.Kind.JOIN, member, "", "");
            epoch = log.epoch;
            present = List.copyOf(log.present);
        }
        signals.appended(room, joined);
        return CompletableFuture.completedFuture(new Joined(epoch, joined.offset().sequence(), present));
    }

    @Override
    public CompletableFuture<Appended> append(String room, String member, String messageId, String text) {
        RoomEvent message;
        String epoch;
        synchronized (this) {
            Log log = logs.computeIfAbsent(room, r -> new Log(r, history));
            epoch = log.epoch;
            Long earlier = messageId.isEmpty() ? null : log.messageIds.get(Log.dedupeKey(member, messageId));
            if (earlier != null) {
                return CompletableFuture.completedFuture(new Appended(epoch, earlier, true));
            }
            message = add(log, RoomEvent.Kind.MESSAGE, member, text, messageId);
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
        if (log.held() == history) {
            dropOldest(log);
        }
        if (log.held() == log.ring.length) {
            grow(log);
        }
        boolean heldNone = log.held() == 0;
        long sequence = ++log.sequence;
        RoomEvent event = new RoomEvent(new RoomOffset(log.epoch, sequence), kind, member, text, messageId);
        int at = (int) (sequence % log.ring.length);
        log.ring[at] = event;
        log.ticketRing[at] = ++tickets;
        if (!messageId.isEmpty()) {
            log.messageIds.put(Log.dedupeKey(member, messageId), sequence);
        }
        if (heldNone) {
            byOldestEvent.add(log);
        }
        bytes += cost(event);
        while (bytes > maxBytes) {
            Log oldest = byOldestEvent.first();
            dropOldest(oldest);
            if (oldest.held() == 0 && oldest.present.isEmpty()) {
                logs.remove(oldest.name, oldest);
            }
        }
        return event;
    }

    private void grow(Log log) {
        int length = (int) Math.min(history, 2L * log.ring.length);
        RoomEvent[] ring = new RoomEvent[length];
        long[] ticketRing = new long[length];
        for (long s = log.first; s <= log.sequence; s++) {
            ring[(int) (s % length)] = log.ring[(int) (s % log.ring.length)];
            ticketRing[(int) (s % length)] = log.ticketRing[(int) (s % log.ring.length)];
        }
        log.ring = ring;
        log.ticketRing = ticketRing;
    }

    /** Lets a room's oldest event go, with its dedupe entry. */
    private void dropOldest(Log log) {
        byOldestEvent.remove(log);
        int at = (int) (log.first % log.ring.length);
        RoomEvent event = log.ring[at];
        log.ring[at] = null;
        if (!event.messageId().isEmpty()) {
            log.messageIds.remove(Log.dedupeKey(event.member(), event.messageId()), log.first);
        }
        log.first++;
        bytes -= cost(event);
        if (log.held() > 0) {
            byOldestEvent.add(log);
        }
    }

    @Override
    public synchronized CompletableFuture<Page> read(String room, long after, int limit) {
        Log log = logs.get(room);
        if (log == null) {
            return CompletableFuture.completedFuture(new Page(unknownRoomEpoch, List.of()));
        }
        List<RoomEvent> page = new ArrayList<>();
        long from = Math.max(after + 1, log.first);
        long last = Math.min(log.sequence, from + limit - 1);
        long bytes = 0;
        // bounded by bytes as the Redis log is, so that a member far behind takes the same pages from either
        for (long s = from; s <= last && bytes < PAGE_BYTES; s++) {
            RoomEvent event = log.ring[(int) (s % log.ring.length)];
            page.add(event);
            bytes += Rooms.pageBytes(event);
        }
        return CompletableFuture.completedFuture(new Page(log.epoch, page));
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
