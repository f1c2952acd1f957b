package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.testsupport.Reachability;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A topic lets go of a session once it closes, however it closed (a closing handshake, a dropped connection), with no
 * call of the application's: a long-lived topic whose members come and go must not keep one per member that left.
 */
@Timeout(60)
class TopicMembersReleasedTest {
    private static final int MEMBERS = 60;

    @Test
    void membersThatClosedAreNotReachableFromTheTopic() throws Exception {
        Topic topic = new Topic("released");
        Topic other = new Topic("other");
        List<WeakReference<Session>> left = new ArrayList<>();
        CountDownLatch joined = new CountDownLatch(MEMBERS);
        CountDownLatch closed = new CountDownLatch(MEMBERS);
        Listener listener = new Listener() {
            @Override
            public void onOpen(Session session) {
                topic.add(session);
                other.add(session);
                synchronized (left) {
                    left.add(new WeakReference<>(session));
                }
                joined.countDown();
            }

            @Override
            public void onClose(Session session, int code, String reason) {
                closed.countDown();
            }
        };
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(2).route("/", listener).build().start()) {
            List<RawSocket> sockets = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                sockets.add(RawSocket.connect(server.port()).open("/"));
            }
            assertTrue(joined.await(10, TimeUnit.SECONDS));
            awaitSize(topic, MEMBERS);
            topic.publishText("while all are members");
            for (int i = 0; i < MEMBERS; i++) {
                RawSocket socket = sockets.get(i);
                assertEquals("while all are members", new String(socket.readFrame().payload()));
                if (i % 3 == 0) {
                    socket.write(RawSocket.masked(0x88, RawSocket.closePayload(1000, "bye")));
                } else {
                    // Dropped without a close frame: the server finds the end of stream.
                    socket.close();
                }
            }
            assertTrue(closed.await(20, TimeUnit.SECONDS));
            awaitSize(topic, 0);
            awaitSize(other, 0);
            topic.publishText("to no one");
            assertEquals(0, Reachability.stillReachable(left, Duration.ofSeconds(10)),
                    "sessions that closed still reachable, of " + MEMBERS);
            for (RawSocket socket : sockets) {
                socket.close();
            }
        }
        assertEquals(0, topic.size());
    }

    private static void awaitSize(Topic topic, int size) throws InterruptedException {
        for (int wait = 0; wait < 1000 && topic.size() != size; wait++) {
            Thread.sleep(10);
        }
        assertEquals(size, topic.size(), topic.name() + "'s members");
    }
}
