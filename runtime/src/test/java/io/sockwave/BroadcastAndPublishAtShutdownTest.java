package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What {@link Server#broadcast}'s, {@link BroadcastResult}'s and {@link Topic}'s Javadoc say of a session's close
 * and of the server's graceful shutdown, through real sockets: once a session's close frame is sent it is skipped as
 * {@code CLOSED} (closing), once its server closed it is skipped as {@code CLOSED} (closed), and a publish then
 * reaches nothing and throws nothing. No data frame follows a close frame (RFC 6455 §5.5.1).
 */
@Timeout(60)
class BroadcastAndPublishAtShutdownTest {
    @Test
    void rfc6455_5_5_1_afterTheGoingAwayOfAGracefulShutdownABroadcastSkipsTheSessionAndAPublishSendsNothing()
            throws Exception {
        LinkedBlockingQueue<Session> opened = new LinkedBlockingQueue<>();
        Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", new Listener() {
            @Override
            public void onOpen(Session session) {
                opened.add(session);
            }
        }).build().start();
        try (RawSocket peer = RawSocket.connect(server.port()).open("/")) {
            Session session = opened.poll(10, TimeUnit.SECONDS);
            assertTrue(session != null, "no session opened");
            Topic topic = new Topic("shutting down");
            topic.add(session);
            topic.publishText("before");
            assertEquals("before", peer.readFrame().text());

            CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(
                    () -> server.shutdown(Duration.ofSeconds(20)));
            RawSocket.Frame goingAway = peer.readFrame();
            assertEquals(0x88, goingAway.b0(), "the close frame of the shutdown");
            assertEquals(1001, goingAway.closeCode());

            BroadcastResult result = Server.broadcast(List.of(session), "after the going-away");
            topic.publishText("published after the going-away");

            assertEquals(0, result.queued());
            assertEquals(1, result.skipped().size());
            assertEquals(BroadcastResult.Reason.CLOSED, result.skipped().get(0).reason());
            assertInstanceOf(IllegalStateException.class, result.skipped().get(0).cause());
            // The peer answers the close: the server ends the connection, with no data frame in between.
            peer.write(RawSocket.masked(0x88, RawSocket.closePayload(1001, "")));
            peer.expectEof();
            assertTrue(shutdown.get(30, TimeUnit.SECONDS), "every session closed within the shutdown's timeout");
        } finally {
            server.close();
        }
    }

    @Test
    void afterTheServerClosedABroadcastSkipsItsSessionAsClosedAndAPublishThrowsNothing() throws Exception {
        LinkedBlockingQueue<Session> opened = new LinkedBlockingQueue<>();
        Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", new Listener() {
            @Override
            public void onOpen(Session session) {
                opened.add(session);
            }
        }).build().start();
        Topic topic = new Topic("closed");
        Session session;
        try (RawSocket peer = RawSocket.connect(server.port()).open("/")) {
            session = opened.poll(10, TimeUnit.SECONDS);
            assertTrue(session != null, "no session opened");
            topic.add(session);
            server.close();
            peer.expectEof();
        }

        BroadcastResult result = Server.broadcast(List.of(session), "after the close");
        topic.publishText("published after the close");

        assertEquals(0, result.queued());
        assertEquals(BroadcastResult.Reason.CLOSED, result.skipped().get(0).reason());
        assertInstanceOf(IOException.class, result.skipped().get(0).cause());
        assertEquals(0, topic.size(), "a topic never holds a closed session");
    }
}
