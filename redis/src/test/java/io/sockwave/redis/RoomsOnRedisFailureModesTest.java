package io.sockwave.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sockwave.room.RoomEvent;
import io.sockwave.room.RoomException;
import io.sockwave.room.RoomLog;
import io.sockwave.room.RoomOffset;
import io.sockwave.room.Rooms;
import io.sockwave.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Rooms on a real Redis when things go wrong: a reply lost with the connection (and the command sent again), Redis
 * back with older data, a node cut off and reaped, a member reusing another's message id, names and ids that could
 * reach other keys, a Turkish locale, a close while a join is under way.
 */
class RoomsOnRedisFailureModesTest {
    /** Signals for a log whose appends and reconnections the test does not follow. */
    private static final RoomLog.Signals NO_SIGNALS = new RoomLog.Signals() {
        @Override
        public void appended(String room, long sequence) {
        }

        @Override
        public void reconnected() {
        }
    };

    private static List<RoomEvent> rawLog(String uri, String room) throws Exception {
        try (RedisRoomLog reader = RedisRoomLog.connect(uri)) {
            List<RoomEvent> all = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                RoomLog.Page page = reader.read(room, all.isEmpty() ? 0 : all.get(all.size() - 1).offset().sequence(),
                        500).get(10, TimeUnit.SECONDS);
                all.addAll(page.events());
                if (page.events().isEmpty()) {
                    break;
                }
            }
            return all;
        }
    }

    /**
     * Lettuce's default reliability is at-least-once: a command written to Redis whose reply is lost with the
     * connection is written again after the reconnect, so sw_append runs twice: a publish without a message id is
     * still appended once.
     */
    @Test
    void aPublishWhoseReplyWasLostIsAppendedOnce() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             ReplyDroppingProxy proxy = new ReplyDroppingProxy(redis.port());
             Rooms node = Rooms.on(RedisRoomLog.connect(proxy.uri()), "proxied")) {
            Transcript speaker = new Transcript();
            node.join("retx", "speaker", null, speaker).get(10, TimeUnit.SECONDS);
            proxy.arm("sw_append");
            RoomOffset acked = speaker.membership().publish("", "said once").get(15, TimeUnit.SECONDS);
            assertEquals(1, proxy.cut(), "the reply of the append was dropped");
            List<RoomEvent> log = rawLog(redis.uri(), "retx");
            List<RoomEvent> copies = log.stream().filter(e -> e.text().equals("said once")).toList();
            assertEquals(1, copies.size(), "acknowledged at " + acked + ", in the log: " + copies);
        }
    }

    /**
     * The same replay for a join: the first sw_join registers the member under this node; the replayed one finds the
     * name held by this very node and answers as the first did, rather than refuse the join and leave the name held
     * by nobody.
     */
    @Test
    void aJoinWhoseReplyWasLostDoesNotLeaveTheNameHeldByNobody() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             ReplyDroppingProxy proxy = new ReplyDroppingProxy(redis.port());
             Rooms node = Rooms.on(RedisRoomLog.connect(proxy.uri()), "proxied");
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect()) {
            Beats.awaitFirst(connection.sync(), "proxied", Duration.ofSeconds(10));
            proxy.arm("sw_join");
            Throwable firstError = null;
            try {
                node.join("ghost", "alice", null, new Transcript()).get(15, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                firstError = e.getCause();
            }
            assertEquals(1, proxy.cut(), "the reply of the join was dropped");
            Throwable againError = null;
            if (firstError != null) {
                try {
                    node.join("ghost", "alice", null, new Transcript()).get(15, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    againError = e.getCause();
                }
            }
            assertNull(firstError, "the join whose reply was lost failed: " + firstError
                    + "; joining alice again then: " + againError + "; the log: " + rawLog(redis.uri(), "ghost"));
        }
    }

    /**
     * The same replay for a heartbeat: the first beat of a node that was reaped finds it unknown (so the node joins
     * its members again); if its reply is lost, the replayed beat must answer the same, not "known" because the
     * first one registered the node, else the node's members stay absent from Redis while they live on it.
     */
    @Test
    void aHeartbeatWhoseReplyWasLostStillTellsAReapedNodeToJoinItsMembersAgain() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             ReplyDroppingProxy proxy = new ReplyDroppingProxy(redis.port());
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect();
             Rooms node = Rooms.on(RedisRoomLog.connect(proxy.uri()), "proxied")) {
            node.join("beats", "alice", null, new Transcript()).get(10, TimeUnit.SECONDS);
            var keys = connection.sync();
            String nodeId = keys.smembers("sw:nodes").stream().filter(n -> n.startsWith("proxied~")).findFirst()
                    .orElseThrow();
            // the node's lease runs out (a pause) and it is reaped whole, at once
            keys.multi();
            keys.del("sw:node:" + nodeId + ":alive");
            keys.fcall("sw_reap", ScriptOutputType.MULTI, new String[0], "10000", "500", "60000", "reaper", "", "0",
                    RedisRoomLog.LIBRARY_VERSION);
            keys.exec();
            assertEquals(0L, keys.hlen("sw:{beats}:members"));
            proxy.arm("sw_beat");
            long present = 0;
            for (int i = 0; i < 150 && present == 0; i++) {
                TimeUnit.MILLISECONDS.sleep(100);
                present = keys.hlen("sw:{beats}:members");
            }
            assertEquals(1, proxy.cut(), "the reply of a beat was dropped");
            assertEquals(1L, present, "alice, alive on her node, present in Redis again");
        }
    }

    /**
     * Redis comes back from a crash with an older state of the room (an RDB snapshot, or the last second that
     * {@code appendfsync everysec} had not written): the epoch key is the same, but the sequence went back. The live
     * nodes' cursors are past the new head: the messages acknowledged after the restart under the sequences given
     * out again reach their members, or the members get a reset; never are they skipped silently.
     */
    @Test
    void messagesAcknowledgedAfterRedisCameBackWithAnOlderStateReachTheMembers() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             Cluster cluster = new Cluster(redis.uri(), 2);
             RedisClient admin = RedisClient.create(redis.uri())) {
            Transcript speaker = cluster.join(0, "rollback", "speaker", null);
            Transcript listener = cluster.join(1, "rollback", "listener", null);
            for (int i = 0; i < 5; i++) {
                speaker.membership().publish("before-" + i, "before " + i).get(5, TimeUnit.SECONDS);
            }
            try (StatefulRedisConnection<String, String> connection = admin.connect()) {
                assertEquals("OK", connection.sync().save());
            }
            RoomOffset last = null;
            for (int i = 0; i < 10; i++) {
                last = speaker.membership().publish("lost-" + i, "lost in the crash " + i).get(5, TimeUnit.SECONDS);
            }
            listener.awaitOffset(last, Duration.ofSeconds(5));
            redis.crashAndRestart(); // reloads the snapshot: the room's sequence is 7 again, its epoch the same
            List<String> acknowledged = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String id = "after-" + i;
                for (int attempt = 0; attempt < 20; attempt++) {
                    try {
                        RoomOffset offset = speaker.membership().publish(id, "after " + i).get(15, TimeUnit.SECONDS);
                        acknowledged.add(id + "@" + offset);
                        break;
                    } catch (ExecutionException refused) {
                        TimeUnit.MILLISECONDS.sleep(250);
                    }
                }
            }
            assertEquals(5, acknowledged.size(), "all acknowledged after the restart: " + acknowledged);
            // Several periodic reads, which a loaded machine may run late: waits for all five or a reset.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<String> received = afterTheRestart(listener);
            while (received.size() < 5 && listener.resets().isEmpty() && System.nanoTime() - deadline < 0) {
                TimeUnit.MILLISECONDS.sleep(50);
                received = afterTheRestart(listener);
            }
            assertTrue(received.size() == 5 || !listener.resets().isEmpty(),
                    "acknowledged after the restart: " + acknowledged + "; the listener on the other node received: "
                            + received + ", resets: " + listener.resets());
        }
    }

    private static List<String> afterTheRestart(Transcript listener) {
        return listener.events().stream().filter(e -> e.messageId().startsWith("after-"))
                .map(e -> e.messageId() + "@" + e.offset()).toList();
    }

    /**
     * A node cut off long enough to be reaped, whose member joined after the reaping but before the node's next
     * heartbeat (joins queued while cut off reach Redis that way): the heartbeat answers "unknown", the node joins
     * its members again and finds this member's name held by itself: the member stays.
     */
    @Test
    void aMemberThatJoinedAfterItsNodeWasReapedIsNotClosedAsIfItsNameWereTaken() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             Cluster cluster = new Cluster(redis.uri(), 1);
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect()) {
            Transcript old = cluster.join(0, "lapse", "old", null);
            String prefix = cluster.node(0).nodeId() + "~";
            String node = connection.sync().smembers("sw:nodes").stream().filter(n -> n.startsWith(prefix))
                    .findFirst().orElseThrow();
            // the lease ran out and another node reaped this one (as after a cut of more than 10 s)
            connection.sync().del("sw:node:" + node + ":alive");
            Long reaped = (Long) connection.sync().<List<Object>>fcall("sw_reap", ScriptOutputType.MULTI,
                    new String[0], "10000", "500", "60000", "reaper", "", "0",
                    RedisRoomLog.LIBRARY_VERSION).get(0);
            assertEquals(1L, reaped);
            Transcript fresh = cluster.join(0, "lapse", "fresh", null);
            Beats.awaitEveryNode(connection.sync(), 2, Duration.ofSeconds(10));
            String holder = connection.sync().hget("sw:{lapse}:members", "fresh");
            assertNull(fresh.closedReason(), "fresh was closed though nobody else took its name; its name is now"
                    + " held by " + holder + "; the log: " + rawLog(redis.uri(), "lapse"));
        }
    }

    /**
     * A node reaped while alive joins its members again at its next heartbeat; a join Redis refuses for another
     * reason than a taken name (here an error of the function, as a Redis refusing writes would answer) is retried
     * with backoff while the member lives, so that once Redis takes it the member is present again, rather than live
     * on its node and absent from Redis for good.
     */
    @Test
    void aMemberWhoseJoinAgainFailedIsJoinedAgainOnceRedisTakesIt() throws Exception {
        String library;
        try (java.io.InputStream in = RedisRoomLog.class.getResourceAsStream("rooms.lua")) {
            library = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        String joinStart = "redis.register_function('sw_join', function(keys, args)\n";
        assertTrue(library.contains(joinStart));
        String refusing = library.replace(joinStart, joinStart + "  redis.call('INCR', 'test:refused-joins')\n"
                + "  if true then return redis.error_reply('ERR refused for the test') end\n");
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             Cluster cluster = new Cluster(redis.uri(), 1);
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect()) {
            Transcript kept = cluster.join(0, "refusing", "kept", null);
            String prefix = cluster.node(0).nodeId() + "~";
            String node = connection.sync().smembers("sw:nodes").stream().filter(n -> n.startsWith(prefix))
                    .findFirst().orElseThrow();
            connection.sync().functionLoad(refusing, true);
            connection.sync().del("sw:node:" + node + ":alive");
            Long reaped = (Long) connection.sync().<List<Object>>fcall("sw_reap", ScriptOutputType.MULTI,
                    new String[0], "10000", "500", "60000", "reaper", "", "0",
                    RedisRoomLog.LIBRARY_VERSION).get(0);
            assertEquals(1L, reaped);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            while (connection.sync().get("test:refused-joins") == null && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            assertNotNull(connection.sync().get("test:refused-joins"), "the node did not try to join kept again");
            connection.sync().functionLoad(library, true);
            String holder = null;
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            while (holder == null && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100);
                holder = connection.sync().hget("sw:{refusing}:members", "kept");
            }
            assertEquals(node, holder, "kept is live on its node (closed: " + kept.closedReason() + ") but absent"
                    + " from Redis after " + connection.sync().get("test:refused-joins") + " refused joins; the log: "
                    + rawLog(redis.uri(), "refusing"));
            assertNull(kept.closedReason());
        }
    }

    /**
     * Redis restarts from an older snapshot, and the first call after it is an append by a node that had read
     * further: the node tells Redis what it had, so the room starts a new epoch at once. Without it, the append
     * reused a sequence number of the old epoch, and a node that knew nothing could append past the first node's
     * cursor before any read, so that the first node would read the events that followed as if they followed what it
     * had: a silent gap.
     */
    @Test
    void aRollbackIsDetectedByTheFirstCallOfANodeThatHadMore() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisClient admin = RedisClient.create(redis.uri());
             RedisRoomLog knowing = RedisRoomLog.connect(redis.uri());
             RedisRoomLog stranger = RedisRoomLog.connect(redis.uri())) {
            knowing.start("knowing", NO_SIGNALS);
            stranger.start("stranger", NO_SIGNALS);
            knowing.watch("rewound");
            knowing.join("rewound", "speaker").get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 4; i++) {
                knowing.append("rewound", "speaker", "kept-" + i, "kept " + i).get(5, TimeUnit.SECONDS);
            }
            try (StatefulRedisConnection<String, String> connection = admin.connect()) {
                assertEquals("OK", connection.sync().save());
            }
            RoomLog.Appended head = null;
            for (int i = 0; i < 10; i++) {
                head = knowing.append("rewound", "speaker", "lost-" + i, "lost " + i).get(5, TimeUnit.SECONDS);
            }
            redis.crashAndRestart(); // back at sequence 5 of the same epoch
            RoomLog.Appended first = null;
            for (int attempt = 0; attempt < 40 && first == null; attempt++) {
                try {
                    first = knowing.append("rewound", "speaker", "after", "after the restart").get(15, TimeUnit.SECONDS);
                } catch (ExecutionException refused) {
                    TimeUnit.MILLISECONDS.sleep(250);
                }
            }
            assertNotNull(first, "no append was taken after the restart");
            for (int i = 0; i < 15; i++) {
                stranger.append("rewound", "other", "past-" + i, "past " + i).get(15, TimeUnit.SECONDS);
            }
            RoomLog.Page page = knowing.read("rewound", head.sequence(), 500).get(5, TimeUnit.SECONDS);
            assertNotEquals(head.epoch(), first.epoch(), "the append after the rollback took " + first.sequence()
                    + " in the epoch where " + head.sequence() + " was given out before");
            assertNotEquals(head.epoch(), page.epoch(), "reading past " + head.sequence() + " gave " + page.events()
                    + " as if they followed it");
        }
    }

    /**
     * Redis back from a snapshot taken before a member joined, its node still known (its lease survives a quick
     * restart): the member is alive on its node but absent from the room's members. The rollback is detected (a new
     * epoch), and with it the node must announce its members again, else the name is free for another node while its
     * holder is still there (guarantee 5: names unique across nodes) and the member is missing from presence.
     */
    @Test
    void aMemberWhoseJoinARollbackLostIsPresentAgainAndItsNameStaysTaken() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             Cluster cluster = new Cluster(redis.uri(), 2);
             RedisClient admin = RedisClient.create(redis.uri())) {
            Transcript alice = cluster.join(0, "rewound", "alice", null);
            try (StatefulRedisConnection<String, String> connection = admin.connect()) {
                // both nodes' beats since alice's join are in the snapshot
                Beats.awaitEveryNode(connection.sync(), 1, Duration.ofSeconds(10));
                assertEquals("OK", connection.sync().save());
            }
            Transcript bob = cluster.join(0, "rewound", "bob", null);
            bob.membership().publish("lost", "lost with the rollback").get(5, TimeUnit.SECONDS);
            redis.crashAndRestart();
            for (int i = 0; i < 100 && alice.resets().isEmpty(); i++) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            assertEquals(1, alice.resets().size(), "the rollback detected: " + alice.resets());
            TimeUnit.SECONDS.sleep(2); // the node's answer to it
            Map<String, String> members = Map.of();
            try (StatefulRedisConnection<String, String> connection = admin.connect()) {
                members = connection.sync().hgetall("sw:{rewound}:members");
            }
            assertEquals(Set.of("alice", "bob"), members.keySet(), "members in Redis; bob is alive on its node");
            ExecutionException taken = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> cluster.join(1, "rewound", "bob", null), "a second bob joined on the other node");
            assertEquals(RoomException.Reason.NAME_TAKEN, ((RoomException) taken.getCause()).reason());
            assertNull(bob.closedReason(), "bob closed");
        }
    }

    /**
     * Redis restarted empty: the room starts again under one new epoch, which this node learns from its first append
     * there, while its members' cursors, of the lost epoch, are still past the new log's head. The read with those
     * cursors must not take that for a rollback of the new epoch and start the room over a second time (every
     * member of every node would get a second reset and the log again from its start).
     */
    @Test
    void aReadWithCursorsOfALostEpochDoesNotStartTheNewEpochOver() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             RedisRoomLog log = RedisRoomLog.connect(redis.uri())) {
            log.start("reader", NO_SIGNALS);
            log.watch("emptied");
            log.join("emptied", "speaker").get(5, TimeUnit.SECONDS);
            RoomLog.Appended head = null;
            for (int i = 0; i < 10; i++) {
                head = log.append("emptied", "speaker", "old-" + i, "old " + i).get(5, TimeUnit.SECONDS);
            }
            redis.crashAndRestart(); // without persistence: the room is gone
            RoomLog.Appended first = null;
            for (int attempt = 0; attempt < 40 && first == null; attempt++) {
                try {
                    first = log.append("emptied", "speaker", "new", "in the new epoch").get(15, TimeUnit.SECONDS);
                } catch (ExecutionException refused) {
                    TimeUnit.MILLISECONDS.sleep(250);
                }
            }
            assertNotNull(first, "no append was taken after the restart");
            assertNotEquals(head.epoch(), first.epoch());
            RoomLog.Page page = log.read("emptied", head.sequence(), 500).get(5, TimeUnit.SECONDS);
            assertEquals(first.epoch(), page.epoch(), "the room started over again at a read with the old cursor");
        }
    }

    /**
     * A message id is its sender's. In the chat, ids come from the clients and every message event carries its
     * sender's id to everyone: another member that sends a message under an id already used (by mistake or on
     * purpose: the page's ids are PAGEID-N) must not get an ack, with the other member's offset, for a message that
     * is never appended.
     */
    @Test
    void anotherMembersMessageIdDoesNotSwallowAMessage() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             Cluster cluster = new Cluster(redis.uri(), 2)) {
            Transcript alice = cluster.join(0, "ids", "alice", null);
            Transcript bob = cluster.join(1, "ids", "bob", null);
            RoomOffset alices = alice.membership().publish("p1-1", "from alice").get(5, TimeUnit.SECONDS);
            RoomOffset bobs = bob.membership().publish("p1-1", "from bob").get(5, TimeUnit.SECONDS);
            List<RoomEvent> log = rawLog(redis.uri(), "ids");
            assertTrue(log.stream().anyMatch(e -> e.member().equals("bob") && e.text().equals("from bob")),
                    "bob's message was acknowledged at " + bobs + " (alice's is at " + alices + ") but the log is "
                            + log);
        }
    }

    /**
     * Keys are {@code sw:{ROOM}:PART}: were a message id put into PART as it is, a message id {@code x}:log} in room
     * {@code a} would be the log key of the room {@code a}:mid:x} (Rooms accepts any room name), and a function's
     * writes before a failing XADD would stay (a function is not rolled back). Ids are hashed into the key.
     */
    @Test
    void aMessageIdInOneRoomDoesNotBreakAnotherRoom() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             Cluster cluster = new Cluster(redis.uri(), 1)) {
            Transcript alice = cluster.join(0, "a", "alice", null);
            alice.membership().publish("x}:log", "an ordinary message with an odd id").get(5, TimeUnit.SECONDS);
            Throwable first = null;
            Throwable again = null;
            try {
                cluster.join(0, "a}:mid:x", "bob", null);
            } catch (ExecutionException e) {
                first = e.getCause();
                try {
                    cluster.join(0, "a}:mid:x", "bob", null);
                } catch (ExecutionException e2) {
                    again = e2.getCause();
                }
            }
            assertNull(first, "joining the room a}:mid:x failed: " + first + "; joining again: " + again);
        }
    }

    /** Rooms on Redis opened and closed leave no thread behind. */
    @Test
    void closingRoomsOnRedisLeavesNoThreads() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE)) {
            try (Rooms warm = Rooms.on(RedisRoomLog.connect(redis.uri()), "warm")) {
                warm.join("t", "m", null, new Transcript()).get(10, TimeUnit.SECONDS);
            }
            TimeUnit.SECONDS.sleep(3);
            int before = Thread.activeCount();
            for (int i = 0; i < 5; i++) {
                try (Rooms rooms = Rooms.on(RedisRoomLog.connect(redis.uri()), "n" + i)) {
                    rooms.join("t", "m" + i, null, new Transcript()).get(10, TimeUnit.SECONDS);
                }
            }
            // Closed clients' threads end soon after, not at once: a loaded machine may take seconds.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (Thread.activeCount() > before + 1 && System.nanoTime() - deadline < 0) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            List<String> names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList();
            assertTrue(Thread.activeCount() <= before + 1, "threads before: " + before + ", after: " + names);
        }
    }

    /** A node whose rooms' thread stalls (as in a long GC pause) past its lease is reaped, then comes back whole. */
    @Test
    void aNodeStalledPastItsLeaseComesBackWithItsMembers() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             Cluster cluster = new Cluster(redis.uri(), 2);
             RedisClient admin = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = admin.connect()) {
            Transcript watcher = cluster.join(0, "stall", "watcher", null);
            Transcript sleeper = new Transcript();
            io.sockwave.room.RoomListener stalling = new io.sockwave.room.RoomListener() {
                private boolean slept;

                @Override
                public void onJoined(io.sockwave.room.Membership membership) {
                    sleeper.onJoined(membership);
                }

                @Override
                public void onEvent(RoomEvent event) {
                    sleeper.onEvent(event);
                    if (!slept && event.text().equals("stall now")) {
                        slept = true;
                        try {
                            TimeUnit.SECONDS.sleep(13); // holds the node's only rooms thread: no heartbeat
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }

                @Override
                public void onReset(String reason, RoomOffset resumesAfter) {
                    sleeper.onReset(reason, resumesAfter);
                }

                @Override
                public void onClosed(String reason) {
                    sleeper.onClosed(reason);
                }
            };
            cluster.node(1).join("stall", "sleeper", null, stalling).get(10, TimeUnit.SECONDS);
            watcher.membership().publish("", "stall now").get(5, TimeUnit.SECONDS);
            watcher.await(e -> e.kind() == RoomEvent.Kind.LEAVE && e.member().equals("sleeper"), Duration.ofSeconds(16));
            RoomOffset left = watcher.await(e -> e.kind() == RoomEvent.Kind.LEAVE && e.member().equals("sleeper"),
                    Duration.ZERO).offset();
            // the stall ends, the node's next beat says it was reaped, and it joins its member again
            watcher.await(e -> e.kind() == RoomEvent.Kind.JOIN && e.member().equals("sleeper")
                    && e.offset().sequence() > left.sequence(), Duration.ofSeconds(16));
            RoomOffset after = watcher.membership().publish("", "after the stall").get(5, TimeUnit.SECONDS);
            sleeper.awaitOffset(after, Duration.ofSeconds(10));
            sleeper.assertGapless(null, "sleeper");
            assertNull(sleeper.closedReason());
            String holder = connection.sync().hget("sw:{stall}:members", "sleeper");
            assertTrue(holder != null && holder.startsWith(cluster.node(1).nodeId() + "~"),
                    "sleeper held by " + holder + "; log " + rawLog(redis.uri(), "stall"));
        }
    }

    /**
     * The stream's kinds are read independently of the default locale: in a Turkish (or Azeri) one,
     * {@code toUpperCase()} makes "join" "JOİN", no page holding a join would parse, and members would get nothing.
     */
    @Test
    void eventsAreReadInATurkishLocale() throws Exception {
        java.util.Locale saved = java.util.Locale.getDefault();
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE)) {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
            try (Cluster cluster = new Cluster(redis.uri(), 1)) {
                Transcript member = cluster.join(0, "locale", "ayse", null);
                RoomOffset said = member.membership().publish("", "merhaba").get(5, TimeUnit.SECONDS);
                member.awaitOffset(said, Duration.ofSeconds(5));
            }
        } finally {
            java.util.Locale.setDefault(saved);
        }
    }

    /** A join under way when the node's rooms close completes (refused), rather than never. */
    @Test
    void aJoinUnderWayWhenTheRoomsCloseCompletes() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE)) {
            Rooms rooms = Rooms.on(RedisRoomLog.connect(redis.uri()), "closing");
            TimeUnit.MILLISECONDS.sleep(300);
            redis.pause();
            java.util.concurrent.CompletableFuture<?> join;
            try {
                join = rooms.join("late", "m", null, new Transcript());
                TimeUnit.MILLISECONDS.sleep(300);
                rooms.close();
            } finally {
                redis.resume();
            }
            try {
                join.get(15, TimeUnit.SECONDS);
            } catch (ExecutionException refused) {
                return; // refused: fine
            } catch (java.util.concurrent.TimeoutException hung) {
                throw new AssertionError("the join's future never completed after close()", hung);
            }
        }
    }
}
