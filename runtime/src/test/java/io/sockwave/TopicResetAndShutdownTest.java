package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A topic under the worst of its members' ends, while it is published to: members that do not read hold part of a
 * hand-out cut by a partial write, then reset their connections; the rest are there when the server shuts down.
 * Publishes of every size (empty, under and over 4 KiB, larger than a loop's shared buffer) go on meanwhile from a
 * plain thread and from the event loop of another server. Nothing throws to a publisher, the shutdown ends within its
 * bound, and the server holds nothing afterwards: no session, no queued byte, no timer, no buffer.
 */
@Timeout(60)
class TopicResetAndShutdownTest {
    private static final int MEMBERS = 8;
    /** Publishes by each publisher, bounded; a publisher stops earlier once the server has shut down. */
    private static final int PUBLISHES = 20_000;

    private static PreparedMessage message(int i) {
        return switch (i % 4) {
            case 0 -> PreparedMessage.text("");
            case 1 -> PreparedMessage.text("small " + i);
            case 2 -> PreparedMessage.binary(ByteBuffer.allocate(5 * 1024));
            default -> PreparedMessage.binary(ByteBuffer.allocate(300 * 1024));
        };
    }

    @Test
    void resetMembersAndAShutdownDuringPublishesLeaveNothingAndThrowNothing() throws Exception {
        Topic topic = new Topic("cut");
        CountDownLatch joined = new CountDownLatch(MEMBERS);
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> loopPublisher = new CompletableFuture<>();
        Server server = Server.builder().host("127.0.0.1").eventLoops(2)
                .route("/member", new Listener() {
                    @Override
                    public void onOpen(Session session) {
                        topic.add(session);
                        joined.countDown();
                    }
                }).build().start();
        Server other = Server.builder().host("127.0.0.1").eventLoops(1)
                .route("/publish", new Listener() {
                    @Override
                    public void onText(Session session, String text) {
                        // A burst from another server's loop thread, then the next on the next message.
                        try {
                            for (int i = 0; i < 50; i++) {
                                topic.publish(message(i));
                            }
                            session.sendText("again");
                        } catch (RuntimeException e) {
                            loopPublisher.completeExceptionally(e);
                        }
                    }
                }).build().start();
        try (other) {
            List<RawSocket> members = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                members.add(RawSocket.connectStalling(server.port()).open("/member"));
            }
            assertTrue(joined.await(10, TimeUnit.SECONDS));
            CompletableFuture<Integer> plain = CompletableFuture.supplyAsync(() -> {
                int i = 0;
                for (; i < PUBLISHES && !stop.get(); i++) {
                    topic.publish(message(i));
                }
                return i;
            });
            try (RawSocket trigger = RawSocket.connect(other.port()).open("/publish")) {
                for (int round = 0; round < 20; round++) {
                    trigger.write(RawSocket.masked(0x81, "go"));
                    assertEquals("again", new String(trigger.readFrame().payload()));
                }
                for (int wait = 0; wait < 500 && server.stats().queuedBytes() == 0; wait++) {
                    Thread.sleep(10);
                }
                assertTrue(server.stats().queuedBytes() > 0, "no member holds a hand-out its socket did not take");
                for (int i = 0; i < MEMBERS / 2; i++) {
                    // A reset, with the member's window full and part of a frame written to it.
                    members.get(i).socket.setSoLinger(true, 0);
                    members.get(i).close();
                }
                trigger.write(RawSocket.masked(0x81, "during the resets"));
                assertEquals("again", new String(trigger.readFrame().payload()));
                // The members that are left do not read: the shutdown closes them when its bound passes.
                assertTrue(!server.shutdown(Duration.ofMillis(500)), "members that do not read closed cleanly");
                trigger.write(RawSocket.masked(0x81, "after the shutdown"));
                assertEquals("again", new String(trigger.readFrame().payload()));
            } finally {
                stop.set(true);
            }
            plain.get(20, TimeUnit.SECONDS);
            assertTrue(!loopPublisher.isCompletedExceptionally(), () -> loopPublisher.handle((v, e) -> e).join()
                    .toString());
            assertEquals(new ServerStats(0, 0, 0, 0, 0), ServerSettling.idle(server));
            topic.publishText("after everything");
            assertEquals(0, topic.size());
            for (RawSocket member : members) {
                member.close();
            }
        } finally {
            server.close();
        }
    }
}
