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
     * The client's offset is past the head of its epoch, on a node started after the restart, before any node that
     * knew of the rollback called: its join tells Redis, which starts the room's new epoch at once, so that another
     * client resuming later with an offset of the same lost history, once appends passed it, gets a reset too.
     */
    @Test
    void anOffsetPastTheHeadGoesIntoTheJoinAndStartsTheRoomOver() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisRoomLog knowing = RedisRoomLog.connect(redis.uri())) {
            RoomOffset lost = lostHead(redis, knowing, () -> { });
            redis.crashAndRestart();
            try (Rooms first = Rooms.on(RedisRoomLog.connect(redis.uri()), "first");
                 RedisRoomLog stranger = RedisRoomLog.connect(redis.uri());
                 Rooms second = Rooms.on(RedisRoomLog.connect(redis.uri()), "second")) {
                Transcript early = new Transcript();
                first.join("rewound", "early", lost, early).get(10, TimeUnit.SECONDS);
                assertEquals(1, early.resets().size(), "a reset for the offset past the head: " + early.resets());
                stranger.start("stranger", NoSignals.INSTANCE);
                appendPast(stranger, "other", 15);
                Transcript client = new Transcript();
                RoomOffset alsoLost = new RoomOffset(lost.epoch(), lost.sequence() - 1);
                second.join("rewound", "client", alsoLost, client).get(10, TimeUnit.SECONDS);
                assertResetAndNothingUnderItsOffsets(client, alsoLost);
            }
        }
    }
}
