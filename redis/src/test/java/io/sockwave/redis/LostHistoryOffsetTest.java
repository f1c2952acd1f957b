package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomLog;
import io.sockwave.room.RoomOffset;
import io.sockwave.room.Rooms;
import io.sockwave.testsupport.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client resumes with an offset of a history Redis lost (Redis restarted from an older snapshot), on a node that
 * has no member in the room, and no node that had the room has called since: the client must get a reset, never the
 * new history's events under the offsets it had of the lost one (nothing acknowledged lost, nothing repeated).
 */
class LostHistoryOffsetTest {
    /** Writes four kept messages, a snapshot, ten messages lost with the restart: the offset of the last one. */
    private static RoomOffset lostHead(RedisServer redis, RedisRoomLog knowing, Runnable afterSnapshot)
            throws Exception {
        knowing.start("knowing", NoSignals.INSTANCE);
        knowing.watch("rewound");
        knowing.join("rewound", "speaker").get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 4; i++) {
            knowing.append("rewound", "speaker", "kept-" + i, "kept " + i).get(5, TimeUnit.SECONDS);
        }
        try (RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect()) {
            assertEquals("OK", connection.sync().save());
        }
        afterSnapshot.run();
        RoomLog.Appended head = null;
        for (int i = 0; i < 10; i++) {
            head = knowing.append("rewound", "speaker", "lost-" + i, "lost " + i).get(5, TimeUnit.SECONDS);
        }
        return new RoomOffset(head.epoch(), head.sequence());
    }

    /** Appends after the restart, retried while Redis is still loading. */
    private static void appendPast(RedisRoomLog log, String member, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            RoomLog.Appended appended = null;
            for (int attempt = 0; attempt < 40 && appended == null; attempt++) {
                try {
                    appended = log.append("rewound", member, "new-" + member + "-" + i, "new " + i)
                            .get(15, TimeUnit.SECONDS);
                } catch (ExecutionException refused) {
                    TimeUnit.MILLISECONDS.sleep(250);
                }
            }
            assertNotNull(appended, "no append was taken after the restart");
        }
    }

    /** The client's view: a reset, and no event of the epoch its offset named. */
    private static void assertResetAndNothingUnderItsOffsets(Transcript client, RoomOffset lost) throws Exception {
        client.await(event -> event.kind() == RoomEvent.Kind.JOIN && event.member().equals("client"),
                Duration.ofSeconds(5));
        List<RoomEvent> served = client.events().stream().filter(e -> e.offset().epoch().equals(lost.epoch()))
                .toList();
        assertEquals(List.of(), served, "served after " + lost + " as if they followed it");
        assertEquals(1, client.resets().size(), "a reset: " + client.resets());
    }

    /**
     * The nodes that append after the restart knew nothing of the room, and their appends pass the client's offset
     * before it resumes: its offset alone cannot tell. But every node beats, and the beats Redis lost tell it that
     * it went back: the first call of any node that beat since the snapshot starts a new era, and the room a new
     * epoch.
     */
    @Test
    void anOffsetPassedByAppendsAfterARollbackIsResetEvenOnANodeThatNeverHadTheRoom() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisRoomLog knowing = RedisRoomLog.connect(redis.uri());
             RedisRoomLog stranger = RedisRoomLog.connect(redis.uri())) {
            stranger.start("stranger", NoSignals.INSTANCE);
            RoomOffset lost = lostHead(redis, knowing, () -> stranger.heartbeat().join());
            redis.crashAndRestart(); // back at sequence 5 of the same epoch
            appendPast(stranger, "other", 15);
            try (Rooms resuming = Rooms.on(RedisRoomLog.connect(redis.uri()), "resuming")) {
                Transcript client = new Transcript();
                resuming.join("rewound", "client", lost, client).get(10, TimeUnit.SECONDS);
                assertResetAndNothingUnderItsOffsets(client, lost);
            }
        }
    }

    /**
     * Redis loads the same snapshot twice (it crashed again before it wrote another): the era the first rollback
     * started is lost with the second, and the nodes' clocks are of that era, which Redis no longer knows. A node
     * knowing an era Redis never had is a loss as sure as a higher count: the client's offset of the first lost
     * history, passed by appends of a node that never had the room, must still get a reset.
     */
    @Test
    void anOffsetIsResetWhenRedisWentBackToBeforeTheEraItsNodesKnow() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisRoomLog knowing = RedisRoomLog.connect(redis.uri());
             RedisRoomLog stranger = RedisRoomLog.connect(redis.uri())) {
            stranger.start("stranger", NoSignals.INSTANCE);
            RoomOffset lost = lostHead(redis, knowing, () -> stranger.heartbeat().join());
            redis.crashAndRestart(); // back at the snapshot: the stranger's beat starts a new era
            beatOnceLoaded(stranger);
            redis.crashAndRestart(); // back at the same snapshot: the new era is lost too
            appendPast(stranger, "other", 15);
            try (Rooms resuming = Rooms.on(RedisRoomLog.connect(redis.uri()), "resuming")) {
                Transcript client = new Transcript();
                resuming.join("rewound", "client", lost, client).get(10, TimeUnit.SECONDS);
                assertResetAndNothingUnderItsOffsets(client, lost);
            }
        }
    }

    /**
     * Each node that had the era Redis lost tells it so at its first call: the first starts a new era, the others
     * find theirs among the eras Redis had since, and the room does not start over once per node.
     */
    @Test
    void twoNodesOfALostEraStartOneNewEraNotTwo() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisRoomLog knowing = RedisRoomLog.connect(redis.uri());
             RedisRoomLog first = RedisRoomLog.connect(redis.uri());
             RedisRoomLog second = RedisRoomLog.connect(redis.uri())) {
            first.start("first", NoSignals.INSTANCE);
            second.start("second", NoSignals.INSTANCE);
            lostHead(redis, knowing, () -> {
                first.heartbeat().join();
                second.heartbeat().join();
            });
            redis.crashAndRestart();
            beatOnceLoaded(first);
            second.heartbeat().get(5, TimeUnit.SECONDS);
            redis.crashAndRestart(); // the era both nodes had is lost
            appendPast(first, "one", 1);
            String epoch = first.append("rewound", "one", "after-first", "x").get(5, TimeUnit.SECONDS).epoch();
            RoomLog.Appended bySecond = second.append("rewound", "two", "after-second", "y").get(5, TimeUnit.SECONDS);
            assertEquals(epoch, bySecond.epoch(), "the room started over again at the second node's call");
        }
    }

    private static void beatOnceLoaded(RedisRoomLog log) throws Exception {
        for (int attempt = 0; attempt < 40; attempt++) {
            try {
                log.heartbeat().get(15, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException loading) {
                TimeUnit.MILLISECONDS.sleep(250);
            }
        }
        throw new AssertionError("no beat was taken after the restart");
    }

    /**
     * A client can name any offset: one past the head of the room's epoch (made up, or of a lost history that no
     * beat told Redis about) resets that client alone. Were it to start the room over, any client could make every
     * member of a room take a reset, and have events served twice, at will.
     */
    @Test
    void anOffsetPastTheHeadResetsItsMemberAloneAndLeavesTheRoomsEpoch() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             Rooms honest = Rooms.on(RedisRoomLog.connect(redis.uri()), "honest");
             Rooms other = Rooms.on(RedisRoomLog.connect(redis.uri()), "other")) {
            Transcript alice = new Transcript();
            honest.join("lobby", "alice", null, alice).get(10, TimeUnit.SECONDS);
            RoomOffset head = alice.membership().publish("m-1", "hello").get(10, TimeUnit.SECONDS);

            Transcript mallory = new Transcript();
            RoomOffset madeUp = new RoomOffset(head.epoch(), head.sequence() + 1_000);
            other.join("lobby", "mallory", madeUp, mallory).get(10, TimeUnit.SECONDS);
            assertEquals(1, mallory.resets().size(), "a reset for the offset past the head: " + mallory.resets());

            alice.membership().publish("m-2", "still here").get(10, TimeUnit.SECONDS);
            alice.await(event -> "m-2".equals(event.messageId()), Duration.ofSeconds(5));
            assertEquals(List.of(), alice.resets(), "the honest member was reset");
            assertEquals(List.of(head.epoch()), alice.events().stream().map(e -> e.offset().epoch()).distinct()
                    .toList(), "the room started over");
        }
    }
}
