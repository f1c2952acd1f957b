package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomException;
import io.sockwave.room.RoomLog;
import io.sockwave.room.RoomOffset;
import io.sockwave.testsupport.RedisServer;
import java.time.Duration;
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

    /**
     * A member's publish while Redis is at its {@code maxmemory} (1 MB, noeviction) fails to its sender with a
     * {@code RoomException} that says Redis is out of memory, reaches nobody, and is in no log; once Redis has room
     * again, the sender's retry with the same message id is appended once, and every member gets it once.
     */
    @Test
    void aPublishRedisHasNoRoomForFailsVisiblyAndItsRetryIsAppendedOnce() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect();
             Cluster cluster = new Cluster(redis.uri(), 2)) {
            RedisCommands<String, String> keys = connection.sync();
            Transcript sender = cluster.join(0, "full", "sender", null);
            Transcript other = cluster.join(1, "full", "other", null);
            keys.configSet("maxmemory-policy", "noeviction");
            keys.configSet("maxmemory", "1mb");
            try {
                String ballast = "b".repeat(64 * 1024);
                for (int i = 0; i < 64 && !outOfMemory(keys); i++) {
                    keys.set("ballast:" + i, ballast);
                }
                ExecutionException refused = assertThrows(ExecutionException.class,
                        () -> sender.membership().publish("m-1", "not now").get(15, TimeUnit.SECONDS));
                RoomException refusal = assertInstanceOf(RoomException.class, refused.getCause());
                assertEquals(RoomException.Reason.UNAVAILABLE, refusal.reason());
                assertTrue(refusal.getMessage().contains("OOM"), refusal.getMessage());
            } finally {
                keys.configSet("maxmemory", "0");
            }
            RoomOffset appended = sender.membership().publish("m-1", "not now").get(5, TimeUnit.SECONDS);
            other.awaitOffset(appended, Duration.ofSeconds(5));
            assertEquals(1, other.events().stream().filter(e -> e.kind() == RoomEvent.Kind.MESSAGE).count(),
                    "the message once, after the refusal: " + other.events());
            assertEquals(List.of("JOIN sender", "JOIN other", "MESSAGE not now"), cluster.log("full").stream()
                    .map(e -> e.kind() + " " + (e.kind() == RoomEvent.Kind.MESSAGE ? e.text() : e.member()))
                    .toList());
        }
    }

    /** @return whether a write that needs memory is refused now */
    private static boolean outOfMemory(RedisCommands<String, String> keys) {
        try {
            keys.set("probe", "x".repeat(1024));
            return false;
        } catch (RedisCommandExecutionException e) {
            assertTrue(e.getMessage().startsWith("OOM"), e.getMessage());
            return true;
        }
    }
}
