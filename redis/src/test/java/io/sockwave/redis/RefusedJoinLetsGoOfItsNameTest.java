package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.room.Membership;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomException;
import io.sockwave.room.Rooms;
import io.sockwave.testsupport.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A join can be refused after Redis ran it: here a {@link ReplicaWait} that no replica confirms (the same holds for
 * a reply lost past the command timeout). The name then stood in the room's log for a member nobody admitted, and
 * every other node got {@code NAME_TAKEN} for it until the refused node died and was reaped. The refusing node now
 * lets the name go at once.
 */
class RefusedJoinLetsGoOfItsNameTest {

    @Test
    void aJoinRefusedAfterItRanLeavesTheNameFreeForAnotherNode() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             Rooms unconfirmed = Rooms.on(RedisRoomLog.connect(redis.uri(), RedisRoomLog.DEFAULT_RETENTION,
                     new ReplicaWait(1, Duration.ofMillis(300))), "unconfirmed-" + Rooms.randomNodeId());
             Rooms other = Rooms.on(RedisRoomLog.connect(redis.uri()), "other-" + Rooms.randomNodeId())) {

            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> unconfirmed.join("lobby", "alice", null, new Transcript()).get(10, TimeUnit.SECONDS));
            RoomException why = assertInstanceOf(RoomException.class, refused.getCause());
            assertEquals(RoomException.Reason.UNAVAILABLE, why.reason(), why.getMessage());

            // Well within the unconfirmed node's lease (10 s), so no reaping frees the name in its stead.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            Membership alice = null;
            while (alice == null) {
                try {
                    alice = other.join("lobby", "alice", null, new Transcript()).get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    RoomException taken = assertInstanceOf(RoomException.class, e.getCause());
                    assertEquals(RoomException.Reason.NAME_TAKEN, taken.reason(), taken.getMessage());
                    assertTrue(System.nanoTime() < deadline,
                            "the refused join still held the name 5 s later: " + taken.getMessage());
                    Thread.sleep(100);
                }
            }
            List<RoomEvent> log = new Cluster(redis.uri(), 0).log("lobby");
            assertEquals(List.of("JOIN alice", "LEAVE alice", "JOIN alice"),
                    log.stream().map(e -> e.kind() + " " + e.member()).toList(),
                    "the refused join, its leave, the other node's join: " + log);
        }
    }
}
