package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sessions aborted or closed in the turn their broadcasts were queued, before the loop writes them: the frames they
 * held are let go and counted out, and the others' are still written, whole and in order.
 */
@Timeout(30)
class AbortWithHeldBroadcastTest {
    private static final int SUBSCRIBERS = 9;
    private static final int MESSAGES = 5;

    @Test
    void abortedAndClosedSubscribersLeaveNothingAndTheOthersGetEverything() throws Exception {
        List<Session> room = new CopyOnWriteArrayList<>();
        Listener listener = new Listener() {
            @Override
            public void onOpen(Session session) {
                room.add(session);
            }

            @Override
            public void onText(Session session, String text) {
                for (int k = 0; k < MESSAGES; k++) {
                    Server.broadcast(room, PreparedMessage.text("message " + k));
                }
                for (int i = 0; i < SUBSCRIBERS; i += 3) {
                    room.get(i).abort();
                    room.get(i + 1).close(1001, "bye");
                }
            }
        };
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/room", listener)
                .build().start()) {
            Client client = Client.create();
            try {
                URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/room");
                List<BlockingQueue<String>> received = new ArrayList<>();
                for (int i = 0; i < SUBSCRIBERS; i++) {
                    BlockingQueue<String> texts = new LinkedBlockingQueue<>();
                    received.add(texts);
                    client.connect(uri, new Listener() {
                        @Override
                        public void onText(Session session, String text) {
                            texts.add(text);
                        }
                    }).get(10, TimeUnit.SECONDS);
                    for (int t = 0; t < 500 && room.size() <= i; t++) {
                        Thread.sleep(10);
                    }
                }
                client.connect(uri, new Listener() {
                    @Override
                    public void onOpen(Session session) {
                        session.sendText("go");
                    }
                });
                for (int i = 2; i < SUBSCRIBERS; i += 3) {
                    for (int k = 0; k < MESSAGES; k++) {
                        assertEquals("message " + k, received.get(i).poll(10, TimeUnit.SECONDS));
                    }
                }
                ServerStats stats = ServerSettling.nothingQueued(server);
                assertEquals(0, stats.queuedBytes(), "bytes counted as queued");
                assertEquals(0, stats.buffers(), "queues held");
            } finally {
                client.close();
            }
        }
    }
}
