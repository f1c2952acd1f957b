package io.sockwave.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Input a room can never take is refused at the call, with what is wrong, rather than as a refusal to retry. */
class RoomsRefusedInputTest {
    /**
     * A message whose bytes on their way to the log are more than the node's bound of them was refused with
     * {@code OVERLOADED}, "retry later": every retry was refused the same.
     */
    @Test
    void aMessageLargerThanTheNodesBoundOfMessagesOnTheirWayIsRefusedAtTheCall() throws Exception {
        try (Rooms rooms = Rooms.inProcess()) {
            InProcessRoomsTest.Recorder alice = new InProcessRoomsTest.Recorder();
            rooms.join("big", "alice", null, alice).get(5, TimeUnit.SECONDS);
            String tooLarge = "x".repeat((int) (Rooms.MAX_PENDING_BYTES / 2));
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> alice.membership.publish("", tooLarge));
            assertTrue(refused.getMessage().contains(Rooms.MAX_PENDING_BYTES + " bytes"), refused.getMessage());
            RoomOffset next = alice.membership.publish("", "x".repeat(100_000)).get(5, TimeUnit.SECONDS);
            assertEquals(2, next.sequence(), "a large message within the bound is appended, nothing before it");
        }
    }

    /** The same names and texts are refused on every log, though only a store of UTF-8 strings would merge them. */
    @Test
    void namesIdsAndTextsWithAnUnpairedSurrogateAreRefusedAtTheCall() throws Exception {
        try (Rooms rooms = Rooms.inProcess()) {
            InProcessRoomsTest.Recorder alice = new InProcessRoomsTest.Recorder();
            rooms.join("room", "alice", null, alice).get(5, TimeUnit.SECONDS);
            IllegalArgumentException room = assertThrows(IllegalArgumentException.class,
                    () -> rooms.join("room\uD800", "bob", null, new InProcessRoomsTest.Recorder()));
            assertTrue(room.getMessage().startsWith("a room name holds an unpaired surrogate"), room.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> rooms.join("room", "\uDC00bob", null, new InProcessRoomsTest.Recorder()));
            assertThrows(IllegalArgumentException.class, () -> alice.membership.publish("id\uD800", "text"));
            assertThrows(IllegalArgumentException.class, () -> alice.membership.publish("", "text\uD800"));
            assertEquals(2, alice.membership.publish("", "a pair \uD834\uDD1E is fine").get(5, TimeUnit.SECONDS)
                    .sequence());
        }
    }

    /** A member name longer than the node's limit is refused at the call, saying the limit; one at it is taken. */
    @Test
    void aMemberNameLongerThanTheLimitIsRefusedAtTheCall() throws Exception {
        try (Rooms rooms = Rooms.inProcess(new RoomLimits(8, 4))) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> rooms.join("room", "n".repeat(9), null, new InProcessRoomsTest.Recorder()));
            assertEquals("a member name is at most 8 characters on this node, was 9", refused.getMessage());
            // counted in characters: eight of two UTF-16 units each are eight
            String eight = "\uD834\uDD1E".repeat(8);
            InProcessRoomsTest.Recorder member = new InProcessRoomsTest.Recorder();
            rooms.join("room", eight, null, member).get(5, TimeUnit.SECONDS);
            assertEquals(List.of(eight), member.membership.present());
        }
    }

    /**
     * One name in more rooms of a node than the limit is refused with {@code TOO_MANY_ROOMS}; a room it leaves, or a
     * join of it that failed, no longer counts.
     */
    @Test
    void oneNameInMoreRoomsThanTheLimitIsRefusedUntilItLeavesOne() throws Exception {
        try (Rooms rooms = Rooms.inProcess(new RoomLimits(16, 2))) {
            InProcessRoomsTest.Recorder first = new InProcessRoomsTest.Recorder();
            rooms.join("r1", "ann", null, first).get(5, TimeUnit.SECONDS);
            // refused for its name: not a room of ann's
            ExecutionException taken = assertThrows(ExecutionException.class, () -> rooms.join("r1", "ann", null,
                    new InProcessRoomsTest.Recorder()).get(5, TimeUnit.SECONDS));
            assertEquals(RoomException.Reason.NAME_TAKEN, ((RoomException) taken.getCause()).reason());
            rooms.join("r2", "bob", null, new InProcessRoomsTest.Recorder()).get(5, TimeUnit.SECONDS);
            rooms.join("r3", "ann", null, new InProcessRoomsTest.Recorder()).get(5, TimeUnit.SECONDS);
            ExecutionException tooMany = assertThrows(ExecutionException.class, () -> rooms.join("r4", "ann", null,
                    new InProcessRoomsTest.Recorder()).get(5, TimeUnit.SECONDS));
            RoomException refusal = (RoomException) tooMany.getCause();
            assertEquals(RoomException.Reason.TOO_MANY_ROOMS, refusal.reason());
            assertEquals("the name ann is in 2 rooms on this node, the most one name may be in",
                    refusal.getMessage());
            first.membership.leave().get(5, TimeUnit.SECONDS);
            rooms.join("r4", "ann", null, new InProcessRoomsTest.Recorder()).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void limitsBelowOneAreRefused() {
        assertEquals("maxNameLength must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> new RoomLimits(0, 1)).getMessage());
        assertEquals("maxRoomsPerName must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> new RoomLimits(1, 0)).getMessage());
    }

    /**
     * A store may end a page once its events reach {@link RoomLog#PAGE_BYTES} (sockwave-redis does): a page that
     * does is followed by a read at once, counted in UTF-8 bytes as the store counts them, not in characters.
     */
    @Test
    void aPageWhoseEventsReachThePageBytesMayHaveMoreAfterIt() {
        RoomOffset at = new RoomOffset("e", 1);
        String half = "x".repeat(RoomLog.PAGE_BYTES / 2);
        assertTrue(Rooms.reachesPageBytes(List.of(new RoomEvent(at, RoomEvent.Kind.MESSAGE, "m", half, ""),
                new RoomEvent(at, RoomEvent.Kind.MESSAGE, "", half, ""))));
        assertTrue(!Rooms.reachesPageBytes(List.of(new RoomEvent(at, RoomEvent.Kind.MESSAGE, "", half, ""),
                new RoomEvent(at, RoomEvent.Kind.MESSAGE, "", half.substring(1), ""))));
        // a third of the characters, each of three bytes
        String threeByte = "\u20ac".repeat(RoomLog.PAGE_BYTES / 3 + 1);
        assertTrue(Rooms.reachesPageBytes(List.of(new RoomEvent(at, RoomEvent.Kind.MESSAGE, "", threeByte, ""))));
    }
}
