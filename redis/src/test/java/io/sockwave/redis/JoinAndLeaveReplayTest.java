package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomLog;
import io.sockwave.testsupport.RedisServer;
import java.util.List;
import java.util.Map;
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

    private static List<String> kinds(RedisRoomLog log) throws Exception {
        List<RoomEvent> events = log.read("replay", 0, 100).get(5, TimeUnit.SECONDS).events();
        return events.stream().map(e -> e.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + e.member())
                .toList();
    }
}
