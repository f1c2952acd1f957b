package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomException;
import io.sockwave.room.RoomLog;
import io.sockwave.room.RoomOffset;
import io.sockwave.room.Rooms;
import io.sockwave.testsupport.RedisPerClass;
import io.sockwave.testsupport.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What one read, and one crashed node, may cost the others: bounded, and said. */
class RoomsOnRedisBoundsTest {
    /** Half a page's bytes: two such events reach {@link RoomLog#PAGE_BYTES}. */
    private static final String HALF_PAGE = "x".repeat(RoomLog.PAGE_BYTES / 2);
    @RegisterExtension
    static final RedisPerClass REDIS = new RedisPerClass(RedisServer.Persistence.NONE);

    /** A member far behind in a room of large events gets every one of them, in order, once. */
    @Test
    void aMemberResumingFarBehindLargeEventsReceivesEachInOrderOnce() throws Exception {
        try (Cluster cluster = new Cluster(REDIS.server().uri(), 2)) {
            Transcript writer = cluster.join(0, "behind", "w", null);
            RoomOffset last = null;
            for (int i = 0; i < 12; i++) {
                last = writer.membership().publish("", i + HALF_PAGE).get(10, TimeUnit.SECONDS);
            }
            RoomOffset start = new RoomOffset(last.epoch(), 0);
            Transcript reader = cluster.join(1, "behind", "r", start);
            reader.awaitOffset(last, Duration.ofSeconds(20));
            reader.assertGapless(start, "r");
            List<RoomEvent> messages = reader.events().stream()
                    .filter(event -> event.kind() == RoomEvent.Kind.MESSAGE).toList();
            assertEquals(12, messages.size());
            for (int i = 0; i < 12; i++) {
                assertTrue(messages.get(i).text().startsWith(i + "x"), "message " + i);
            }
            assertTrue(reader.resets().isEmpty());
        }
    }

    /**
     * A member of a crashed node keeps its name until the node's lease runs out and a node reaps it: a join of the
     * name on another node meanwhile was refused as if for good (the chat closed it with 1008, "do not retry").
     * It is refused with when the name is free if its node has stopped, and it is free by then.
     */
    @Test
    void aNameHeldByAKilledNodeIsRefusedWithWhenToTryAgainAndIsFreeByThen() throws Exception {
        try (Cluster cluster = new Cluster(REDIS.server().uri(), 2)) {
            Transcript watcher = cluster.join(0, "crashed", "watcher", null);
            cluster.join(1, "crashed", "ann", null);
            watcher.await(e -> e.member().equals("ann"), Duration.ofSeconds(5));
            cluster.kill(1);
            long killed = System.nanoTime();
            ExecutionException taken = assertThrows(ExecutionException.class, () -> cluster.node(0)
                    .join("crashed", "ann", null, new Transcript()).get(10, TimeUnit.SECONDS));
            RoomException refusal = (RoomException) taken.getCause();
            assertEquals(RoomException.Reason.NAME_TAKEN, refusal.reason());
            Duration retryAfter = refusal.retryAfter().orElseThrow();
            long limit = RedisRoomLog.NODE_TTL_MILLIS + RedisRoomLog.REAP_DELAY_MILLIS;
            assertTrue(retryAfter.toMillis() > 0 && retryAfter.toMillis() <= limit, retryAfter.toString());
            assertTrue(refusal.getMessage().contains("if that node has stopped, it is free within "
                    + (retryAfter.toMillis() + 999) / 1000 + " s"), refusal.getMessage());
            // the reap that frees it comes at a beat of the other node: within the wait said
            Duration left = retryAfter.minusNanos(System.nanoTime() - killed);
            watcher.await(e -> e.kind() == RoomEvent.Kind.LEAVE && e.member().equals("ann"),
                    left.isNegative() ? Duration.ZERO : left);
            Transcript again = cluster.join(0, "crashed", "ann", null);
            assertEquals(List.of("ann", "watcher"), again.membership().present());
        }
    }

    /** A name held by a member of this very node is refused without a time to try again: nothing says it will go. */
    @Test
    void aNameHeldOnTheSameNodeIsRefusedWithoutATimeToTryAgain() throws Exception {
        try (Cluster cluster = new Cluster(REDIS.server().uri(), 1)) {
            cluster.join(0, "same", "ann", null);
            ExecutionException taken = assertThrows(ExecutionException.class, () -> cluster.node(0)
                    .join("same", "ann", null, new Transcript()).get(10, TimeUnit.SECONDS));
            assertTrue(((RoomException) taken.getCause()).retryAfter().isEmpty());
        }
    }

    /** Rooms on one node keep a node's limits: a name too long is refused at the call, before Redis sees it. */
    @Test
    void aNameLongerThanTheLimitIsRefusedAtTheCall() throws Exception {
        try (RedisRoomLog log = RedisRoomLog.connect(REDIS.server().uri());
             Rooms rooms = Rooms.on(log, "limits", new io.sockwave.room.RoomLimits(4, 1))) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> rooms.join("limits", "abcde", null, new Transcript()));
            assertEquals("a member name is at most 4 characters on this node, was 5", refused.getMessage());
        }
    }
}
