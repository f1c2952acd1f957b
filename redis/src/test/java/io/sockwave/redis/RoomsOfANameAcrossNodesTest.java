package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sockwave.room.Membership;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomException;
import io.sockwave.room.RoomLimits;
import io.sockwave.room.Rooms;
import io.sockwave.testsupport.RedisPerClass;
import io.sockwave.testsupport.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RoomLimits#maxRoomsPerName()} was counted per node: a name could be in its 64 rooms on each node of a
 * cluster, each room a membership, a subscription and a watch on every node that holds it. On Redis it bounds the
 * name's rooms on all the nodes together, and a crashed node's memberships count until it is reaped, as its names
 * are held until then.
 */
class RoomsOfANameAcrossNodesTest {
    private static final RoomLimits TWO_ROOMS = new RoomLimits(32, 2);
    @RegisterExtension
    static final RedisPerClass REDIS = new RedisPerClass(RedisServer.Persistence.NONE);

    private static Rooms node(RedisRoomLog log, String id) {
        return Rooms.on(log, id + "-" + Rooms.randomNodeId(), TWO_ROOMS);
    }

    private static Membership join(Rooms node, String room, String member) throws Exception {
        return node.join(room, member, null, new Transcript()).get(10, TimeUnit.SECONDS);
    }

    private static RoomException refused(Rooms node, String room, String member) {
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> join(node, room, member), member + " joined " + room);
        return assertInstanceOf(RoomException.class, refused.getCause());
    }

    private static void assertTooManyRooms(Rooms node, String room, String member, int rooms) {
        RoomException refusal = refused(node, room, member);
        assertEquals(RoomException.Reason.TOO_MANY_ROOMS, refusal.reason(), refusal.getMessage());
        assertEquals("the name " + member + " is in " + rooms + " rooms across the nodes, the most one name may be in",
                refusal.getMessage());
    }

    @Test
    void aNameIsInAtMostTheBoundOfRoomsOnAllTheNodesTogether() throws Exception {
        try (RedisRoomLog oneLog = RedisRoomLog.connect(REDIS.server().uri());
             RedisRoomLog otherLog = RedisRoomLog.connect(REDIS.server().uri());
             Rooms one = node(oneLog, "one");
             Rooms other = node(otherLog, "other")) {
            Membership first = join(one, "spread-1", "ann");
            join(other, "spread-2", "ann");
            assertTooManyRooms(other, "spread-3", "ann", 2);
            assertTooManyRooms(one, "spread-3", "ann", 2);
            // nothing of the refused joins was written: the room has no member and no event
            assertEquals(0, oneLog.read("spread-3", 0, 10).get(10, TimeUnit.SECONDS).events().size());
            join(one, "spread-3", "bob");

            first.leave().get(10, TimeUnit.SECONDS);
            join(other, "spread-3", "ann");
            assertTooManyRooms(one, "spread-1", "ann", 2);
        }
    }

    /**
     * A join refused at the bound in a room nobody had named yet wrote the room's seq and epoch, which only a room
     * without members gets an expiry for: a name at its bound naming ever new rooms left their keys in Redis for good.
     */
    @Test
    void aJoinRefusedAtTheBoundLeavesNoKeyForGood() throws Exception {
        try (RedisRoomLog log = RedisRoomLog.connect(REDIS.server().uri());
             Rooms node = node(log, "expiring");
             RedisClient admin = RedisClient.create(REDIS.server().uri());
             StatefulRedisConnection<String, String> keys = admin.connect()) {
            join(node, "kept-1", "eve");
            join(node, "kept-2", "eve");
            RedisRoomLog other = RedisRoomLog.connect(REDIS.server().uri());
            try (Rooms elsewhere = node(other, "elsewhere")) {
                assertTooManyRooms(elsewhere, "never-joined", "eve", 2);
            }
            List<String> began = keys.sync().keys("sw:{never-joined}:*");
            assertFalse(began.isEmpty(), "the refused join began the room's epoch");
            for (String key : began) {
                long ttl = keys.sync().pttl(key);
                assertTrue(ttl > 0, key + " has no expiry: " + ttl);
            }
        }
    }

    @Test
    void aKilledNodesRoomsCountUntilItIsReaped() throws Exception {
        try (RedisRoomLog survivorLog = RedisRoomLog.connect(REDIS.server().uri());
             Rooms survivor = node(survivorLog, "survivor")) {
            Transcript watcher = new Transcript();
            survivor.join("killed-1", "watcher", null, watcher).get(10, TimeUnit.SECONDS);
            RedisRoomLog doomedLog = RedisRoomLog.connect(REDIS.server().uri());
            try (Rooms doomed = node(doomedLog, "doomed")) {
                join(doomed, "killed-1", "cat");
                join(doomed, "killed-2", "cat");
                doomedLog.close(); // the node dies without a word: no leave is written, no beat renews its lease
            }

            assertTooManyRooms(survivor, "killed-3", "cat", 2);
            watcher.await(e -> e.kind() == RoomEvent.Kind.LEAVE && e.member().equals("cat"), Duration.ofSeconds(30));
            join(survivor, "killed-3", "cat");
            join(survivor, "killed-4", "cat");
            // this node's own count refuses the third at once, before the log is asked
            assertEquals("the name cat is in 2 rooms on this node, the most one name may be in",
                    refused(survivor, "killed-5", "cat").getMessage());
        }
    }

    /**
     * Redis back from older data may keep a name's set of rooms and not the room's members that it counts, or the
     * other way: a room whose members no longer hold the name does not count against it once the bound is reached.
     */
    @Test
    void aRoomThatNoLongerHoldsTheNameDoesNotCount() throws Exception {
        try (RedisRoomLog log = RedisRoomLog.connect(REDIS.server().uri());
             Rooms node = node(log, "stale");
             RedisClient admin = RedisClient.create(REDIS.server().uri());
             StatefulRedisConnection<String, String> keys = admin.connect()) {
            join(node, "stale-1", "dee");
            assertEquals(Set.of("stale-1"), keys.sync().smembers("sw:name:{dee}:rooms"));
            keys.sync().sadd("sw:name:{dee}:rooms", "lost-room");
            join(node, "stale-2", "dee");
            assertEquals(Set.of("stale-1", "stale-2"), keys.sync().smembers("sw:name:{dee}:rooms"));
        }
    }
}
