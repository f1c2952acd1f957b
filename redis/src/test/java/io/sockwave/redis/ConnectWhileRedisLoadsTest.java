package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomLog;
import io.sockwave.room.RoomOffset;
import io.sockwave.testsupport.RedisServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Redis restarted with a large data set answers {@code LOADING} to every command until it has read it all, for
 * seconds or minutes. A node started meanwhile ({@code sockwave serve --redis} after a power cut that took both) used
 * to fail at once; it waits for the data, and then finds the rooms as they were.
 */
class ConnectWhileRedisLoadsTest {
    private static final int KEYS = 20_000;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aNodeStartedWhileRedisLoadsItsDataWaitsForItAndFindsTheRoomsAsTheyWere() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.AOF_ALWAYS)) {
            RoomLog.Appended kept;
            try (RedisRoomLog log = RedisRoomLog.connect(redis.uri())) {
                log.start("before", NoSignals.INSTANCE);
                log.join("lobby", "ann").join();
                kept = log.append("lobby", "ann", "m1", "kept").join();
            }
            fillAndRewrite(redis);
            redis.crash();
            // 20,000 keys at 250 µs each: about 5 s of LOADING
            redis.restartLoadingSlowly(Duration.ofNanos(250_000));
            assertThrows(RedisLoadingException.class, () -> ping(redis), "Redis should still be loading its data");

            try (RedisRoomLog log = RedisRoomLog.connect(redis.uri())) {
                assertEquals("PONG", ping(redis), "connect returned before Redis had loaded its data");
                log.start("after", NoSignals.INSTANCE);
                RoomLog.Page page = log.read("lobby", 0, 10).join();
                assertEquals(kept.epoch(), page.epoch(), "the room began a new epoch: its data was lost");
                RoomEvent last = page.events().get(page.events().size() - 1);
                assertEquals(new RoomOffset(kept.epoch(), kept.sequence()), last.offset());
                assertEquals("kept", last.text());
            }
        }
    }

    /** Enough keys to make the load last, written into the snapshot part of the data, which the delay applies to. */
    private static void fillAndRewrite(RedisServer redis) throws InterruptedException {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> keys = connection.sync();
            keys.eval("for i = 1, " + KEYS + " do redis.call('SET', 'filler:' .. i, 'x') end return 1",
                    io.lettuce.core.ScriptOutputType.INTEGER);
            keys.bgrewriteaof();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!rewritten(keys.info("persistence"))) {
                assertTrue(System.nanoTime() < deadline, "the append-only file was not rewritten within 30 s");
                TimeUnit.MILLISECONDS.sleep(50);
            }
        } finally {
            client.shutdown();
        }
    }

    private static boolean rewritten(String persistence) {
        return persistence.contains("aof_rewrite_in_progress:0") && persistence.contains("aof_rewrite_scheduled:0")
                && persistence.contains("aof_last_bgrewrite_status:ok");
    }

    private static String ping(RedisServer redis) {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().ping();
        } finally {
            client.shutdown();
        }
    }
}
