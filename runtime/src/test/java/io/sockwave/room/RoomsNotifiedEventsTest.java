package io.sockwave.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An event that comes with its notification ({@link RoomLog.Signals#appended(String, RoomEvent)}) goes to the members
 * right before it without a read of the log (the read is a round trip to the store, and most of a delivery's time
 * across nodes); any other member is served by a read, and nobody gets an event twice. Here the log's reads wait for
 * the test to answer them, so that a read asked for shows, and a delivery that needs none shows too.
 */
class RoomsNotifiedEventsTest {
    private static final String EPOCH = "e1";
    private static final String ROOM = "room";

    /** A log whose joins answer at once and whose reads wait in {@link #reads} for the test. */
    private static final class HandLog implements RoomLog {
        final BlockingQueue<Read> reads = new LinkedBlockingQueue<>();
        volatile Signals signals;
        long sequence;
        /** When set, the next join answers with it, when the test completes it. */
        volatile CompletableFuture<Joined> heldJoin;

        record Read(long after, CompletableFuture<Page> page) {
        }

        Read nextRead() throws InterruptedException {
            Read read = reads.poll(10, TimeUnit.SECONDS);
            assertNotNull(read, "no read within 10 s");
            return read;
        }

        @Override
        public void start(String nodeId, Signals signals) {
            this.signals = signals;
        }

        @Override
        public synchronized CompletableFuture<Joined> join(String room, String member) {
            CompletableFuture<Joined> held = heldJoin;
            if (held != null) {
                heldJoin = null;
                return held;
            }
            return CompletableFuture.completedFuture(new Joined(EPOCH, ++sequence, List.of(member)));
        }

        @Override
        public CompletableFuture<Appended> append(String room, String member, String messageId, String text) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("not in these tests"));
        }

        @Override
        public CompletableFuture<Boolean> leave(String room, String member) {
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletableFuture<Page> read(String room, long after, int limit) {
            CompletableFuture<Page> page = new CompletableFuture<>();
            reads.add(new Read(after, page));
            return page;
        }

        @Override
        public void watch(String room) {
        }

        @Override
        public void unwatch(String room) {
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
        }
    }

    /**
     * The sequence numbers of the events a member received, in order; and in {@link #calls}, shared by the members
     * of a test, every listener call of theirs in the order the rooms' thread made them.
     */
    private static final class Received implements RoomListener {
        private final List<Long> sequences = new ArrayList<>();
        private final String name;
        private final List<String> calls;
        /** Holds the rooms' thread in the call for this event until {@link #release} opens. */
        volatile long holdAt = -1;
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        Received() {
            this("ann", new ArrayList<>());
        }

        Received(String name, List<String> calls) {
            this.name = name;
            this.calls = calls;
        }

        @Override
        public void onJoined(Membership joined) {
            synchronized (calls) {
                calls.add(name + " joined");
            }
        }

        @Override
        public void onEvent(RoomEvent event) {
            synchronized (calls) {
                calls.add(name + " " + event.offset().sequence());
            }
            synchronized (this) {
                sequences.add(event.offset().sequence());
                notifyAll();
            }
            if (event.offset().sequence() == holdAt) {
                held.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void onReset(String reason, RoomOffset resumesAfter) {
        }

        @Override
        public void onClosed(String reason) {
        }

        synchronized List<Long> awaitCount(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sequences.size() < count && System.nanoTime() < deadline) {
                wait(10);
            }
            return List.copyOf(sequences);
        }
    }

    private static RoomEvent message(String epoch, long sequence) {
        return new RoomEvent(new RoomOffset(epoch, sequence), RoomEvent.Kind.MESSAGE, "ann", "hello " + sequence,
                "m" + sequence);
    }

    private static RoomEvent joinOf(long sequence) {
        return new RoomEvent(new RoomOffset(EPOCH, sequence), RoomEvent.Kind.JOIN, "ann", "", "");
    }

    /** Joins ann (sequence 1) and answers the read that brings her own join. */
    private static Received joinAnn(Rooms rooms, HandLog log) throws Exception {
        return joinAnn(rooms, log, new Received());
    }

    private static Received joinAnn(Rooms rooms, HandLog log, Received ann) throws Exception {
        rooms.join(ROOM, "ann", null, ann).get(5, TimeUnit.SECONDS);
        HandLog.Read first = log.nextRead();
        assertEquals(0, first.after());
        first.page().complete(new RoomLog.Page(EPOCH, List.of(joinOf(1))));
        assertEquals(List.of(1L), ann.awaitCount(1));
        return ann;
    }

    @Test
    void anEventThatComesWithItsNotificationIsDeliveredWithoutARead() throws Exception {
        HandLog log = new HandLog();
        try (Rooms rooms = Rooms.on(log, "node")) {
            Received ann = joinAnn(rooms, log);
            log.signals.appended(ROOM, message(EPOCH, 2));
            log.signals.appended(ROOM, message(EPOCH, 3));
            assertEquals(List.of(1L, 2L, 3L), ann.awaitCount(3));
            // the same notification again, or the event in a later read, is not delivered twice
            log.signals.appended(ROOM, message(EPOCH, 3));
            log.signals.appended(ROOM, 3);
            Thread.sleep(100);
            assertEquals(List.of(), List.copyOf(log.reads), "no read: nobody was behind");
            assertEquals(List.of(1L, 2L, 3L), ann.awaitCount(3));
        }
    }

    @Test
    void aMemberBehindTheNotifiedEventGetsWhatItMissedFromAReadInOrderAndOnce() throws Exception {
        HandLog log = new HandLog();
        try (Rooms rooms = Rooms.on(log, "node")) {
            Received ann = joinAnn(rooms, log);
            // the notification of 2 was lost: 3 is not ann's next event, so the log is read from her cursor
            log.signals.appended(ROOM, message(EPOCH, 3));
            HandLog.Read read = log.nextRead();
            assertEquals(1, read.after());
            // 4 comes while the read is under way: ann is not right before it either
            log.signals.appended(ROOM, message(EPOCH, 4));
            read.page().complete(new RoomLog.Page(EPOCH, List.of(message(EPOCH, 2), message(EPOCH, 3),
                    message(EPOCH, 4))));
            assertEquals(List.of(1L, 2L, 3L, 4L), ann.awaitCount(4));
            // the read asked again for 4's notification finds nothing newer
            HandLog.Read again = log.nextRead();
            again.page().complete(new RoomLog.Page(EPOCH, List.of()));
            log.signals.appended(ROOM, message(EPOCH, 5));
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ann.awaitCount(5));
        }
    }

    /**
     * Notifications that come while the rooms' thread is busy are handed out together, after the tasks queued before
     * them: a join answered meanwhile is admitted (its welcome sent) ahead of a burst of events, as it was when
     * every event came from a read, rather than behind every one of them (a node's reconnecting members waited
     * behind the fan-out of each other's joins).
     */
    @Test
    void notificationsThatComeWhileTheLoopIsBusyAreHandedOutTogetherAfterWhatWasQueuedBefore() throws Exception {
        HandLog log = new HandLog();
        List<String> calls = new ArrayList<>();
        try (Rooms rooms = Rooms.on(log, "node")) {
            Received ann = joinAnn(rooms, log, new Received("ann", calls));
            CompletableFuture<RoomLog.Joined> bobsJoin = new CompletableFuture<>();
            log.heldJoin = bobsJoin;
            Received bob = new Received("bob", calls);
            CompletableFuture<Membership> bobIn = rooms.join(ROOM, "bob", null, bob);

            ann.holdAt = 2;
            log.signals.appended(ROOM, message(EPOCH, 2));
            assertTrue(ann.held.await(10, TimeUnit.SECONDS), "event 2 reached ann");
            // the rooms' thread is busy with ann's event 2: a notification, bob's join answered, another notification
            log.signals.appended(ROOM, message(EPOCH, 3));
            bobsJoin.complete(new RoomLog.Joined(EPOCH, 5, List.of("ann", "bob")));
            log.signals.appended(ROOM, message(EPOCH, 4));
            ann.release.countDown();

            bobIn.get(10, TimeUnit.SECONDS);
            assertEquals(List.of(1L, 2L, 3L, 4L), ann.awaitCount(4));
            synchronized (calls) {
                assertEquals(List.of("ann joined", "ann 1", "ann 2", "bob joined", "ann 3", "ann 4"), calls);
            }
        }
    }

    @Test
    void anEventOfAnotherEpochIsLeftToTheRead() throws Exception {
        HandLog log = new HandLog();
        try (Rooms rooms = Rooms.on(log, "node")) {
            Received ann = joinAnn(rooms, log);
            log.signals.appended(ROOM, message("e2", 2));
            HandLog.Read read = log.nextRead();
            assertEquals(1, read.after());
            assertEquals(List.of(1L), ann.awaitCount(1), "not delivered from the notification");
        }
    }
}
