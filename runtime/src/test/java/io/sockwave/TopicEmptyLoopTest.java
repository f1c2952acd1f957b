package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.testsupport.Reachability;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A topic sends nothing to an event loop where it has no members any more: once the last member there left, a
 * publish costs that loop no task and no wake-up, and a publisher faster than the loop (here, a loop held up by a
 * callback) grows nothing there. Seen from the outside: the message is held by nobody once published.
 */
@Timeout(60)
class TopicEmptyLoopTest {
    @Test
    void aPublishAfterTheLastMemberOfALoopLeftIsNotQueuedOnThatLoop() throws Exception {
        Topic topic = new Topic("emptied");
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Server server = Server.builder().host("127.0.0.1").eventLoops(1)
                .route("/member", new Listener() {
                    @Override
                    public void onOpen(Session session) {
                        topic.add(session);
                    }
                })
                .route("/busy", new Listener() {
                    @Override
                    public void onText(Session session, String text) {
                        blocked.countDown();
                        try {
                            // Holds the loop, as a loop busy with other sessions would be, while the test publishes.
                            release.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                })
                .build().start();
        try (server; RawSocket member = RawSocket.connect(server.port()).open("/member");
                RawSocket busy = RawSocket.connect(server.port()).open("/busy")) {
            awaitSize(topic, 1);
            member.write(RawSocket.masked(0x88, RawSocket.closePayload(1000, "leaving")));
            assertEquals(1000, member.expectCloseAndEof());
            awaitSize(topic, 0);
            try {
                busy.write(RawSocket.masked(0x81, "hold the loop"));
                assertTrue(blocked.await(10, TimeUnit.SECONDS));
                PreparedMessage message = PreparedMessage.text("to a loop with no member");
                topic.publish(message);
                WeakReference<PreparedMessage> published = new WeakReference<>(message);
                message = null;
                assertTrue(Reachability.collected(published, Duration.ofSeconds(5)),
                        "the publish waits in the queue of a loop where no member is");
            } finally {
                release.countDown();
            }
        }
    }

    private static void awaitSize(Topic topic, int size) throws InterruptedException {
        for (int wait = 0; wait < 1000 && topic.size() != size; wait++) {
            Thread.sleep(10);
        }
        assertEquals(size, topic.size(), topic.name() + "'s members");
    }
}
