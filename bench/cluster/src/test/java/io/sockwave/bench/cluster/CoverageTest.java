package io.sockwave.bench.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What members are owed after a fault: the catch-up measures depend on it. */
class CoverageTest {
    private final Room room = new Room(0);
    private final ChatClient member = new ChatClient(0, room, null);

    private void send(int count) {
        for (int i = 0; i < count; i++) {
            room.record(i, 1);
        }
    }

    @Test
    void aMemberBackOnAnotherNodeIsOwedEveryAcknowledgedMessageUpToItsReturn() {
        send(5);
        room.acked.set(0, 5);
        member.open = true;
        member.joinedNanos = 100;
        member.mustHaveThrough = 3;
        member.received.set(1);
        member.received.set(3);
        // Owed 1, 2 and 3 (from 1 through 3); 2 is missing; 4 was sent after its return and arrives live.
        assertEquals(new Coverage.Gap(0, 1), Coverage.sinceRejoin(List.of(member), new int[] {1}, 50));
        member.received.set(2);
        assertEquals(new Coverage.Gap(0, 0), Coverage.sinceRejoin(List.of(member), new int[] {1}, 50));
    }

    @Test
    void unacknowledgedOrRefusedMessagesAreNotOwedAfterAKill() {
        send(3);
        room.acked.set(0);
        room.acked.set(2);
        room.refused.set(2);
        member.open = true;
        member.joinedNanos = 100;
        member.mustHaveThrough = 2;
        assertEquals(new Coverage.Gap(0, 1), Coverage.sinceRejoin(List.of(member), new int[] {0}, 50));
    }

    @Test
    void aMemberNotLetInSinceTheKillIsAway() {
        send(1);
        member.open = true;
        member.joinedNanos = 10;
        assertEquals(new Coverage.Gap(1, 0), Coverage.sinceRejoin(List.of(member), new int[] {0}, 50));
    }

    @Test
    void afterAPauseEveryUnrefusedMessageIsOwedAcknowledgedOrNot() {
        send(4);
        room.refused.set(1);
        member.open = true;
        member.received.set(0);
        assertEquals(new Coverage.Gap(0, 2), Coverage.between(List.of(member), new int[] {0}, new int[] {3}, false));
        room.acked.set(2);
        assertEquals(new Coverage.Gap(0, 1), Coverage.between(List.of(member), new int[] {0}, new int[] {3}, true));
    }
}
