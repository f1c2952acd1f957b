package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sockwave.SessionSettings;
import io.sockwave.room.Rooms;
import io.sockwave.testsupport.RedisServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A retention or replica timeout too long for Redis or for milliseconds in a long counts as
 * {@link SessionSettings#LONGEST}, as their Javadoc says: {@code Duration.ofMillis(Long.MAX_VALUE)}, a way to say
 * "keep rooms forever", made every leave fail on Redis's "invalid expire time", and a longer one threw
 * ArithmeticException from connect. A null one names its parameter.
 */
class RetentionBeyondRedisExpiryTest {
    @Test
    void aRoomKeptForeverIsLeftAndExpiresAfterTheLongestDuration() throws Exception {
        for (Duration forever : new Duration[] {Duration.ofMillis(Long.MAX_VALUE), Duration.ofSeconds(Long.MAX_VALUE)}) {
            try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
                 RedisClient admin = RedisClient.create(redis.uri());
                 StatefulRedisConnection<String, String> connection = admin.connect();
                 Rooms node = Rooms.on(RedisRoomLog.connect(redis.uri(), forever), "forever")) {
                Transcript member = new Transcript();
                node.join("archive", "alice", null, member).get(10, TimeUnit.SECONDS);
                member.membership().publish("m1", "kept").get(5, TimeUnit.SECONDS);
                member.membership().leave().get(5, TimeUnit.SECONDS);
                long ttl = connection.sync().pttl("sw:{archive}:log");
                long longest = SessionSettings.LONGEST.toMillis();
                assertTrue(ttl > longest - 60_000 && ttl <= longest, forever + " keeps the room's log for " + ttl
                        + " ms");
            }
        }
    }

    @Test
    void aReplicaTimeoutTooLongForMillisecondsCountsAsTheLongest() {
        assertEquals(SessionSettings.LONGEST, new ReplicaWait(1, Duration.ofSeconds(Long.MAX_VALUE)).timeout());
        assertEquals("timeout", assertThrows(NullPointerException.class, () -> new ReplicaWait(1, null)).getMessage());
        assertEquals("retention", assertThrows(NullPointerException.class,
                () -> RedisRoomLog.connect("redis://127.0.0.1:1", null)).getMessage());
    }
}
