package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sockwave.room.Membership;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomException;
import io.sockwave.room.RoomOffset;
import io.sockwave.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Faults of Redis during a steady flood of messages, each on a redis-server of its own: members on two nodes must
 * end with the room's log, every acknowledged message in it, and a reset wherever history was lost.
 */
class RedisRoomFaultTest {
    private static final Duration INTERVAL = Duration.ofMillis(10);

    private record Room(List<Transcript> members, List<Membership> senders) {
    }

    private static Room populate(Cluster cluster, String room) throws Exception {
        List<Transcript> members = new ArrayList<>();
        List<Membership> senders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Transcript member = cluster.join(i % 2, room, "m" + i, null);
            members.add(member);
            senders.add(member.membership());
        }
        return new Room(members, senders);
    }

    @Test
    void redisPausedForFiveSecondsLosesNothingAndNobodyIsDisconnected() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             Cluster cluster = new Cluster(redis.uri(), 2)) {
            Room room = populate(cluster, "pause");
            Flood flood = Flood.start(room.senders(), INTERVAL, Duration.ofSeconds(7));
            TimeUnit.SECONDS.sleep(1);
            redis.pause();
            TimeUnit.SECONDS.sleep(5);
            redis.resume();
            flood.finish(Duration.ofSeconds(15));
            List<RoomEvent> log = cluster.assertTranscriptsAreTheLog("pause", room.members());
            Cluster.assertAcknowledgedAreLogged(flood.acknowledged(), log);
            assertEquals(0, flood.refused(), "a pause shorter than the command timeout refuses nothing");
            room.members().forEach(member -> assertTrue(member.resets().isEmpty()));
            assertEquals(0, log.stream().filter(e -> e.kind() == RoomEvent.Kind.LEAVE).count(),
                    "a 5 s pause is within the node heartbeat's lease: nobody left");
        }
    }

    /**
     * Redis away for longer than the command timeout (paused past it): a publish it did not answer fails to its
     * sender with {@code UNAVAILABLE}, not acknowledged; Redis may run it once back (it was on the socket), and the
     * sender's retry with the same message id is answered with the offset the message has, appended once; nobody is
     * reset.
     */
    @Test
    void aPublishRedisDidNotAnswerInTimeFailsToItsSenderAndItsRetryIsAppendedOnce() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             Cluster cluster = new Cluster(redis.uri(), 2)) {
            Transcript sender = cluster.join(0, "away", "sender", null);
            Transcript other = cluster.join(1, "away", "other", null);
            redis.pause();
            try {
                long sent = System.nanoTime();
                ExecutionException refused = assertThrows(ExecutionException.class,
                        () -> sender.membership().publish("p-1", "late").get(RedisRoomLog.COMMAND_TIMEOUT_SECONDS + 5,
                                TimeUnit.SECONDS));
                RoomException refusal = assertInstanceOf(RoomException.class, refused.getCause());
                assertEquals(RoomException.Reason.UNAVAILABLE, refusal.reason(), refusal.getMessage());
                assertTrue(System.nanoTime() - sent >= TimeUnit.SECONDS.toNanos(RedisRoomLog.COMMAND_TIMEOUT_SECONDS)
                        - TimeUnit.MILLISECONDS.toNanos(100), "refused at the command timeout, not before");
            } finally {
                redis.resume();
            }
            RoomOffset retried = sender.membership().publish("p-1", "late").get(15, TimeUnit.SECONDS);
            RoomOffset after = sender.membership().publish("p-2", "after").get(5, TimeUnit.SECONDS);
            other.awaitOffset(after, Duration.ofSeconds(15));
            for (Transcript member : List.of(sender, other)) {
                member.awaitOffset(after, Duration.ofSeconds(15));
                assertEquals(List.of(), member.resets());
                assertEquals(1, member.events().stream().filter(e -> e.messageId().equals("p-1")).count());
                assertEquals(retried, member.events().stream().filter(e -> e.messageId().equals("p-1")).findFirst()
                        .orElseThrow().offset(), "the retry's offset is the one the message has");
            }
            assertEquals(List.of("p-1", "p-2"), cluster.log("away").stream()
                    .filter(e -> e.kind() == RoomEvent.Kind.MESSAGE).map(RoomEvent::messageId).toList());
        }
    }

    /**
     * Only node 0's members speak, so node 1 learns of new messages from the pub/sub hints alone, and its pub/sub
     * link is cut every few milliseconds while they speak: the hints of the last messages are lost, and node 1's
     * members get them only because it reads the log by itself.
     */
    @Test
    void droppedNotificationsAreRepairedFromTheLog() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             Cluster cluster = new Cluster(redis.uri(), 2);
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect()) {
            Room room = populate(cluster, "hints");
            List<Membership> nodeZero = List.of(room.senders().get(0), room.senders().get(2));
            Flood flood = Flood.start(nodeZero, INTERVAL, Duration.ofSeconds(2));
            long killed = 0;
            long end = System.nanoTime() + Duration.ofMillis(2_300).toNanos();
            while (System.nanoTime() < end) {
                killed += connection.sync().clientKill(KillArgs.Builder.typePubsub());
                TimeUnit.MILLISECONDS.sleep(2);
            }
            flood.finish(Duration.ofSeconds(10));
            assertTrue(killed > 0, "the pub/sub links were cut");
            List<RoomEvent> log = cluster.assertTranscriptsAreTheLog("hints", room.members());
            Cluster.assertAcknowledgedAreLogged(flood.acknowledged(), log);
        }
    }

    @Test
    void redisRestartedWithAppendFsyncAlwaysLosesNoAcknowledgedMessage() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.AOF_ALWAYS);
             Cluster cluster = new Cluster(redis.uri(), 2)) {
            Room room = populate(cluster, "aof");
            Flood flood = Flood.start(room.senders(), INTERVAL, Duration.ofSeconds(4));
            TimeUnit.SECONDS.sleep(1);
            redis.crashAndRestart();
            flood.finish(Duration.ofSeconds(15));
            List<RoomEvent> log = cluster.assertTranscriptsAreTheLog("aof", room.members());
            Cluster.assertAcknowledgedAreLogged(flood.acknowledged(), log);
            RoomOffset first = room.members().get(0).events().get(0).offset();
            assertTrue(flood.acknowledged().values().stream().allMatch(o -> o.epoch().equals(first.epoch())),
                    "the log kept its epoch across the restart");
            room.members().forEach(member -> assertTrue(member.resets().isEmpty()));
        }
    }

    @Test
    void redisRestartedWithoutPersistenceResetsEveryMemberWithoutASilentGap() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             Cluster cluster = new Cluster(redis.uri(), 2)) {
            Room room = populate(cluster, "lost");
            Flood flood = Flood.start(room.senders(), INTERVAL, Duration.ofSeconds(4));
            TimeUnit.SECONDS.sleep(1);
            redis.crashAndRestart();
            flood.finish(Duration.ofSeconds(15));
            List<RoomEvent> log = cluster.assertTranscriptsAreTheLog("lost", room.members());
            for (Transcript member : room.members()) {
                assertFalse(member.resets().isEmpty(), "every member is told its history was lost");
            }
            String epoch = log.get(0).offset().epoch();
            flood.acknowledged().values().stream().filter(o -> o.epoch().equals(epoch)).findAny()
                    .orElseThrow(() -> new AssertionError("messages were acknowledged in the new epoch"));
            for (int i = 0; i < 4; i++) {
                String name = "m" + i;
                assertTrue(log.stream().anyMatch(e -> e.kind() == RoomEvent.Kind.JOIN && e.member().equals(name)),
                        name + " is announced again in the new log");
            }
        }
    }
}
