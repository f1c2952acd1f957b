package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Under {@link OutboundLimitPolicy#CLOSE}, a member a hand-out finds over its limit is closed, which fails the
 * futures of its sends not begun; their dependents are application code, run on the loop's thread, which may send
 * to a member the hand-out has not reached yet. That send comes after what the loop's thread published before it:
 * the close waits for the hand-out's end. Read as frames by raw sockets; the first member never reads.
 */
@Timeout(60)
class TopicLimitCloseOrderTest {
    private static final int LIMIT = 16 << 20;
    /** Past the slow member's limit, whatever it holds, and within the other's, with room for one more send. */
    private static final int PUBLISHED = LIMIT - 1024;

    @Test
    void aSendFromAFutureThatALimitCloseFailedComesAfterThePublishBeingHandedOut() throws Exception {
        LinkedBlockingQueue<Session> opened = new LinkedBlockingQueue<>();
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1)
                .outboundBuffer(16 << 10, 64 << 10, LIMIT).outboundLimitPolicy(OutboundLimitPolicy.CLOSE)
                .route("/", new Listener() {
                    @Override
                    public void onOpen(Session session) {
                        opened.add(session);
                    }
                }).build().start();
                RawSocket stalled = RawSocket.connectStalling(server.port()).open("/");
                RawSocket reader = RawSocket.connect(server.port()).open("/")) {
            Session slow = opened.poll(10, TimeUnit.SECONDS);
            Session other = opened.poll(10, TimeUnit.SECONDS);
            assertTrue(slow != null && other != null, "both sessions opened");
            Topic topic = new Topic("limit close");
            // Joined in this order, the slow member is visited first.
            topic.add(slow);
            topic.add(other);
            // More than the sockets take while the peer does not read: it stays partly written, and what is sent
            // next waits unbegun behind it, until the close drops it and fails its future.
            slow.sendBinary(ByteBuffer.allocate(8 << 20));
            slow.sendText("never begun").whenComplete((sent, failed) -> other.sendText("sent once it failed"));
            // Published on the loop's thread; the future's dependent runs on it too, after this publish.
            other.ping(ByteBuffer.allocate(0)).thenRun(() -> topic.publishBinary(ByteBuffer.allocate(PUBLISHED)));

            RawSocket.Frame frame = reader.readFrame();
            for (int frames = 0; frames < 2 && frame.opcode() == 0x9; frames++) {
                frame = reader.readFrame();
            }
            assertEquals(0x82, frame.b0(), "the published message first");
            assertEquals(PUBLISHED, frame.payload().length);
            RawSocket.Frame next = reader.readFrame();
            assertEquals(0x81, next.b0());
            assertEquals("sent once it failed", next.text());
        }
    }
}
