package io.sockwave.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The in-memory log bounds the bytes it holds, not only the events of each room: a client of a single server that
 * names ever new rooms, or sends the largest messages, must not grow the heap without end.
 */
class InMemoryRoomLogBoundsTest {
    private static final long MAX_BYTES = 1 << 20;
    private static final String LARGE = "x".repeat(16_384);
    private static final RoomLog.Signals IGNORED = new RoomLog.Signals() {
        @Override
        public void appended(String room, long sequence) {
        }

        @Override
        public void reconnected() {
        }
    };

    private static InMemoryRoomLog started(int history, long maxBytes) {
        InMemoryRoomLog log = new InMemoryRoomLog(history, maxBytes);
        log.start("bounds", IGNORED);
        return log;
    }

    @Test
    void everNewRoomsWithLargeMessagesHoldNoMoreThanTheBound() throws Exception {
        InMemoryRoomLog log = started(InMemoryRoomLog.DEFAULT_HISTORY, MAX_BYTES);
        for (int i = 0; i < 2_000; i++) {
            String room = "room-" + i;
            log.join(room, "visitor").get();
            log.append(room, "visitor", "id-" + i, LARGE).get();
            log.leave(room, "visitor").get();
            assertTrue(log.heldBytes() <= MAX_BYTES, "held " + log.heldBytes() + " B after room " + i);
        }
        // 2,000 rooms of 33 KB each are 66 MB: about 1 MiB of them stays, and the rooms they belonged to
        assertTrue(log.heldBytes() > MAX_BYTES / 2, "the bound is used, not emptied: " + log.heldBytes());
        assertTrue(log.rooms() < 40, "rooms without members or events are forgotten: " + log.rooms());
        RoomLog.Page newest = log.read("room-1999", 0, 10).get();
        assertEquals(List.of(RoomEvent.Kind.JOIN, RoomEvent.Kind.MESSAGE, RoomEvent.Kind.LEAVE),
                newest.events().stream().map(RoomEvent::kind).toList(), "the newest events stay");
        assertTrue(log.read("room-0", 0, 10).get().events().isEmpty(), "the oldest went first");
    }

    @Test
    void aRoomWithMembersKeepsThemWhenItsEventsGo() throws Exception {
        InMemoryRoomLog log = started(InMemoryRoomLog.DEFAULT_HISTORY, MAX_BYTES);
        log.join("kept", "alice").get();
        for (int i = 0; i < 200; i++) {
            log.append("busy", "bob", "", LARGE).get();
        }
        assertTrue(log.read("kept", 0, 10).get().events().isEmpty(), "alice's join went with the oldest bytes");
        ExecutionException taken = assertThrows(ExecutionException.class, () -> log.join("kept", "alice").get());
        assertEquals(RoomException.Reason.NAME_TAKEN, ((RoomException) taken.getCause()).reason());
        assertTrue(log.leave("kept", "alice").get(), "alice is still present and leaves");
    }

    @Test
    void aForgottenRoomBeginsUnderANewEpochAndItsOldOffsetGetsAReset() throws Exception {
        try (Rooms rooms = Rooms.on(new InMemoryRoomLog(InMemoryRoomLog.DEFAULT_HISTORY, 64 << 10), "forget")) {
            InProcessRoomsTest.Recorder first = new InProcessRoomsTest.Recorder();
            rooms.join("gone", "alice", null, first).get(5, TimeUnit.SECONDS);
            RoomOffset had = first.membership.publish("", "hello").get(5, TimeUnit.SECONDS);
            first.awaitSequence(had.sequence());
            first.membership.leave().get(5, TimeUnit.SECONDS);
            InProcessRoomsTest.Recorder other = new InProcessRoomsTest.Recorder();
            rooms.join("elsewhere", "bob", null, other).get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 8; i++) {
                other.membership.publish("", LARGE).get(5, TimeUnit.SECONDS);
            }

            InProcessRoomsTest.Recorder back = new InProcessRoomsTest.Recorder();
            rooms.join("gone", "alice", had, back).get(5, TimeUnit.SECONDS);
            RoomOffset joinedAt = back.membership.joinedAt();
            assertNotEquals(had.epoch(), joinedAt.epoch(), "the room named again is a new log");
            assertEquals(1, joinedAt.sequence());
            back.awaitSequence(1);
            synchronized (back) {
                assertTrue(back.received.get(0) instanceof RoomOffset, "a reset first: " + back.received);
            }
        }
    }

    @Test
    void aMessageIdDedupesWhileItsMessageIsHeld() throws Exception {
        InMemoryRoomLog log = started(4, MAX_BYTES);
        RoomLog.Appended first = log.append("room", "alice", "m1", "once").get();
        assertTrue(log.append("room", "alice", "m1", "once").get().duplicate());
        for (int i = 0; i < 4; i++) {
            log.append("room", "alice", "", "filler").get();
        }
        RoomLog.Appended again = log.append("room", "alice", "m1", "once").get();
        assertFalse(again.duplicate(), "its message left the history, and its dedupe entry with it");
        assertTrue(again.sequence() > first.sequence());
    }

    @Test
    void theHistoryAndTheBoundAreCheckedWhenTheLogIsMade() {
        assertEquals("a history of at least one event: 0",
                assertThrows(IllegalArgumentException.class, () -> new InMemoryRoomLog(0, MAX_BYTES)).getMessage());
        assertEquals("maxBytes must be positive: 0",
                assertThrows(IllegalArgumentException.class, () -> RoomLog.inMemory(0)).getMessage());
    }
}
