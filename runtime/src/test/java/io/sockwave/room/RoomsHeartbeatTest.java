package io.sockwave.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a node does when its log answers a heartbeat with "unknown node" (its members were reaped, or it is new),
 * on the in-memory log with heartbeats answered when and as each test says. Both cases were found by the cluster
 * soak (cli/cluster-soak.sh): members closed for nothing at a node's start, and members left present in the log
 * with nobody behind them.
 */
class RoomsHeartbeatTest {
    /** The in-memory log; each heartbeat waits in {@link #beats} for the test to answer it. */
    private static final class ScriptedLog implements RoomLog {
        final RoomLog log = RoomLog.inMemory();
        final BlockingQueue<CompletableFuture<Boolean>> beats = new LinkedBlockingQueue<>();

        CompletableFuture<Boolean> nextBeat() throws InterruptedException {
            CompletableFuture<Boolean> beat = beats.poll(10, TimeUnit.SECONDS);
            assertNotNull(beat, "no heartbeat within 10 s");
            return beat;
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
            return log.leave(room, member);
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
            CompletableFuture<Boolean> beat = new CompletableFuture<>();
            beats.add(beat);
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

    /** Records whether the room closed the membership. */
    private static final class Member implements RoomListener {
        volatile String closed;

        @Override
        public void onJoined(Membership joined) {
        }

        @Override
        public void onEvent(RoomEvent event) {
        }

        @Override
        public void onReset(String reason, RoomOffset resumesAfter) {
        }

        @Override
        public void onClosed(String reason) {
            closed = reason;
        }
    }

    private static Member join(Rooms rooms, String name) throws Exception {
        Member member = new Member();
        rooms.join("room", name, null, member).get(5, TimeUnit.SECONDS);
        return member;
    }

    private static List<String> logged(ScriptedLog log) throws Exception {
        return log.read("room", 0, 100).get(5, TimeUnit.SECONDS).events().stream()
                .map(event -> event.kind() + " " + event.member()).toList();
    }

    /**
     * A new node's first heartbeat is answered "unknown" (new to the log) after a member joined: the member's join
     * went to the log after the beat, so it is held under the node already and stays in.
     */
    @Test
    void theFirstHeartbeatsUnknownKeepsTheMembersJoinedMeanwhile() throws Exception {
        ScriptedLog log = new ScriptedLog();
        try (Rooms rooms = Rooms.on(log, "fresh")) {
            CompletableFuture<Boolean> first = log.nextBeat();
            Member early = join(rooms, "early");
            first.complete(false);
            // the answer is handled on the rooms' loop before this join, which comes after it there
            join(rooms, "later");
            assertEquals(null, early.closed);
            assertEquals(List.of("JOIN early", "JOIN later"), logged(log));
        }
    }

    /**
     * A later "unknown" makes the node join its members again; a name found taken may be taken by this very node
     * (the member's join reached the log after the reaping): the member is closed and its leave written, so that
     * it does not stay present with nobody behind it.
     */
    @Test
    void aMemberWhoseNameIsFoundTakenOnJoiningAgainIsClosedWithItsLeaveWritten() throws Exception {
        ScriptedLog log = new ScriptedLog();
        try (Rooms rooms = Rooms.on(log, "node")) {
            log.nextBeat().complete(true);
            Member member = join(rooms, "held");
            log.nextBeat().complete(false);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (member.closed == null && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals("the name held was taken while this node was cut off from the room", member.closed);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (logged(log).size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(List.of("JOIN held", "LEAVE held"), logged(log));
        }
    }
}
