package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomLog;
import io.sockwave.room.RoomOffset;
import io.sockwave.testsupport.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Redis back from older data (here a snapshot; a failover to a replica behind its primary is the same) keeps the
 * room's log up to the point it went back to: the room goes on under a new epoch whose events up to there are the
 * old epoch's, at the same sequence numbers. A member that had them gets a reset that names the last of them it had,
 * and is not sent them again: an application that keeps what it showed would otherwise show them twice.
 */
class RollbackKeepsSurvivingHistoryTest {
    private static final String ROOM = "rewound";

    /** The room's events: two joins, five messages the snapshot keeps (sequences 3 to 7), ten it loses (8 to 17). */
    private static RoomOffset keptThenLost(RedisServer redis, Transcript speaker, Transcript listener)
            throws Exception {
        for (int i = 0; i < 5; i++) {
            speaker.membership().publish("kept-" + i, "kept " + i).get(5, TimeUnit.SECONDS);
        }
        try (RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect()) {
            assertEquals("OK", connection.sync().save());
        }
        RoomOffset last = null;
        for (int i = 0; i < 10; i++) {
            last = speaker.membership().publish("lost-" + i, "lost " + i).get(5, TimeUnit.SECONDS);
        }
        listener.awaitOffset(last, Duration.ofSeconds(5));
        return last;
    }

    private static RoomOffset publishOnceLoaded(Transcript speaker, String id) throws Exception {
        for (int attempt = 0; attempt < 40; attempt++) {
            try {
                return speaker.membership().publish(id, id).get(15, TimeUnit.SECONDS);
            } catch (ExecutionException loading) {
                TimeUnit.MILLISECONDS.sleep(250);
            }
        }
        throw new AssertionError("no publish was taken after the restart");
    }

