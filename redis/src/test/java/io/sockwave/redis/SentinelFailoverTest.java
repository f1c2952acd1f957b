package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.sockwave.room.Membership;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomOffset;
import io.sockwave.testsupport.RedisSentinel;
import io.sockwave.testsupport.RedisServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Rooms on a primary with one replica and a Sentinel (quorum 1, down after 1 s), every process real: two nodes
 * connected through {@code redis-sentinel://}, members on both, a flood of publishes; the replica falls behind (its
 * link to the primary held by a relay), the primary is killed with SIGKILL, Sentinel promotes the replica, and the
 * killed primary comes back as its replica. With {@link ReplicaWait}, nothing acknowledged is lost and nobody is reset;
 * without it, the acknowledged messages the replica lacked are lost, and every member is told by a reset, which names
 * the last event it had that the log kept.
 */
class SentinelFailoverTest {
    private static final String MASTER = "rooms";
    private static final String ROOM = "failover";
    private static final Duration BOUND = Duration.ofSeconds(20);

    /** A primary, its replica behind a relay, a sentinel watching them. */
    private static final class Deployment implements AutoCloseable {
        final RedisServer primary;
        final ReplicationRelay relay;
        final RedisServer replica;
        final RedisSentinel sentinel;
        final RedisClient sentinelClient;
        final StatefulRedisSentinelConnection<String, String> sentinelLink;

        Deployment() throws Exception {
            primary = RedisServer.start(RedisServer.Persistence.NONE);
            relay = new ReplicationRelay(primary.port());
            replica = RedisServer.startReplica(RedisServer.Persistence.NONE, relay.port());
            awaitSynchronised(replica);
            sentinel = RedisSentinel.start(MASTER, primary.port(), Duration.ofSeconds(1));
            sentinelClient = RedisClient.create("redis://127.0.0.1:" + sentinel.port());
            sentinelLink = sentinelClient.connectSentinel();
            await("the sentinel knows the replica", () -> sentinelLink.sync().replicas(MASTER).stream()
                    .anyMatch(r -> r.get("port").equals(Integer.toString(replica.port()))
                            && "slave".equals(r.get("flags"))));
        }

        int primaryPort() {
            return ((InetSocketAddress) sentinelLink.sync().getMasterAddrByName(MASTER)).getPort();
        }

        /**
         * The replica falls behind, the primary dies, Sentinel promotes the replica, and the old primary comes back as
         * the new one's replica.
         */
        void failOver() throws Exception {
            relay.hold();
            TimeUnit.SECONDS.sleep(1);
            primary.crash();
            relay.close();
            await("Sentinel promoted the replica", () -> primaryPort() == replica.port());
            primary.restartAsReplicaOf(replica.port());
            awaitSynchronised(primary);
        }

        @Override
        public void close() throws IOException {
            sentinelLink.close();
            sentinelClient.shutdown();
            sentinel.close();
            replica.close();
            relay.close();
            primary.close();
        }
    }

    private static void awaitSynchronised(RedisServer replica) throws InterruptedException {
        RedisClient client = RedisClient.create(replica.uri());
        try (StatefulRedisConnection<String, String> link = client.connect()) {
            try {
                await("replica on " + replica.port() + " synchronised",
                        () -> link.sync().info("replication").contains("master_link_status:up"));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ":\n" + link.sync().info("replication"), e);
            }
        } finally {
            client.shutdown();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + BOUND + ": " + what);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** What the members received, what was acknowledged and refused, and the room's log after the failover. */
    private record Outcome(List<Transcript> members, Map<String, RoomOffset> acknowledged,
                           int acknowledgedBeforeFailover, int refused, List<RoomEvent> log) {
    }

