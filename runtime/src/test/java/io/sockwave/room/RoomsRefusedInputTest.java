package io.sockwave.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
