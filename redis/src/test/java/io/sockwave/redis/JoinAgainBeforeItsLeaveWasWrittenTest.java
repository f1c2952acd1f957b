package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomException;
import io.sockwave.room.RoomLog;
import io.sockwave.room.RoomOffset;
import io.sockwave.room.Rooms;
import io.sockwave.testsupport.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Found by {@link RoomsChaosTest} (seed 3913015328882516094, long): a member left its node while Redis was paused
 * past the command timeout, so its leave failed and waited for the node's next beat, and the member came back to
 * the same node, resuming after its offset, before that beat. Redis still had the name as that node's, and answered
 * the join as it had answered the member's first one: a sequence number far behind the member's offset. The node took
 * the offset for one past the head, reset the member back to its first join and sent it again every event since.
 */
class JoinAgainBeforeItsLeaveWasWrittenTest {
    private static final String ROOM = "comeback";

    /** A node's log whose leaves are refused on demand, as Redis paused past the command timeout refuses them. */
    private static final class RefusingLeaves implements RoomLog {
        private final RoomLog log;
        private final AtomicInteger beats = new AtomicInteger();
        private volatile boolean refusing;
        /** Leaves held back, neither sent to Redis nor answered, until the test refuses them. */
        private volatile CompletableFuture<Boolean> held;
        private volatile boolean holding;

        RefusingLeaves(RoomLog log) {
            this.log = log;
        }

        /** Waits for the node's next beat, after which the next is 2 s away: time for what must come before it. */
        void awaitBeat() throws InterruptedException {
            int seen = beats.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (beats.get() == seen) {
                assertTrue(System.nanoTime() < deadline, "no beat within 5 s");
                Thread.sleep(5);
            }
        }

        @Override
        public void start(String nodeId, Signals signals) {
            log.start(nodeId, signals);
        }

        @Override
        public CompletableFuture<Joined> join(String room, String member) {
            return log.join(room, member);
        }

        @Override
        public CompletableFuture<Appended> append(String room, String member, String messageId, String text) {
            return log.append(room, member, messageId, text);
        }

        @Override
        public CompletableFuture<Boolean> leave(String room, String member) {
            if (holding) {
                holding = false;
                held = new CompletableFuture<>();
                return held;
            }
            return refusing ? CompletableFuture.failedFuture(refusal()) : log.leave(room, member);
        }

        /** Refuses the leave held back, as a command that timed out without reaching Redis is refused. */
        void refuseHeld() {
            held.completeExceptionally(refusal());
        }

        private static RoomException refusal() {
            return new RoomException(RoomException.Reason.UNAVAILABLE, "Command timed out (a test's refusal)");
        }

        @Override
        public CompletableFuture<Page> read(String room, long after, int limit) {
            return log.read(room, after, limit);
        }

        @Override
        public void watch(String room) {
            log.watch(room);
        }

        @Override
        public void unwatch(String room) {
            log.unwatch(room);
        }

        @Override
        public CompletableFuture<Boolean> heartbeat() {
            CompletableFuture<Boolean> beat = log.heartbeat();
            beats.incrementAndGet();
            return beat;
        }

        @Override
        public CompletableFuture<Integer> reapDeadNodes() {
            return log.reapDeadNodes();
        }

        @Override
        public void close() {
            log.close();
        }
    }

