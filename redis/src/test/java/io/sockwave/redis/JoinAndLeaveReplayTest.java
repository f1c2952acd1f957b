package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomException;
import io.sockwave.room.RoomLog;
import io.sockwave.testsupport.RedisServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Lettuce sends again, after a reconnect, every command whose reply the lost connection took. A member's join and
 * its leave may both be in flight then: sent again in order, the join finds the name free (the leave ran) and the
 * leave finds it held again. Each is one operation, told by its call id: the log gets one join and one leave.
 */
class JoinAndLeaveReplayTest {
    @Test
    void aJoinAndALeaveSentAgainAfterALostConnectionWriteTheirEventsOnce() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisRoomLog log = RedisRoomLog.connect(redis.uri());
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect()) {
            log.start("replaying", NoSignals.INSTANCE);
            log.watch("replay");
            RoomLog.Joined joined = log.join("replay", "alice", "call-1").get(5, TimeUnit.SECONDS);
            assertTrue(log.leave("replay", "alice", "call-2").get(5, TimeUnit.SECONDS));

            RoomLog.Joined joinedAgain = log.join("replay", "alice", "call-1").get(5, TimeUnit.SECONDS);
            boolean leftAgain = log.leave("replay", "alice", "call-2").get(5, TimeUnit.SECONDS);

            assertEquals(joined.sequence(), joinedAgain.sequence(), "the join sent again answers as it did");
            assertTrue(leftAgain, "the leave sent again answers as it did");
            assertEquals(List.of("join alice", "leave alice"), kinds(log), "presence events in the log");
            assertEquals(Map.of(), connection.sync().hgetall("sw:{replay}:members"));

            // a join of another call is another join, and the leave sent again does not undo it
            RoomLog.Joined back = log.join("replay", "alice", "call-3").get(5, TimeUnit.SECONDS);
            assertNotEquals(joined.sequence(), back.sequence());
            assertTrue(log.leave("replay", "alice", "call-2").get(5, TimeUnit.SECONDS));
            assertEquals(List.of("join alice", "leave alice", "join alice"), kinds(log));
            assertEquals(1L, connection.sync().hlen("sw:{replay}:members"));
        }
    }

    /**
     * A join whose reply was lost, its node then reaped (cut off past its lease) and the name taken by another node:
     * sent again by Lettuce, the join was answered as it had been, and the name held on two nodes until the first
     * one's next beat. The reap undid the join, so the join sent again is a join like any other: refused here.
     */
    @Test
    void aJoinSentAgainAfterItsNodeWasReapedIsRefusedWhenAnotherNodeTookTheName() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisRoomLog log = RedisRoomLog.connect(redis.uri());
             RedisRoomLog other = RedisRoomLog.connect(redis.uri());
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect()) {
            RedisCommands<String, String> keys = connection.sync();
            String node = joinedAndReaped(log, keys);
            other.start("other", NoSignals.INSTANCE);
            other.join("replay", "alice").get(5, TimeUnit.SECONDS);
            String otherNode = keys.hget("sw:{replay}:members", "alice");
            assertNotEquals(node, otherNode);

            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> log.join("replay", "alice", "call-1").get(5, TimeUnit.SECONDS));
            assertEquals(RoomException.Reason.NAME_TAKEN, ((RoomException) refused.getCause()).reason());
            assertEquals(Map.of("alice", otherNode), keys.hgetall("sw:{replay}:members"));
            assertEquals(List.of("join alice", "leave alice", "join alice"), kinds(log));
        }
    }

    /**
     * The same, the name still free: the join sent again joins the member again, rather than answer as it had been
     * with the member absent from Redis (its name free for any other node until its node's next beat).
     */
    @Test
    void aJoinSentAgainAfterItsNodeWasReapedJoinsAgainWhenTheNameIsFree() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisRoomLog log = RedisRoomLog.connect(redis.uri());
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect()) {
            RedisCommands<String, String> keys = connection.sync();
            String node = joinedAndReaped(log, keys);

            RoomLog.Joined again = log.join("replay", "alice", "call-1").get(5, TimeUnit.SECONDS);
            assertEquals(Map.of("alice", node), keys.hgetall("sw:{replay}:members"));
            assertEquals(List.of("join alice", "leave alice", "join alice"), kinds(log));
            assertEquals(3, again.sequence(), "the join written again");
            assertEquals(again.sequence(), log.join("replay", "alice", "call-1").get(5, TimeUnit.SECONDS).sequence(),
                    "sent once more, the join answers as it did");
            assertEquals(3, kinds(log).size());
        }
    }

    /** Joins alice under call-1, then lets the node's lease run out and reaps it: returns the node's id in Redis. */
    private static String joinedAndReaped(RedisRoomLog log, RedisCommands<String, String> keys) throws Exception {
        log.start("replaying", NoSignals.INSTANCE);
        log.heartbeat().get(5, TimeUnit.SECONDS);
        log.watch("replay");
        log.join("replay", "alice", "call-1").get(5, TimeUnit.SECONDS);
        String node = keys.hget("sw:{replay}:members", "alice");
        keys.del("sw:node:" + node + ":alive");
        keys.fcall("sw_reap", ScriptOutputType.MULTI, new String[0], "10000", "500", "60000", "reaper", "", "0",
                RedisRoomLog.LIBRARY_VERSION);
        assertEquals(Map.of(), keys.hgetall("sw:{replay}:members"), "alice reaped");
        return node;
    }

    private static List<String> kinds(RedisRoomLog log) throws Exception {
        List<RoomEvent> events = log.read("replay", 0, 100).get(5, TimeUnit.SECONDS).events();
        return events.stream().map(e -> e.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + e.member())
                .toList();
    }
}
