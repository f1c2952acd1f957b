package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomLog;
import io.sockwave.testsupport.RedisServer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Redis at its maxmemory (with the noeviction policy the README asks for) refuses every write, so a function that
 * does not say it may run then is refused. Were the beats refused, every node's lease would run out together, and
 * the first reap once memory is freed would write the leaves of every member of every other node, each node joining
 * them all again: a full Redis is no dead node. The beat is taken, the room's writes are not; and reads are, so that
 * members still receive the room's events (a member far behind, a node reading after a reconnect).
 */
class RedisOutOfMemoryTest {
    @Test
    void aNodeKeepsItsLeaseWhileRedisIsOutOfMemory() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect();
             RedisRoomLog log = RedisRoomLog.connect(redis.uri())) {
            RedisCommands<String, String> keys = connection.sync();
            log.start("full", NoSignals.INSTANCE);
            log.heartbeat().get(5, TimeUnit.SECONDS);
            log.watch("lobby");
            log.join("lobby", "alice").get(5, TimeUnit.SECONDS);
            keys.configSet("maxmemory", "1");
            try {
                ExecutionException refused = assertThrows(ExecutionException.class,
                        () -> log.append("lobby", "alice", "m-1", "hello").get(5, TimeUnit.SECONDS));
                assertTrue(String.valueOf(refused.getCause().getMessage()).contains("OOM"),
                        "Redis is out of memory: " + refused.getCause());
                assertEquals(true, log.heartbeat().get(5, TimeUnit.SECONDS), "the beat of a known node");
            } finally {
                keys.configSet("maxmemory", "0");
            }
        }
    }

    @Test
    void aRoomsLogIsReadWhileRedisIsOutOfMemory() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect();
             RedisRoomLog log = RedisRoomLog.connect(redis.uri())) {
            RedisCommands<String, String> keys = connection.sync();
            log.start("full", NoSignals.INSTANCE);
            log.watch("lobby");
            log.join("lobby", "alice").get(5, TimeUnit.SECONDS);
            log.append("lobby", "alice", "m-1", "hello").get(5, TimeUnit.SECONDS);
            keys.configSet("maxmemory", "1");
            try {
                RoomLog.Page page = log.read("lobby", 0, 100).get(5, TimeUnit.SECONDS);
                assertEquals(List.of("alice", "hello"), page.events().stream()
                        .map(event -> event.kind() == RoomEvent.Kind.JOIN ? event.member() : event.text()).toList());
            } finally {
                keys.configSet("maxmemory", "0");
            }
        }
    }
}
