package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A turn's broadcasts to subscribers that do not read: the socket takes part of the turn's frames and cuts one, the
 * rest waits. A close from the subscriber then gets its answer after the frame cut, never inside it (RFC 6455 §5.4,
 * §5.5.1): the subscriber reads whole frames, the messages in order, then the close and the end of stream; and the
 * server counts nothing queued once all is over.
 */
@Timeout(60)
class BroadcastCutByAPartialWriteTest {
    private static final int SUBSCRIBERS = 2;
    /** Messages per turn, which the turn's frames hold whole (about 57 KiB). */
    private static final int MESSAGES = 60;
    /** Turns of broadcasts: the first fill the sockets (loopback's take megabytes), the next find them full. */
    private static final int TURNS = 100;

    private static String message(int k) {
        return "message " + k + " " + "x".repeat(900 + k % MESSAGES);
    }

    @Test
    void aCloseAnswersAfterTheFrameCutAndBeforeTheRest() throws Exception {
        Set<Session> room = ConcurrentHashMap.newKeySet();
        Listener listener = new Listener() {
            @Override
            public void onOpen(Session session) {
                if (session.path().equals("/room")) {
                    room.add(session);
                }
            }

            @Override
            public void onText(Session session, String text) {
                int turn = Integer.parseInt(text);
                for (int k = turn * MESSAGES; k < (turn + 1) * MESSAGES; k++) {
                    Server.broadcast(room, PreparedMessage.text(message(k)));
                }
                session.sendText("done");
            }
        };
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/room", listener)
                .route("/control", listener).build().start()) {
            List<RawSocket> subscribers = new ArrayList<>();
            try (RawSocket control = RawSocket.connect(server.port()).open("/control")) {
                for (int i = 0; i < SUBSCRIBERS; i++) {
                    subscribers.add(RawSocket.connectStalling(server.port()).open("/room"));
                }
                for (int i = 0; i < 500 && room.size() < SUBSCRIBERS; i++) {
                    Thread.sleep(10);
                }
                for (int turn = 0; turn < TURNS; turn++) {
                    control.write(RawSocket.masked(0x81, Integer.toString(turn)));
                    assertEquals("done", new String(control.readFrame().payload(), StandardCharsets.UTF_8));
                }
                Thread.sleep(200);
                assertTrue(server.stats().queuedBytes() > 0, "the sockets took every frame: none was cut");
                for (RawSocket subscriber : subscribers) {
                    subscriber.write(RawSocket.masked(0x88, new byte[] {0x03, (byte) 0xE8}));
                }
                for (RawSocket subscriber : subscribers) {
                    int k = 0;
                    RawSocket.Frame frame;
                    while ((frame = subscriber.readFrame()).b0() == 0x81) {
                        String text = new String(frame.payload(), StandardCharsets.UTF_8);
                        assertTrue(text.equals(message(k)), "message " + k + " garbled: " + text.substring(0, 20));
                        k++;
                    }
                    assertEquals(0x88, frame.b0(), "a close after " + k + " messages");
                    subscriber.expectEof();
                }
            } finally {
                for (RawSocket subscriber : subscribers) {
                    subscriber.close();
                }
            }
            ServerStats stats = ServerSettling.nothingQueued(server);
            assertEquals(0, stats.queuedBytes(), "bytes counted as queued");
            assertEquals(0, stats.buffers(), "queues held");
        }
    }
}
