package io.sockwave.cli.serve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.Client;
import io.sockwave.Listener;
import io.sockwave.Server;
import io.sockwave.Session;
import io.sockwave.room.Rooms;
import io.sockwave.testsupport.AllocatedBytes;
import io.sockwave.testsupport.LiveThreads;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a chat node allocates per delivery of a join event, counted in bytes by the JVM for the rooms' thread and the
 * server's event loop (a count, not a timing). A join in a room of N is N deliveries, so as a room fills, what each
 * delivery allocates is what fills the young generation; the cluster benchmark saw it as the nodes' resident memory
 * growing by some 60 KB per idle member while their live heap grew by 4 KB, the heap touching fresh pages.
 */
class ChatJoinAllocationTest {
    /**
     * A join event is encoded once per event for all the members of the node and queued to each as the same frame:
     * what remains per delivery is the hand-out and the send (its future, the task that carries it to the loop), and
     * each join's own costs (the handshake, the welcome listing the names present, the log's entry) spread over the
     * deliveries: 347 bytes measured with 100 to 200 members. 1,065 bytes when each delivery built its own JSON
     * object, string and frame.
     */
    private static final long DELIVERY_BUDGET = 512;
    private static final int WARM_MEMBERS = 100;
    private static final int MEASURED_MEMBERS = 100;

    @Test
    void aJoinEventDeliveredToEveryMemberStaysWithinItsAllocationBudget() throws Exception {
        Semaphore received = new Semaphore(0);
        Listener counting = new Listener() {
            @Override
            public void onText(Session session, String text) {
                received.release();
            }
        };
        List<Session> members = new ArrayList<>();
        try (Rooms rooms = Rooms.inProcess();
             Server server = Server.builder().host("127.0.0.1").port(0).eventLoops(1)
                     .route("/chat/{room}", new ChatRoom(rooms)).build().start();
             Client client = Client.create()) {
            URI room = URI.create("ws://127.0.0.1:" + server.port() + "/chat/busy");
            join(client, room, counting, received, members, WARM_MEMBERS);
            long[] threads = {LiveThreads.named("sockwave-rooms-local"), LiveThreads.newestServerLoop()};
            long before = AllocatedBytes.byThreads(threads);
            long deliveries = join(client, room, counting, received, members, MEASURED_MEMBERS);
            long perDelivery = (AllocatedBytes.byThreads(threads) - before) / deliveries;
            assertTrue(perDelivery <= DELIVERY_BUDGET, perDelivery + " bytes allocated by the rooms' thread and the"
                    + " loop per delivery of a join event (" + deliveries + " deliveries); budget " + DELIVERY_BUDGET);
        } finally {
            members.forEach(Session::close);
        }
    }

    /**
     * Joins members one at a time, each once every member (itself included: a member's events start at its own join)
     * has its join event, so that every join goes to a room of a known size.
     *
     * @return the join events delivered
     */
    private static long join(Client client, URI room, Listener counting, Semaphore received, List<Session> members,
            int count) throws Exception {
        long deliveries = 0;
        for (int i = 0; i < count; i++) {
            members.add(client.connect(URI.create(room + "?name=m" + members.size()), counting)
                    .get(10, TimeUnit.SECONDS));
            deliveries += members.size();
            // its welcome, and the join event at every member
            assertTrue(received.tryAcquire(1 + members.size(), 10, TimeUnit.SECONDS),
                    "the welcome and every member's join event of member " + members.size());
        }
        return deliveries;
    }
}