    private static Outcome floodThroughFailover(Function<String, RedisRoomLog> connect) throws Exception {
        try (Deployment redis = new Deployment();
             Cluster cluster = new Cluster(redis.sentinel.uri(), 2, connect)) {
            List<Transcript> members = new ArrayList<>();
            List<Membership> senders = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Transcript member = cluster.join(i % 2, ROOM, "m" + i, null);
                members.add(member);
                senders.add(member.membership());
            }
            try (Flood flood = Flood.start(senders, Duration.ofMillis(10), BOUND)) {
                TimeUnit.SECONDS.sleep(1);
                redis.failOver();
                int beforeFailover = flood.acknowledged().size();
                TimeUnit.SECONDS.sleep(2);
                flood.close();
                flood.finish(Duration.ofSeconds(15));
                assertEquals(redis.replica.port(), redis.primaryPort(),
                        "one failover only:\n" + redis.sentinel.logTail());
                List<RoomEvent> log = cluster.assertTranscriptsAreTheLog(ROOM, members);
                return new Outcome(members, Map.copyOf(flood.acknowledged()), beforeFailover, flood.refused(), log);
            }
        }
    }

    @Test
    void withReplicaWaitEveryAcknowledgedMessageReachesEveryMemberOnceAcrossAFailover() throws Exception {
        Outcome outcome = floodThroughFailover(uri -> RedisRoomLog.connect(uri, RedisRoomLog.DEFAULT_RETENTION,
                new ReplicaWait(1, Duration.ofMillis(500))));
        assertTrue(outcome.refused() > 0, "publishes while the replica was held back were refused");
        assertTrue(outcome.acknowledged().size() > outcome.acknowledgedBeforeFailover(),
                "publishes were acknowledged again once the new primary had a replica");
        Cluster.assertAcknowledgedAreLogged(outcome.acknowledged(), outcome.log());
        for (Transcript member : outcome.members()) {
            assertEquals(List.of(), member.resets(), "nothing a member received was lost");
            Map<String, Integer> received = new HashMap<>();
            member.events().stream().filter(e -> e.kind() == RoomEvent.Kind.MESSAGE)
                    .forEach(e -> received.merge(e.messageId(), 1, Integer::sum));
            outcome.acknowledged().keySet().forEach(id -> assertEquals(1, received.get(id),
                    "acknowledged message " + id + " received by " + member.membership().member()));
        }
    }

    @Test
    void withoutReplicaWaitTheAcknowledgedMessagesAFailoverLostEndInAResetNotASilentGap() throws Exception {
        Outcome outcome = floodThroughFailover(RedisRoomLog::connect);
        Set<String> logged = new HashSet<>();
        outcome.log().stream().filter(e -> e.kind() == RoomEvent.Kind.MESSAGE)
                .forEach(e -> logged.add(e.messageId() + "@" + e.offset()));
        List<String> lost = outcome.acknowledged().entrySet().stream()
                .filter(e -> !logged.contains(e.getKey() + "@" + e.getValue())).map(Map.Entry::getKey).toList();
        assertFalse(lost.isEmpty(), "the failover lost acknowledged messages (the replica was held back)");
        Map<Long, RoomEvent> bySequence = new HashMap<>();
        outcome.log().forEach(event -> bySequence.put(event.offset().sequence(), event));
        for (Transcript member : outcome.members()) {
            String name = member.membership().member();
            assertFalse(member.resets().isEmpty(), name + " is told of the lost history");
            // The reset names the last event the member had that the log kept (its join, at least, was kept): the
            // events it had up to there are the log's at the same sequence numbers, and none of them comes again.
            RoomOffset resumesAfter = member.resets().get(0).resumesAfter();
            List<RoomEvent> had = member.events().stream()
                    .filter(e -> !e.offset().epoch().equals(resumesAfter.epoch())).toList();
            long joined = had.stream().filter(e -> e.kind() == RoomEvent.Kind.JOIN && e.member().equals(name))
                    .findFirst().orElseThrow().offset().sequence();
            assertTrue(resumesAfter.sequence() >= joined, name + " resumes after " + resumesAfter
                    + ", before its own join at " + joined + ", which the log kept");
            for (RoomEvent event : had) {
                if (event.offset().sequence() <= resumesAfter.sequence()) {
                    RoomEvent kept = bySequence.get(event.offset().sequence());
                    assertEquals(List.of(event.kind(), event.member(), event.messageId(), event.text()),
                            List.of(kept.kind(), kept.member(), kept.messageId(), kept.text()),
                            name + " had " + event + ", which the reset said the log kept");
                }
            }
            Set<String> perEpoch = new HashSet<>();
            for (RoomEvent event : member.events()) {
                if (event.kind() == RoomEvent.Kind.MESSAGE) {
                    assertTrue(perEpoch.add(event.offset().epoch() + "/" + event.messageId()),
                            "message " + event.messageId() + " received twice in one epoch");
                }
            }
        }
    }
}
