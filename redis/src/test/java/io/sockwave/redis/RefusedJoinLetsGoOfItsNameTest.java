package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sockwave.room.Membership;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomException;
import io.sockwave.room.Rooms;
import io.sockwave.testsupport.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A join can be refused after Redis ran it: here a {@link ReplicaWait} that no replica confirms (the same holds for
 * a reply lost past the command timeout). The name then stood in the room's log for a member nobody admitted, and
 * every other node got {@code NAME_TAKEN} for it until the refused node died and was reaped. The refusing node now
 * lets the name go at once, and, if Redis cannot take that leave either, once Redis is back.
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
            assertTakenAgainAfterItsLeave(redis, alice);
        }
    }

    /**
     * Redis dies after it ran the join, so that the join is refused (its {@code WAIT} cut off) and the leave that
     * answers it times out too: the node writes the leave again once Redis is back. Before, the name stayed held
     * by a node whose beats kept it from the reaper for as long as it lived.
     */
    @Test
    void aRefusedJoinWhoseLeaveRedisCouldNotTakeIsLeftOnceRedisIsBack() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.AOF_ALWAYS);
             RedisClient admin = RedisClient.create(redis.uri());
             Rooms unconfirmed = Rooms.on(RedisRoomLog.connect(redis.uri(), RedisRoomLog.DEFAULT_RETENTION,
                     new ReplicaWait(1, Duration.ofSeconds(3))), "unconfirmed-" + Rooms.randomNodeId());
             Rooms other = Rooms.on(RedisRoomLog.connect(redis.uri()), "other-" + Rooms.randomNodeId())) {
            CompletableFuture<Membership> refusedJoin = unconfirmed.join("lobby", "alice", null, new Transcript());
            try (StatefulRedisConnection<String, String> connection = admin.connect()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (!connection.sync().hexists("sw:{lobby}:members", "alice")) {
                    assertTrue(System.nanoTime() < deadline, "the join did not run within 3 s");
                    Thread.sleep(5);
                }
            }
            redis.crash(); // while the join waits for a replica: it ran, and is in the append-only file
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> refusedJoin.get(20, TimeUnit.SECONDS));
            assertEquals(RoomException.Reason.UNAVAILABLE,
                    assertInstanceOf(RoomException.class, refused.getCause()).reason());
            // Past the command timeout: the leave that answered the refusal failed with Redis still gone.
            TimeUnit.SECONDS.sleep(RedisRoomLog.COMMAND_TIMEOUT_SECONDS + 1);
            redis.restart();

            // Well within the time another node's reaper takes to start (10 s of its beats landing), and the
            // unconfirmed node's beats, which Redis runs though no replica confirms them, keep it from the reaper.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            Membership alice = null;
            while (alice == null) {
                try {
                    alice = other.join("lobby", "alice", null, new Transcript()).get(15, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    RoomException taken = assertInstanceOf(RoomException.class, e.getCause());
                    assertTrue(System.nanoTime() < deadline, "the name still held 8 s after Redis came back: "
                            + taken.getMessage());
                    Thread.sleep(100);
                }
            }
            assertTakenAgainAfterItsLeave(redis, alice);
        }
    }

    /**
     * The leave that answers a refused join runs, but no replica confirms it either, so it waits to be written again
     * at the next beat: that one finds the name free already (it wrote nothing) and is done. It used to wait for the
     * replicas too, fail again, and be written again at every beat for as long as no replica answered, each time a
     * call and a key more (its {@code op:H}), holding a place among the node's unwritten leaves.
     */
    @Test
    void aLeaveWrittenAgainThatFindsTheNameFreeIsDoneThoughNoReplicaConfirmsIt() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect();
             Rooms unconfirmed = Rooms.on(RedisRoomLog.connect(redis.uri(), RedisRoomLog.DEFAULT_RETENTION,
                     new ReplicaWait(1, Duration.ofMillis(300))), "unconfirmed-" + Rooms.randomNodeId())) {
            assertThrows(ExecutionException.class,
                    () -> unconfirmed.join("lobby", "alice", null, new Transcript()).get(10, TimeUnit.SECONDS));
            // the join's op key, its leave's, and the leave written again at the next beat (every 2 s)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (connection.sync().keys("sw:{lobby}:op:*").size() < 3) {
                assertTrue(System.nanoTime() < deadline, "the leave was not written again within 10 s");
                Thread.sleep(50);
            }
            // two beats more, each of which wrote the leave again before (landed once the beat after it has)
            Beats.awaitEveryNode(connection.sync(), 3, Duration.ofSeconds(15));
            assertEquals(3, connection.sync().keys("sw:{lobby}:op:*").size(),
                    "the leave, done, was written again at later beats");
            assertEquals(List.of("JOIN alice", "LEAVE alice"), new Cluster(redis.uri(), 0).log("lobby").stream()
                    .map(e -> e.kind() + " " + e.member()).toList());
        }
    }

    private static void assertTakenAgainAfterItsLeave(RedisServer redis, Membership alice) throws Exception {
        assertEquals("alice", alice.member());
        List<RoomEvent> log = new Cluster(redis.uri(), 0).log("lobby");
        assertEquals(List.of("JOIN alice", "LEAVE alice", "JOIN alice"),
                log.stream().map(e -> e.kind() + " " + e.member()).toList(),
                "the refused join, its leave, the other node's join: " + log);
    }
}
