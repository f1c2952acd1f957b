package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.room.Membership;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomException;
import io.sockwave.room.RoomOffset;
import io.sockwave.testsupport.RedisPerClass;
import io.sockwave.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What an outside tester tries first on rooms across nodes: offsets, names and races at their edges. */
class RoomsOnRedisEdgesTest {
    @RegisterExtension
    static final RedisPerClass REDIS = new RedisPerClass(RedisServer.Persistence.NONE);

    /**
     * Guarantee 3: an offset the log's history bound ({@link RedisRoomLog#HISTORY}, {@code MAXLEN ~}) trimmed away
     * gets a reset naming the event before the first one kept, then every event from there once, never a silent gap.
     */
    @Test
    void aResumeAtAnOffsetTheLogTrimmedAwayGetsAResetThenEveryEventKeptOnce() throws Exception {
        try (Cluster cluster = new Cluster(REDIS.server().uri(), 2);
             RedisRoomLog writer = RedisRoomLog.connect(REDIS.server().uri())) {
            Transcript early = cluster.join(0, "trimmed", "early", null);
            RoomOffset had = early.membership().publish("", "first").get(5, TimeUnit.SECONDS);
            early.awaitOffset(had, Duration.ofSeconds(5));
            early.membership().leave().get(5, TimeUnit.SECONDS);

            writer.start("writer", NoSignals.INSTANCE);
            List<CompletableFuture<?>> appends = new ArrayList<>();
            for (int i = 0; i < RedisRoomLog.HISTORY + 500; i++) {
                appends.add(writer.append("trimmed", "flood", "", "m" + i));
            }
            CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            Transcript back = cluster.join(1, "trimmed", "early", had);
            RoomOffset head = back.membership().joinedAt();
            back.awaitOffset(head, Duration.ofSeconds(30));
            // read after the join, whose append may have trimmed the log further
            long firstKept = cluster.log("trimmed").get(0).offset().sequence();
            assertTrue(firstKept > had.sequence() + 1, "the log was trimmed past the offset; it begins at "
                    + firstKept);
            assertEquals(1, back.resets().size(), "one reset: " + back.resets());
            assertEquals(new RoomOffset(had.epoch(), firstKept - 1), back.resets().get(0).resumesAfter(),
                    "the reset names the event before the first one the log kept");
            back.assertGapless(had, "early");
            assertEquals(firstKept, back.events().get(0).offset().sequence(), "then the first event kept");
            assertEquals(head.sequence() - firstKept + 1, back.events().size(), "every event kept, once");
        }
    }

    /**
     * A room's keys are {@code sw:{ROOM}:...}: a name with the braces of a Redis hash tag, the separator, glob
     * characters, white space, characters of two to four bytes or a long name is a room of its own, whose members get
     * its events and no other room's.
     */
    @Test
    void roomNamesWithBracesAndOtherCharactersAreRoomsOfTheirOwn() throws Exception {
        List<String> names = List.of("a", "{a}", "a}:log", "{", "}", "}:", "{a}:seq", "*", "a?[b]", "", " ",
                "line\nbreak", "ü€𝄞", "x".repeat(10_000));
        try (Cluster cluster = new Cluster(REDIS.server().uri(), 2)) {
            Map<String, Transcript> listeners = new LinkedHashMap<>();
            Map<String, RoomOffset> said = new LinkedHashMap<>();
            for (String room : names) {
                Transcript speaker = cluster.join(0, room, "speaker", null);
                listeners.put(room, cluster.join(1, room, "listener", null));
                said.put(room, speaker.membership().publish("id", "in " + room).get(5, TimeUnit.SECONDS));
            }
            for (String room : names) {
                Transcript listener = listeners.get(room);
                listener.awaitOffset(said.get(room), Duration.ofSeconds(5));
                assertEquals(List.of("JOIN listener", "MESSAGE in " + room), listener.events().stream()
                        .map(e -> e.kind() + " " + (e.kind() == RoomEvent.Kind.MESSAGE ? e.text() : e.member()))
                        .toList(), "room " + room);
                assertEquals(3, said.get(room).sequence(), "room " + room + ": its own log");
                assertEquals(List.of("listener", "speaker"), listener.membership().present(), "room " + room);
            }
        }
    }