    @Test
    void aMemberBackOnTheNodeWhoseLeaveOfItWasRefusedResumesAfterItsOffsetWithNothingTwice() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE)) {
            RefusingLeaves log = new RefusingLeaves(RedisRoomLog.connect(redis.uri()));
            try (Rooms node = Rooms.on(log, "node-" + Rooms.randomNodeId())) {
                Transcript bob = new Transcript();
                node.join(ROOM, "bob", null, bob).get(5, TimeUnit.SECONDS);
                Transcript first = new Transcript();
                node.join(ROOM, "alice", null, first).get(5, TimeUnit.SECONDS);
                for (int i = 0; i < 3; i++) {
                    first.awaitOffset(bob.membership().publish("before-" + i, "before").get(5, TimeUnit.SECONDS),
                            Duration.ofSeconds(5));
                }
                RoomOffset had = first.lastOffset();

                log.awaitBeat();
                log.refusing = true;
                assertThrows(ExecutionException.class, () -> first.membership().leave().get(5, TimeUnit.SECONDS));
                log.refusing = false;
                RoomOffset missed = bob.membership().publish("missed", "missed").get(5, TimeUnit.SECONDS);
                Transcript again = new Transcript();
                node.join(ROOM, "alice", had, again).get(5, TimeUnit.SECONDS);
                again.awaitOffset(missed, Duration.ofSeconds(5));
                assertEquals(List.of(), again.resets(), "the member resumed after its offset");
                again.await(e -> e.kind() == RoomEvent.Kind.JOIN && e.member().equals("alice")
                        && e.offset().sequence() > missed.sequence(), Duration.ofSeconds(5));
                again.assertGapless(had, "alice");
                assertEquals(missed, again.events().get(0).offset(), "the first event is the one it missed");
                List<String> alice = new Cluster(redis.uri(), 0).log(ROOM).stream()
                        .filter(e -> e.member().equals("alice")).map(e -> e.kind() + " " + e.offset().sequence())
                        .toList();
                assertEquals(List.of("JOIN 2", "LEAVE " + (missed.sequence() + 1), "JOIN " + (missed.sequence() + 2)),
                        alice, "its join, then the leave it was refused, written before its join again");
            }
        }
    }

    /**
     * The narrower window left by the fix above: the member came back while its leave was still on its way, so the
     * leave was not yet known to be refused, and the join went to Redis at once, behind a leave that never reached it
     * (a command that timed out in Lettuce's queue while Redis was unreachable). Redis answered the join as the first
     * one, as above. The join now waits for the answer to the leave on its way, and writes it again first if it was
     * refused.
     */
    @Test
    void aMemberBackWhileItsLeaveIsOnItsWayResumesAfterItsOffsetWithNothingTwiceWhenTheLeaveIsRefused()
            throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE)) {
            RefusingLeaves log = new RefusingLeaves(RedisRoomLog.connect(redis.uri()));
            try (Rooms node = Rooms.on(log, "node-" + Rooms.randomNodeId())) {
                Transcript bob = new Transcript();
                node.join(ROOM, "bob", null, bob).get(5, TimeUnit.SECONDS);
                Transcript first = new Transcript();
                node.join(ROOM, "alice", null, first).get(5, TimeUnit.SECONDS);
                first.awaitOffset(bob.membership().publish("before", "before").get(5, TimeUnit.SECONDS),
                        Duration.ofSeconds(5));
                RoomOffset had = first.lastOffset();

                log.awaitBeat();
                log.holding = true;
                CompletableFuture<Void> leaving = first.membership().leave();
                RoomOffset missed = bob.membership().publish("missed", "missed").get(5, TimeUnit.SECONDS);
                Transcript again = new Transcript();
                CompletableFuture<?> joining = node.join(ROOM, "alice", had, again);
                // the rooms' calls go out in order on one connection: once a later join is answered, alice's join,
                // had it gone out at once, ran in Redis before the leave's refusal came back
                node.join(ROOM, "zed", null, new Transcript()).get(5, TimeUnit.SECONDS);
                log.refuseHeld();
                assertThrows(ExecutionException.class, () -> leaving.get(5, TimeUnit.SECONDS));
                joining.get(5, TimeUnit.SECONDS);
                again.awaitOffset(missed, Duration.ofSeconds(5));
                assertEquals(List.of(), again.resets(), "the member resumed after its offset");
                again.await(e -> e.kind() == RoomEvent.Kind.JOIN && e.member().equals("alice")
                        && e.offset().sequence() > missed.sequence(), Duration.ofSeconds(5));
                again.assertGapless(had, "alice");
                assertEquals(missed, again.events().get(0).offset(), "the first event is the one it missed");
                assertEquals(1, again.events().stream().filter(e -> e.text().equals("missed")).count(),
                        "the message it missed, once");
                List<String> alice = new Cluster(redis.uri(), 0).log(ROOM).stream()
                        .filter(e -> e.member().equals("alice")).map(e -> e.kind().toString()).toList();
                assertEquals(List.of("JOIN", "LEAVE", "JOIN"), alice,
                        "its join, then the leave it was refused, written before its join again");
            }
        }
    }
}
