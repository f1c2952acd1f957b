package io.sockwave.cli.serve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.Client;
import io.sockwave.Listener;
import io.sockwave.Server;
import io.sockwave.Session;
import io.sockwave.redis.RedisRoomLog;
import io.sockwave.room.Rooms;
import io.sockwave.testsupport.AllocatedBytes;
import io.sockwave.testsupport.RedisServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a chat node on Redis allocates per join in a room of a few hundred, counted in bytes by the JVM for the
 * node's threads (the rooms' thread, the server's event loop, Lettuce's threads; not the test's clients): a count,
 * not a timing. The join's reply lists the names present and the welcome writes them out, so a join costs in
 * proportion to the room; that garbage, as members come, is what G1's eden grows with and touches fresh pages for
 * (bench/cluster/README.md, "Resident memory per member").
 */
class ClusterChatJoinAllocationTest {
    private static final int WARM_MEMBERS = 200;
    private static final int MEASURED_MEMBERS = 100;
    /** The node's own threads, by the prefixes of their names. */
    private static final List<String> NODE_THREADS = List.of("sockwave-rooms-", "sockwave-server-", "lettuce-");
    /**
     * Per name present at the join (200 to 299 here), everything the join costs the node spread over them: the
     * reply's names as Lettuce decodes them, their packing for the membership, the welcome that lists them, and the
     * join event's delivery to every member (its send: a future, the task that carries it to the loop). 360 bytes
     * measured (90 KB a join); 466 (117 KB) while the welcome took each name out twice into a builder grown by
     * copying, the packing grew its builder too, each delivery made a lambda, and each call's epoch candidate was
     * written through a BigInteger.
     */
    private static final long PER_NAME_BUDGET = 416;

    @Test
    void aJoinOnRedisStaysWithinItsAllocationBudgetPerNamePresent() throws Exception {
        Semaphore received = new Semaphore(0);
        Listener counting = new Listener() {
            @Override
            public void onText(Session session, String text) {
                received.release();
            }
        };
        List<Session> members = new ArrayList<>();
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.NONE);
             Rooms rooms = Rooms.on(RedisRoomLog.connect(redis.uri()), "alloc");
             Server server = Server.builder().host("127.0.0.1").port(0).eventLoops(1)
                     .route("/chat/{room}", new ChatRoom(rooms)).build().start();
             Client client = Client.create()) {
            URI room = URI.create("ws://127.0.0.1:" + server.port() + "/chat/busy");
            join(client, room, counting, received, members, WARM_MEMBERS);
            Map<Long, Long> before = nodeThreadBytes();
            int present = members.size();
            long names = 0;
            for (int i = 0; i < MEASURED_MEMBERS; i++) {
                names += present + i + 1;
            }
            join(client, room, counting, received, members, MEASURED_MEMBERS);
            long allocated = allocatedSince(before);
            long perName = allocated / names;
            long perJoin = allocated / MEASURED_MEMBERS;
            assertTrue(perName <= PER_NAME_BUDGET, perName + " bytes allocated by the node per name present at a join ("
                    + perJoin + " per join, " + MEASURED_MEMBERS + " joins into a room of " + WARM_MEMBERS + " to "
                    + (WARM_MEMBERS + MEASURED_MEMBERS - 1) + "); budget " + PER_NAME_BUDGET);
        } finally {
            members.forEach(Session::close);
        }
    }

    private static Map<Long, Long> nodeThreadBytes() {
        Map<Long, Long> bytes = new HashMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (NODE_THREADS.stream().anyMatch(thread.getName()::startsWith)) {
                bytes.put(thread.getId(), AllocatedBytes.byThreads(thread.getId()));
            }
        }
        return bytes;
    }

    /** @return what the node's threads allocated since, a thread started meanwhile counting whole */
    private static long allocatedSince(Map<Long, Long> before) {
        long sum = 0;
        for (Map.Entry<Long, Long> now : nodeThreadBytes().entrySet()) {
            sum += now.getValue() - before.getOrDefault(now.getKey(), 0L);
        }
        return sum;
    }

    /** Joins members one at a time, each once its welcome and every member's join event have come. */
    private static void join(Client client, URI room, Listener counting, Semaphore received, List<Session> members,
            int count) throws Exception {
        for (int i = 0; i < count; i++) {
            members.add(client.connect(URI.create(room + "?name=m" + members.size()), counting)
                    .get(10, TimeUnit.SECONDS));
            assertTrue(received.tryAcquire(1 + members.size(), 10, TimeUnit.SECONDS),
                    "the welcome and every member's join event of member " + members.size());
        }
    }
}
