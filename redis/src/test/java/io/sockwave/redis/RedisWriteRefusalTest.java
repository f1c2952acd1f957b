package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.sockwave.room.RoomEvent;
import io.sockwave.testsupport.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Redis refuses every write, beats included, while a snapshot fails ({@code MISCONF}, with
 * {@code stop-writes-on-bgsave-error yes}) or while it has fewer replicas than {@code min-replicas-to-write}
 * ({@code NOREPLICAS}); no function flag lets a write through. Every node's lease runs out together then, and when
 * writes resume the first node to beat again used to reap every other node at once: their members left, and were
 * joined again at their node's next beat, though nobody went. No node reaps until its own beats have landed for a
 * whole lease, so the other live nodes beat again first.
 */
class RedisWriteRefusalTest {
    private static final Duration LEASE = Duration.ofMillis(RedisRoomLog.NODE_TTL_MILLIS);

    /** A change of Redis's configuration by the test. */
    private interface Change {
        void apply(RedisCommands<String, String> keys) throws Exception;
    }

    @Test
    void noLiveNodeIsReapedAfterAFailedSnapshotRefusedWritesForLongerThanALease() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect()) {
            RedisCommands<String, String> keys = connection.sync();
            // the snapshot is renamed over its file at the end of a BGSAVE: a directory in its place fails it
            Path snapshot = Path.of(keys.configGet("dir").get("dir"), keys.configGet("dbfilename").get("dbfilename"));
            assertNoLiveNodeIsReaped(redis, keys, "MISCONF", refusing -> {
                Files.createDirectory(snapshot);
                refusing.configSet("save", "3600 1");
                snapshot(refusing, "err");
            }, resuming -> {
                Files.delete(snapshot);
                snapshot(resuming, "ok");
            });
        }
    }

    @Test
    void noLiveNodeIsReapedAfterMissingReplicasRefusedWritesForLongerThanALease() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect()) {
            assertNoLiveNodeIsReaped(redis, connection.sync(), "NOREPLICAS",
                    refusing -> refusing.configSet("min-replicas-to-write", "1"),
                    resuming -> resuming.configSet("min-replicas-to-write", "0"));
        }
    }

    /**
     * Two nodes with a member each; Redis refuses writes until both leases ran out, then takes them again: nobody
     * leaves, in the log or in what the members received, and both are present to a member who joins after.
     */
    private static void assertNoLiveNodeIsReaped(RedisServer redis, RedisCommands<String, String> keys, String refusal,
            Change refuse, Change resume) throws Exception {
        try (Cluster cluster = new Cluster(redis.uri(), 2)) {
            Transcript alice = cluster.join(0, "lobby", "alice", null);
            Transcript bob = cluster.join(1, "lobby", "bob", null);
            alice.await(e -> e.member().equals("bob"), Duration.ofSeconds(5));
            Set<String> nodes = keys.smembers("sw:nodes");
            assertEquals(2, nodes.size(), "both nodes registered: " + nodes);

            refuse.apply(keys);
            try {
                RedisException refused = assertThrows(RedisException.class, () -> keys.set("probe", "write"));
                assertTrue(String.valueOf(refused.getMessage()).startsWith(refusal),
                        "Redis refuses writes: " + refused);
                awaitLeases(keys, nodes, 0, LEASE.plusSeconds(5));
            } finally {
                resume.apply(keys);
            }
            keys.set("probe", "write");
            awaitLeases(keys, nodes, nodes.size(), LEASE);

            List<RoomEvent> log = cluster.assertTranscriptsAreTheLog("lobby", List.of(alice, bob));
            assertEquals(List.of("JOIN alice", "JOIN bob"), log.stream().map(e -> e.kind() + " " + e.member()).toList(),
                    "the room's log");
            Transcript carol = cluster.join(1, "lobby", "carol", null);
            assertEquals(List.of("alice", "bob", "carol"), carol.membership().present(), "present in Redis");
        }
    }

    /** Waits until as many of the nodes' leases as wanted are in Redis (reads are served while writes are not). */
    private static void awaitLeases(RedisCommands<String, String> keys, Set<String> nodes, long wanted,
            Duration timeout) throws InterruptedException {
        String[] leases = nodes.stream().map(node -> "sw:node:" + node + ":alive").toArray(String[]::new);
        long deadline = System.nanoTime() + timeout.toNanos();
        long alive;
        while ((alive = keys.exists(leases)) != wanted) {
            if (System.nanoTime() > deadline) {
                fail(alive + " leases of " + nodes + " within " + timeout + ", not " + wanted);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** Runs a BGSAVE and waits for its outcome, as INFO tells it. */
    private static void snapshot(RedisCommands<String, String> keys, String status) throws InterruptedException {
        keys.bgsave();
        for (int i = 0; i < 100; i++) {
            String info = keys.info("persistence");
            if (info.contains("rdb_bgsave_in_progress:0") && info.contains("rdb_last_bgsave_status:" + status)) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        fail("no BGSAVE ended with " + status + ": " + keys.info("persistence"));
    }
}
