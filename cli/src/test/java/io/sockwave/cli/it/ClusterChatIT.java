package io.sockwave.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sockwave.cli.it.SockwaveProcess.Served;
import io.sockwave.testsupport.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code sockwave serve --redis} nodes as separate processes on one real redis-server (issue #16): a room spans
 * the nodes, with one order, resume on any node, names unique across them, leaves for a killed node's members and
 * a draining shutdown. The nodes are started once, in parallel, and each test has a room of its own; the tests that
 * stop a node run last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterChatIT {
    /** The keys of a room, which a room forgotten has none of. */
    private static final List<String> ROOM_PARTS = List.of("log", "seq", "epoch", "members", "joined");
    private static RedisServer redis;
    private static final List<Served> nodes = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        redis = RedisServer.start(RedisServer.Persistence.NONE);
        List<SockwaveProcess> started = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            started.add(SockwaveProcess.start("serve", "--host", "127.0.0.1", "--port", "0", "--quiet",
                    "--redis", redis.uri(), "--node-id", "n" + i, "--max-rooms-per-name", "3"));
        }
        for (SockwaveProcess process : started) {
            nodes.add(new Served(process, process.awaitPort(java.time.Duration.ofSeconds(90))));
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        nodes.forEach(Served::close);
        redis.close();
    }

    private static ChatProbe join(int node, String room, String query) throws Exception {
        return ChatProbe.connect(nodes.get(node).uri("ws", "/chat/" + room + "?" + query));
    }

    private static long sequence(Map<String, Object> event) {
        String offset = (String) event.get("offset");
        return Long.parseLong(offset.substring(offset.lastIndexOf('-') + 1));
    }

    /** @return the next {@code count} message events, each checked to follow the previous event without a gap */
    private static List<String> messages(ChatProbe client, long after, int count) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long previous = after;
        while (seen.size() < count) {
            Map<String, Object> event = client.next();
            assertEquals(previous + 1, sequence(event), "no gap, no repeat: " + event);
            previous = sequence(event);
            if ("message".equals(event.get("type"))) {
                seen.add(event.get("offset") + " " + event.get("id"));
            }
        }
        return seen;
    }

    @Test
    @Order(1)
    void everyClientOnEveryNodeSeesTheRoomInOneOrder() throws Exception {
        List<ChatProbe> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(join(i, "order", "name=c" + i));
            clients.get(i).next();
        }
        long lastJoin = 0;
        for (ChatProbe client : clients) {
            lastJoin = sequence(client.skipTo(e -> "c2".equals(e.get("name"))));
        }
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 3; i++) {
                clients.get(i).say("c" + i + "-" + round, "round " + round);
            }
        }
        List<String> first = messages(clients.get(0), lastJoin, 30);
        for (ChatProbe client : clients.subList(1, 3)) {
            assertEquals(first, messages(client, lastJoin, 30));
        }
        for (ChatProbe client : clients) {
            for (int i = 0; i < 10; i++) {
                assertEquals("ack", client.ack().get("type"));
            }
        }
    }

    /**
     * Twenty clients over the three nodes; in each of five rounds the speaker says ten messages, two clients (10 %)
     * have their TCP connection cut and come back on another node with since: every client's events, across its
     * connections, are contiguous up to the speaker's last message, so none missed or repeated anything.
     */
    @Test
    @Order(2)
    void clientsWhoseConnectionsAreCutResumeExactlyOnAnotherNode() throws Exception {
        ChatProbe speaker = join(0, "cuts", "name=speaker");
        speaker.next();
        List<ChatProbe> clients = new ArrayList<>();
        List<Long> last = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ChatProbe client = join(i % 3, "cuts", "name=k" + i);
            clients.add(client);
            last.add(sequence(client.next()) - 1);
        }
        String epoch = null;
        for (int round = 0; round < 5; round++) {
            long said = 0;
            for (int m = 0; m < 10; m++) {
                speaker.say("s-" + round + "-" + m, "round " + round);
                Map<String, Object> ack = speaker.ack();
                said = sequence(ack);
                String offset = (String) ack.get("offset");
                epoch = offset.substring(0, offset.lastIndexOf('-'));
            }
            for (int i = 0; i < clients.size(); i++) {
                last.set(i, readThrough(clients.get(i), last.get(i), said));
            }
            for (int cut = 0; cut < 2; cut++) {
                int i = (round * 2 + cut) % clients.size();
                clients.get(i).probe().abort();
                int node = (i + round + 1) % 3;
                ChatProbe back = join(node, "cuts", "name=k" + i + "-" + round + "&since=" + epoch + "-" + last.get(i));
                assertEquals("welcome", back.next().get("type"));
                clients.set(i, back);
            }
        }
        speaker.say("end", "the end");
        long end = sequence(speaker.ack());
        for (int i = 0; i < clients.size(); i++) {
            readThrough(clients.get(i), last.get(i), end);
        }
    }

    /** Reads a client's events after {@code after} up to {@code through}, each the next sequence number. */
    private static long readThrough(ChatProbe client, long after, long through) throws InterruptedException {
        long previous = after;
        while (previous < through) {
            Map<String, Object> event = client.next();
            assertEquals(previous + 1, sequence(event), "no gap, no repeat: " + event);
            previous = sequence(event);
        }
        return previous;
    }

    /**
     * --room-retention: a room without members keeps its log that long in Redis, then is forgotten; a client resuming
     * into it after that gets a reset, and the room starts over under a new epoch.
     */
    @Test
    @Order(2)
    void aRoomWithoutMembersIsForgottenAfterItsRetentionAndAResumeGetsAReset() throws Exception {
        SockwaveProcess process = SockwaveProcess.start("serve", "--host", "127.0.0.1", "--port", "0", "--quiet",
                "--redis", redis.uri(), "--node-id", "brief", "--room-retention", "1s");
        try (Served node = new Served(process, process.awaitPort(java.time.Duration.ofSeconds(90)))) {
            String offset;
            try (ChatProbe alice = ChatProbe.connect(node.uri("ws", "/chat/fleeting?name=alice"))) {
                alice.next();
                alice.say("a-1", "soon forgotten");
                offset = (String) alice.ack().get("offset");
            }
            String epoch = offset.substring(0, offset.lastIndexOf('-'));
            awaitForgotten("fleeting");
            try (ChatProbe back = ChatProbe.connect(node.uri("ws", "/chat/fleeting?name=alice&since=" + offset))) {
                Map<String, Object> reset = back.skipTo(e -> "reset".equals(e.get("type")));
                String after = (String) reset.get("offset");
                assertFalse(after.startsWith(epoch + "-"), "a new epoch, not " + epoch + ": " + reset);
            }
        }
    }

    /**
     * Waits for a room's keys to leave Redis (sockwave-redis's layout, redis/README.md): the retention runs from
     * whenever the node wrote its member's leave, which a loaded machine may do late.
     */
    private static void awaitForgotten(String room) throws InterruptedException {
        List<String> keys = ROOM_PARTS.stream().map(part -> "sw:{" + room + "}:" + part).toList();
        try (RedisClient client = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = client.connect()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long left = connection.sync().exists(keys.toArray(String[]::new));
            while (left > 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(50);
                left = connection.sync().exists(keys.toArray(String[]::new));
            }
            assertEquals(0, left, "keys of " + room + " left 30 s after its member left, with a retention of 1 s");
        }
    }

    @Test
    @Order(2)
    void aNameIsTakenOnceAcrossNodes() throws Exception {
        join(0, "names", "name=alice").next();
        // Another node cannot tell a live holder from one that crashed within its lease: the reason says both, and
        // when the name is free in the second case. It promised "try again then", which a live holder refuses again.
        WsProbe.Close elsewhere = join(1, "names", "name=alice").probe().awaitClose();
        assertEquals(1013, elsewhere.code());
        assertTrue(elsewhere.reason().matches("the name alice may be in use on another node; if that node stopped,"
                + " the name is free in \\d+ s"), elsewhere.reason());
        // this node knows its holder is connected, and that its keepalive (30 s) ends it within 60 s if it is gone
        WsProbe.Close here = join(0, "names", "name=alice").probe().awaitClose();
        assertEquals(1013, here.code());
        assertEquals("the name alice is taken in this room; if its connection dropped, the name is free within 60 s",
                here.reason());
    }

    /**
     * A name longer than the node's --max-name-length (24) is closed with 1008, not made a guest; one name in more
     * rooms than --max-rooms-per-name (3 here) is closed with 1008, on the node that holds them and on any other
     * (the bound was a node's: the name could be in 3 more rooms on each node).
     */
    @Test
    @Order(2)
    void aNamesLengthAndTheRoomsOfANameAreBoundedOverTheWire() throws Exception {
        WsProbe.Close tooLong = join(0, "bounds", "name=" + "x".repeat(25)).probe().awaitClose();
        assertEquals(1008, tooLong.code());
        assertEquals("a name is at most 24 characters", tooLong.reason());
        assertEquals("welcome", join(0, "bounds", "name=" + "x".repeat(24)).next().get("type"));
        for (int i = 1; i <= 3; i++) {
            assertEquals("welcome", join(0, "bounds" + i, "name=many").next().get("type"));
        }
        for (int node = 0; node < 2; node++) {
            WsProbe.Close tooMany = join(node, "bounds4", "name=many").probe().awaitClose();
            assertEquals(1008, tooMany.code(), "node " + node);
            assertEquals("the name many is in as many rooms as one name may be", tooMany.reason(), "node " + node);
        }
    }

    /**
     * The offsets a client may send back over the wire, at their edges: one that is not {@code EPOCH-SEQUENCE} (no
     * number, a negative one, an epoch of other characters, nothing) closes with 1008 and says so; the room's epoch
     * with sequence 0 is before the first event, and gets the whole log from it on another node; one past the head
     * gets a reset at the client's own join, never a silent gap, and the room keeps its epoch for the others.
     */
    @Test
    @Order(2)
    void offsetsAtTheirEdgesOverTheWireAreRefusedReplayedOrResetNeverAGap() throws Exception {
        ChatProbe first = join(0, "edges", "name=first");
        String epoch = epoch((String) first.next().get("offset"));
        first.say("f-1", "hello");
        first.ack();
        for (String since : List.of("abc", epoch + "-x", epoch + "--1", "-1", "", epoch.toUpperCase() + "-1",
                epoch + "-99999999999999999999")) {
            WsProbe.Close close = join(1, "edges", "name=odd&since=" + since).probe().awaitClose();
            assertEquals(1008, close.code(), "since=" + since);
            assertEquals("since must be an offset the server sent, EPOCH-SEQUENCE", close.reason(), "since=" + since);
        }
        ChatProbe fromZero = join(1, "edges", "name=zero&since=" + epoch + "-0");
        assertEquals("welcome", fromZero.next().get("type"));
        assertEquals(List.of("join first 1", "message hello 2", "join zero 3"),
                List.of(describe(fromZero.next()), describe(fromZero.next()), describe(fromZero.next())));

        ChatProbe ahead = join(2, "edges", "name=ahead&since=" + epoch + "-1000000");
        Map<String, Object> welcome = ahead.next();
        long joined = sequence(welcome);
        Map<String, Object> reset = ahead.next();
        assertEquals("reset", reset.get("type"));
        assertEquals(epoch + "-" + (joined - 1), reset.get("offset"), "resumes right before its own join");
        assertEquals("join ahead " + joined, describe(ahead.next()));
        first.say("f-2", "still");
        assertEquals(epoch + "-" + (joined + 1), first.ack().get("offset"), "the room kept its epoch");
        assertEquals("message still " + (joined + 1), describe(ahead.next()));
    }

    private static String epoch(String offset) {
        return offset.substring(0, offset.lastIndexOf('-'));
    }

    private static String describe(Map<String, Object> event) {
        return event.get("type") + " " + ("message".equals(event.get("type")) ? event.get("text") : event.get("name"))
                + " " + sequence(event);
    }

    /**
     * Two nodes behind Debian's nginx with the documented configuration (cli/nginx-cluster.conf): the Upgrade
     * passes, messages cross nodes, and when a node is killed, its client reconnects through nginx, lands on the
     * other node and resumes with since, missing nothing.
     */
    @Test
    @Order(3)
    void throughNginxAClientOfAKilledNodeResumesOnTheOtherWithNothingMissed() throws Exception {
        try (NginxFront nginx = NginxFront.start(List.of(nodes.get(0).port(), nodes.get(1).port()))) {
            ChatProbe first = ChatProbe.connect(nginx.uri("/chat/front?name=first"));
            first.next();
            ChatProbe second = ChatProbe.connect(nginx.uri("/chat/front?name=second"));
            second.next();
            first.skipTo(e -> "second".equals(e.get("name")));
            first.say("f-1", "through nginx");
            Map<String, Object> crossed = second.skipTo(e -> "f-1".equals(e.get("id")));
            first.skipTo(e -> "f-1".equals(e.get("id")));

            nodes.get(0).process().signal("KILL");
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (!first.probe().isClosed() && !second.probe().isClosed() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            // nginx's round robin put the two connections on the two nodes: one of them was on the killed one
            boolean firstCut = first.probe().isClosed();
            assertTrue(firstCut || second.probe().isClosed(), "a connection on the killed node was closed");
            ChatProbe alive = firstCut ? second : first;
            alive.say("a-1", "said while the other was away");
            alive.ack();

            ChatProbe back = ChatProbe.connect(nginx.uri("/chat/front?name=returning&since=" + crossed.get("offset")));
            assertEquals("welcome", back.next().get("type"));
            long previous = sequence(crossed);
            while (true) {
                Map<String, Object> event = back.next();
                assertEquals(previous + 1, sequence(event), "no gap, no repeat: " + event);
                previous = sequence(event);
                if ("a-1".equals(event.get("id"))) {
                    break;
                }
            }
        }
    }

    @Test
    @Order(4)
    void aKilledNodesMembersLeaveWithinFifteenSecondsAndItsClientsResumeElsewhere() throws Exception {
        ChatProbe watcher = join(1, "death", "name=watcher");
        watcher.next();
        ChatProbe doomed = join(2, "death", "name=doomed");
        doomed.next();
        Map<String, Object> last = doomed.next();
        watcher.skipTo(e -> "doomed".equals(e.get("name")));

        nodes.get(2).process().signal("KILL");
        long killed = System.nanoTime();
        // its name is held until the dead node is reaped: meanwhile a reconnect is told to try again, and when
        WsProbe.Close early = join(1, "death", "name=doomed").probe().awaitClose();
        assertEquals(1013, early.code());
        assertTrue(early.reason().startsWith("the name doomed may be in use on another node; if that node stopped"),
                early.reason());
        watcher.say("w-1", "said while doomed was away");
        watcher.ack();
        Map<String, Object> leave = watcher.skipTo(e -> "leave".equals(e.get("type")));
        assertEquals("doomed", leave.get("name"));
        assertTrue(System.nanoTime() - killed < 15_000_000_000L, "leave within 15 s of the kill");

        ChatProbe back = join(1, "death", "name=doomed&since=" + last.get("offset"));
        assertEquals("welcome", back.next().get("type"));
        Map<String, Object> missed = back.next();
        assertEquals(sequence(last) + 1, sequence(missed), "resumes right after its last event");
        assertEquals("said while doomed was away", missed.get("text"));
        assertEquals(leave.get("offset"), back.next().get("offset"));
        assertEquals("join", back.next().get("type"));
    }

    @Test
    @Order(5)
    void sigtermClosesChatClientsWith1012SoTheyResumeElsewhere() throws Exception {
        ChatProbe leaving = join(1, "drain", "name=leaving");
        leaving.next();
        nodes.get(1).process().signal("TERM");
        assertEquals(1012, leaving.probe().awaitClose().code());
        nodes.get(1).process().awaitOut("closing chat connections with 1012");
        nodes.get(1).process().awaitExit();
    }
}