    @Test
    void membersAndResumingClientsGoOnAfterWhatTheyHadThatSurvivedNotFromTheStart() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             Cluster cluster = new Cluster(redis.uri(), 2)) {
            Transcript speaker = cluster.join(0, ROOM, "speaker", null);
            Transcript listener = cluster.join(1, ROOM, "listener", null);
            RoomOffset lost = keptThenLost(redis, speaker, listener);
            redis.crashAndRestart(); // back at sequence 7 of the same epoch
            RoomOffset after = publishOnceLoaded(speaker, "after");
            assertNotEquals(lost.epoch(), after.epoch(), "the rollback started a new epoch");
            listener.awaitOffset(after, Duration.ofSeconds(10));
            speaker.awaitOffset(after, Duration.ofSeconds(10));

            RoomOffset survived = new RoomOffset(after.epoch(), 7);
            for (Transcript member : List.of(speaker, listener)) {
                assertEquals(List.of(survived), member.resets().stream().map(Transcript.Reset::resumesAfter).toList(),
                        "the reset names the last event the member had that the log kept");
                List<String> sinceTheReset = member.events().stream()
                        .filter(e -> e.offset().epoch().equals(after.epoch()))
                        .map(e -> e.offset().sequence() + " " + e.messageId()).toList();
                assertEquals(List.of("8 after"), sinceTheReset, "nothing the member had was sent again");
            }

            // Clients that come back with an offset of the old epoch: one the log kept resumes right after it, one
            // it lost after the last event it kept.
            Transcript keptClient = cluster.join(1, ROOM, "kept-client", new RoomOffset(lost.epoch(), 4));
            assertEquals(List.of(new RoomOffset(after.epoch(), 4)),
                    keptClient.resets().stream().map(Transcript.Reset::resumesAfter).toList());
            keptClient.await(e -> e.member().equals("kept-client"), Duration.ofSeconds(5));
            assertEquals(List.of("5 kept-2", "6 kept-3", "7 kept-4", "8 after", "9 "),
                    keptClient.events().stream().map(e -> e.offset().sequence() + " " + e.messageId()).toList());
            Transcript lostClient = cluster.join(0, ROOM, "lost-client", lost);
            assertEquals(List.of(survived), lostClient.resets().stream().map(Transcript.Reset::resumesAfter).toList());
            cluster.assertTranscriptsAreTheLog(ROOM, List.of(speaker, listener, keptClient, lostClient));
        }
    }

    /**
     * The third way a rollback is told, beside a node's offsets and Redis's beat count: a reader whose node had
     * nothing of the room (no offset, no beat) reading past the log's head. The head went back, so the sequence
     * numbers given out again would name other events: the room goes on under a new epoch that keeps the log.
     */
    @Test
    void aReaderPastTheHeadOfARolledBackLogStartsANewEpochThatKeepsTheLog() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisRoomLog writer = RedisRoomLog.connect(redis.uri());
             RedisClient admin = RedisClient.create(redis.uri())) {
            writer.start("writer", NoSignals.INSTANCE);
            writer.watch(ROOM);
            writer.join(ROOM, "speaker").get(5, TimeUnit.SECONDS);
            writer.append(ROOM, "speaker", "kept", "kept").get(5, TimeUnit.SECONDS);
            try (StatefulRedisConnection<String, String> connection = admin.connect()) {
                assertEquals("OK", connection.sync().save());
            }
            RoomLog.Appended head = null;
            for (int i = 0; i < 3; i++) {
                head = writer.append(ROOM, "speaker", "lost-" + i, "lost").get(5, TimeUnit.SECONDS);
            }
            redis.crashAndRestart(); // back at sequence 2
            RoomLog.Page page = null;
            try (RedisRoomLog reader = RedisRoomLog.connect(redis.uri())) {
                for (int attempt = 0; attempt < 40 && page == null; attempt++) {
                    try {
                        page = reader.read(ROOM, head.sequence(), 500).get(15, TimeUnit.SECONDS);
                    } catch (ExecutionException loading) {
                        TimeUnit.MILLISECONDS.sleep(250);
                    }
                }
                assertNotNull(page, "no read was taken after the restart");
                assertNotEquals(head.epoch(), page.epoch(), "a read past the head kept the epoch: " + page);
                assertEquals(new RoomOffset(head.epoch(), 2), page.origin());
                RoomLog.Page kept = reader.read(ROOM, 0, 500).get(5, TimeUnit.SECONDS);
                assertEquals(List.of("JOIN speaker", "MESSAGE kept"), kept.events().stream()
                        .map(e -> e.kind() + " " + (e.kind() == RoomEvent.Kind.JOIN ? e.member() : e.messageId()))
                        .toList(), "the new epoch keeps the log");
            }
        }
    }

    /**
     * A reader of {@link RoomLog#read} that keeps its offset past the head (it had the events the store lost, and
     * reads on from there) started a new epoch at each read, and every member of the room got a reset for each. One
     * loss is one new epoch: reads up to the offset that started it, by this reader or another, keep it; only a read
     * further past the head than that tells of more.
     */
    @Test
    void aReaderThatKeepsReadingPastTheHeadStartsOneEpochNotOneAtEachRead() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisRoomLog writer = RedisRoomLog.connect(redis.uri());
             RedisRoomLog reader = RedisRoomLog.connect(redis.uri());
             RedisRoomLog another = RedisRoomLog.connect(redis.uri())) {
            writer.start("writer", NoSignals.INSTANCE);
            writer.join(ROOM, "speaker").get(5, TimeUnit.SECONDS);
            RoomLog.Appended head = writer.append(ROOM, "speaker", "kept", "kept").get(5, TimeUnit.SECONDS);

            RoomLog.Page first = reader.read(ROOM, 10, 500).get(5, TimeUnit.SECONDS);
            assertNotEquals(head.epoch(), first.epoch(), "a read past the head starts a new epoch");
            assertEquals(new RoomOffset(head.epoch(), head.sequence()), first.origin());
            for (RedisRoomLog same : List.of(reader, reader, another)) {
                RoomLog.Page again = same.read(ROOM, 10, 500).get(5, TimeUnit.SECONDS);
                assertEquals(first.epoch(), again.epoch(), "a read up to the offset that began the epoch kept it");
                assertEquals(first.origin(), again.origin());
            }
            RoomLog.Appended next = writer.append(ROOM, "speaker", "next", "next").get(5, TimeUnit.SECONDS);
            assertEquals(first.epoch(), next.epoch(), "the writer goes on in the epoch the reader began");
            RoomLog.Page further = another.read(ROOM, 11, 500).get(5, TimeUnit.SECONDS);
            assertNotEquals(first.epoch(), further.epoch(), "a read further past the head tells of more lost");
            assertEquals(new RoomOffset(first.epoch(), next.sequence()), further.origin());
        }
    }

    /** A room Redis lost whole (a restart without its data) starts empty, from nothing: its epoch has no origin. */
    @Test
    void aReaderPastTheHeadOfARoomRedisLostWholeFindsAnEpochWithoutOrigin() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisRoomLog writer = RedisRoomLog.connect(redis.uri())) {
            writer.start("writer", NoSignals.INSTANCE);
            writer.join(ROOM, "speaker").get(5, TimeUnit.SECONDS);
            RoomLog.Appended head = writer.append(ROOM, "speaker", "lost", "lost").get(5, TimeUnit.SECONDS);
            redis.crashAndRestart(); // without a snapshot: the room is gone
            try (RedisRoomLog reader = RedisRoomLog.connect(redis.uri())) {
                RoomLog.Page page = reader.read(ROOM, head.sequence(), 500).get(15, TimeUnit.SECONDS);
                assertNotEquals(head.epoch(), page.epoch());
                assertEquals(null, page.origin(), "an epoch that began empty named an origin");
            }
        }
    }
}
