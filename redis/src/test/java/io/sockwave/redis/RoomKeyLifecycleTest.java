package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomOffset;
import io.sockwave.room.Rooms;
import io.sockwave.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The keys of rooms and nodes stay bounded on a real Redis: a room without members expires after the retention (a
 * resume within it is exact, after it a reset), a node's room set lets go of rooms it left, and a dead node with
 * members in many rooms is reaped by bounded calls.
 */
class RoomKeyLifecycleTest {
    private static final List<String> ROOM_PARTS = List.of("log", "seq", "epoch", "members", "joined");

    private static String nodeKey(RedisCommands<String, String> redis, String prefix) {
        return redis.smembers("sw:nodes").stream().filter(n -> n.startsWith(prefix + "~")).findFirst().orElseThrow();
    }

    @Test
    void aRoomWithoutMembersExpiresAfterItsRetentionAndAResumeIntoItGetsAReset() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect();
             Rooms node = Rooms.on(RedisRoomLog.connect(redis.uri(), Duration.ofSeconds(2)), "brief")) {
            RedisCommands<String, String> keys = connection.sync();
            Transcript first = new Transcript();
            node.join("conversation", "alice", null, first).get(10, TimeUnit.SECONDS);
            RoomOffset said = first.membership().publish("m1", "hello").get(5, TimeUnit.SECONDS);
            first.awaitOffset(said, Duration.ofSeconds(5));
            String nodeId = nodeKey(keys, "brief");
            assertEquals(-1L, keys.pttl("sw:{conversation}:log"), "a room with members does not expire");
            first.membership().leave().get(5, TimeUnit.SECONDS);

            assertFalse(keys.sismember("sw:node:" + nodeId + ":rooms", "conversation"),
                    "the node holds no member in the room any more: " + keys.smembers("sw:node:" + nodeId + ":rooms"));
            for (String part : List.of("log", "seq", "epoch")) {
                long ttl = keys.pttl("sw:{conversation}:" + part);
                assertTrue(ttl > 0 && ttl <= 2_000, part + " of a room without members expires within the retention: "
                        + ttl);
            }

            // within the retention: a resume is exact, and the join takes the expiry away again
            Transcript back = new Transcript();
            node.join("conversation", "alice", said, back).get(10, TimeUnit.SECONDS);
            assertEquals(List.of(), back.resets());
            assertEquals(said.epoch(), back.membership().joinedAt().epoch());
            assertEquals(-1L, keys.pttl("sw:{conversation}:seq"));
            RoomOffset leftAt = back.awaitOffset(back.membership().joinedAt(), Duration.ofSeconds(5)).offset();
            back.membership().leave().get(5, TimeUnit.SECONDS);

            List<String> left = List.of();
            for (int i = 0; i < 300; i++) {
                TimeUnit.MILLISECONDS.sleep(100);
                left = ROOM_PARTS.stream().filter(part -> keys.exists("sw:{conversation}:" + part) > 0).toList();
                if (left.isEmpty()) {
                    break;
                }
            }
            assertEquals(List.of(), left, "keys of the room still there 30 s after its last member left, with a"
                    + " retention of 2 s");
            for (String key : keys.keys("sw:{conversation}:*")) {
                assertTrue(keys.pttl(key) > 0, key + " is left without an expiry");
            }

            // after the retention: the room starts again, and the old offset gets a reset, not the new room's events
            Transcript late = new Transcript();
            node.join("conversation", "alice", leftAt, late).get(10, TimeUnit.SECONDS);
            assertNotEquals(said.epoch(), late.membership().joinedAt().epoch());
            assertEquals(1, late.resets().size(), "a resume into a room gone gets a reset: " + late.resets());
            assertTrue(late.events().stream().noneMatch(e -> e.kind() == RoomEvent.Kind.MESSAGE), late.events().toString());
        }
    }

    @Test
    void aNodeReapedInPartWhileAliveJoinsEveryReapedMemberAgain() throws Exception {
        int memberCount = RedisRoomLog.REAP_BATCH + 100;
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect();
             Rooms late = Rooms.on(RedisRoomLog.connect(redis.uri()), "late")) {
            RedisCommands<String, String> keys = connection.sync();
            List<CompletableFuture<?>> joins = new ArrayList<>();
            for (int i = 0; i < memberCount; i++) {
                joins.add(late.join("crowd", "m" + i, null, new Transcript()));
            }
            CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            String nodeId = nodeKey(keys, "late");
            assertEquals(memberCount, keys.hlen("sw:{crowd}:members"));

            // The node's lease runs out (a pause) and one reaping call, of one batch, writes the leaves of part of
            // its members before the node beats again: atomically, so that no beat of the node comes in between.
            keys.multi();
            keys.del("sw:node:" + nodeId + ":alive");
            keys.fcall("sw_reap", ScriptOutputType.MULTI, new String[0], "10000",
                    Integer.toString(RedisRoomLog.REAP_BATCH), "60000", "reaper", "", "0",
                    RedisRoomLog.LIBRARY_VERSION);
            keys.exec();
            assertEquals(100L, keys.hlen("sw:{crowd}:members"), "one batch of leaves written");

            // The node is alive: its next beats must tell it that the log lost members of it, which it joins again.
            long present = 0;
            for (int i = 0; i < 100 && present < memberCount; i++) {
                TimeUnit.MILLISECONDS.sleep(100);
                present = keys.hlen("sw:{crowd}:members");
            }
            assertEquals(memberCount, present, "members of the node that are still alive on it, present in Redis");
            assertEquals(memberCount, keys.scard("sw:{crowd}:held:" + nodeId));
            assertTrue(keys.sismember("sw:node:" + nodeId + ":rooms", "crowd"));
        }
    }

    /**
     * A node reaped while alive (cut off past its lease) is out of sw:nodes until its next beat; a member it joins
     * meanwhile (a join queued while cut off, or Lettuce's replay of one) is held under it all the same, and if the
     * node dies then, that member must still be reaped, not hold its name and its room's keys for good.
     */
    @Test
    void aMemberJoinedByANodeAfterItsReapingIsReapedWhenTheNodeDies() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect()) {
            RedisCommands<String, String> keys = connection.sync();
            RedisRoomLog log = RedisRoomLog.connect(redis.uri());
            try (Rooms node = Rooms.on(log, "cutoff")) {
                node.join("hall", "alice", null, new Transcript()).get(10, TimeUnit.SECONDS);
                String nodeId = nodeKey(keys, "cutoff");
                keys.multi();
                keys.del("sw:node:" + nodeId + ":alive");
                keys.fcall("sw_reap", ScriptOutputType.MULTI, new String[0], "10000", "500", "60000", "reaper", "",
                        "0", RedisRoomLog.LIBRARY_VERSION);
                keys.exec();
                assertFalse(keys.sismember("sw:nodes", nodeId), "reaped whole");
                node.join("hall", "bob", null, new Transcript()).get(10, TimeUnit.SECONDS);
                log.close(); // the node dies before it beats again
                keys.del("sw:node:" + nodeId + ":alive");
                for (int call = 0; call < 10; call++) {
                    List<Object> reply = keys.fcall("sw_reap", ScriptOutputType.MULTI, new String[0], "10000", "500",
                            "60000", "reaper", "", "0",
                            RedisRoomLog.LIBRARY_VERSION);
                    if ((Long) reply.get(1) == 0) {
                        break;
                    }
                }
                assertEquals(Map.of(), keys.hgetall("sw:{hall}:members"), "members of a dead node left present");
                assertTrue(keys.pttl("sw:{hall}:seq") > 0, "the room, without members, expires");
            }
        }
    }

    /**
     * A node reaped whole while alive joins a member before its next beat (a join queued while it was cut off): that
     * join shows the node alive, so a reap in between must not write the member's leave (a leave, then a join again
     * at the beat: presence flapping, and the name free meanwhile).
     */
    @Test
    void aMemberJoinedByANodeAfterItsReapingIsNotReapedBeforeTheNodeBeatsAgain() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect();
             RedisRoomLog log = RedisRoomLog.connect(redis.uri())) {
            RedisCommands<String, String> keys = connection.sync();
            log.start("late", NoSignals.INSTANCE);
            log.heartbeat().get(5, TimeUnit.SECONDS);
            log.watch("hall");
            log.join("hall", "alice").get(5, TimeUnit.SECONDS);
            String nodeId = nodeKey(keys, "late");
            keys.del("sw:node:" + nodeId + ":alive");
            keys.fcall("sw_reap", ScriptOutputType.MULTI, new String[0], "10000", "500", "60000", "reaper", "", "0",
                    RedisRoomLog.LIBRARY_VERSION);
            assertFalse(keys.sismember("sw:nodes", nodeId), "reaped whole");

            log.join("hall", "bob").get(5, TimeUnit.SECONDS);
            keys.fcall("sw_reap", ScriptOutputType.MULTI, new String[0], "10000", "500", "60000", "reaper", "", "0",
                    RedisRoomLog.LIBRARY_VERSION);

            assertEquals(Map.of("bob", nodeId), keys.hgetall("sw:{hall}:members"));
            List<String> presence = log.read("hall", 0, 100).get(5, TimeUnit.SECONDS).events().stream()
                    .map(e -> e.kind() + " " + e.member()).toList();
            assertEquals(List.of("JOIN alice", "LEAVE alice", "JOIN bob"), presence);
            assertFalse(log.heartbeat().get(5, TimeUnit.SECONDS), "the next beat tells the node it lost alice");
        }
    }

    @Test
    void aDeadNodeWithMembersInManyRoomsIsReapedInBoundedCalls() throws Exception {
        int roomCount = 2 * RedisRoomLog.REAP_BATCH + 100;
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect()) {
            RedisCommands<String, String> keys = connection.sync();
            RedisRoomLog log = RedisRoomLog.connect(redis.uri());
            try (Rooms doomed = Rooms.on(log, "doomed")) {
                List<CompletableFuture<?>> joins = new ArrayList<>();
                for (int i = 0; i < roomCount; i++) {
                    // a name of its own in each room: one name is in 64 rooms of a node at most
                    joins.add(doomed.join("chat-" + i, "m" + i, null, new Transcript()));
                }
                CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                String nodeId = nodeKey(keys, "doomed");
                assertEquals(roomCount, keys.scard("sw:node:" + nodeId + ":rooms"));
                log.close(); // the node dies: no beat, no leave
                keys.del("sw:node:" + nodeId + ":alive");

                List<Long> batches = new ArrayList<>();
                for (int call = 0; call < 10; call++) {
                    List<Object> reply = keys.fcall("sw_reap", ScriptOutputType.MULTI, new String[0], "10000",
                            Integer.toString(RedisRoomLog.REAP_BATCH), "60000", "reaper", "", "0",
                            RedisRoomLog.LIBRARY_VERSION);
                    batches.add((Long) reply.get(0));
                    if (reply.size() < 2 || (Long) reply.get(1) == 0) {
                        break;
                    }
                }
                assertEquals(List.of((long) RedisRoomLog.REAP_BATCH, (long) RedisRoomLog.REAP_BATCH, 100L), batches,
                        "leaves written per call");
                assertEquals(0L, keys.exists("sw:node:" + nodeId + ":rooms"));
                assertFalse(keys.sismember("sw:nodes", nodeId));
                for (int i = 0; i < roomCount; i += 97) {
                    assertEquals(0L, keys.exists("sw:{chat-" + i + "}:members", "sw:{chat-" + i + "}:held:" + nodeId));
                    assertEquals("leave", keys.xrevrange("sw:{chat-" + i + "}:log", io.lettuce.core.Range.create("-", "+"),
                            io.lettuce.core.Limit.from(1)).get(0).getBody().get("k"));
                    assertTrue(keys.pttl("sw:{chat-" + i + "}:log") > 0, "an emptied room expires");
                }
            }
        }
    }
}