    /**
     * A client that reconnects to two nodes at once with the same name and offset (a retry racing the first
     * attempt): the name is admitted on one node only, and there the resume is exact; the other is refused with
     * {@code NAME_TAKEN}.
     */
    @Test
    void aMemberResumingOnTwoNodesAtOnceIsAdmittedOnOneAndResumesExactlyThere() throws Exception {
        try (Cluster cluster = new Cluster(REDIS.server().uri(), 2)) {
            Transcript speaker = cluster.join(0, "twice", "speaker", null);
            Transcript traveller = cluster.join(0, "twice", "traveller", null);
            RoomOffset had = speaker.membership().publish("", "before").get(5, TimeUnit.SECONDS);
            traveller.awaitOffset(had, Duration.ofSeconds(5));
            traveller.membership().leave().get(5, TimeUnit.SECONDS);
            RoomOffset missed = speaker.membership().publish("", "missed").get(5, TimeUnit.SECONDS);

            Transcript onFirst = new Transcript();
            Transcript onSecond = new Transcript();
            CompletableFuture<Membership> first = cluster.node(0).join("twice", "traveller", had, onFirst);
            CompletableFuture<Membership> second = cluster.node(1).join("twice", "traveller", had, onSecond);
            List<Transcript> admitted = new ArrayList<>();
            int refused = 0;
            for (Map.Entry<CompletableFuture<Membership>, Transcript> attempt
                    : Map.of(first, onFirst, second, onSecond).entrySet()) {
                try {
                    attempt.getKey().get(10, TimeUnit.SECONDS);
                    admitted.add(attempt.getValue());
                } catch (ExecutionException e) {
                    RoomException refusal = assertInstanceOf(RoomException.class, e.getCause());
                    assertEquals(RoomException.Reason.NAME_TAKEN, refusal.reason(), refusal.getMessage());
                    refused++;
                }
            }
            assertEquals(1, admitted.size(), "admitted on one node");
            assertEquals(1, refused, "refused on the other");
            Transcript back = admitted.get(0);
            back.awaitOffset(back.membership().joinedAt(), Duration.ofSeconds(5));
            assertEquals(List.of(), back.resets());
            back.assertGapless(had, "traveller");
            assertEquals(had.sequence() + 1, back.events().get(0).offset().sequence(), "right after its offset");
            assertEquals(1, back.events().stream().filter(e -> e.offset().equals(missed)).count(), "what it missed");
            assertEquals(List.of("speaker", "traveller"), back.membership().present());
            List<String> travellers = cluster.log("twice").stream().filter(e -> e.member().equals("traveller"))
                    .map(e -> e.kind().toString()).toList();
            assertEquals(List.of("JOIN", "LEAVE", "JOIN"), travellers, "one join for the two attempts");
        }
    }

    /**
     * Redis's strings are bytes, and a Java string with an unpaired surrogate has no UTF-8 form: Lettuce writes
     * {@code '?'} in its place. Before, room {@code "a\uD800"} was room {@code "a?"} in Redis, a member name took
     * another's, and a message whose id held one was taken for a duplicate of the message with {@code '?'} there:
     * acknowledged with that message's offset, and never appended. Such names, ids and texts are refused at the call.
     */
    @Test
    void namesMessageIdsAndTextsUtf8CannotCarryAreRefusedRatherThanMerged() throws Exception {
        try (Cluster cluster = new Cluster(REDIS.server().uri(), 1)) {
            Transcript alice = cluster.join(0, "plain", "alice", null);
            Membership sender = alice.membership();
            RoomOffset first = sender.publish("id?", "first").get(5, TimeUnit.SECONDS);
            assertThrows(IllegalArgumentException.class, () -> sender.publish("id\uD800", "second"));
            assertThrows(IllegalArgumentException.class, () -> sender.publish("", "text \uDC00"));
            assertThrows(IllegalArgumentException.class,
                    () -> cluster.node(0).join("a\uD800", "bob", null, new Transcript()));
            assertThrows(IllegalArgumentException.class,
                    () -> cluster.node(0).join("plain", "alice\uD800", null, new Transcript()));
            RoomOffset next = sender.publish("id2", "next").get(5, TimeUnit.SECONDS);
            assertEquals(first.sequence() + 1, next.sequence(), "nothing was appended by the refused calls");
        }
    }
}
