package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Broadcasts made while the loop writes its turn's frames (from a send future's dependent, which completes when its
 * frame is written): subscribers flushed earlier in that turn hold the new frames into the next turn, others in
 * the same one. Each subscriber still gets every message once and in order, and the server counts nothing queued
 * and no queue held once all is written.
 */
@Timeout(60)
class BroadcastFromAFlushTest {
    private static final int SUBSCRIBERS = 8;
    private static final int ROUNDS = 200;

    @Test
    void broadcastsMadeWhileFlushingReachEverySubscriberInOrder() throws Exception {
        Set<Session> room = ConcurrentHashMap.newKeySet();
        Listener roomListener = new Listener() {
            @Override
            public void onOpen(Session session) {
                room.add(session);
            }

            @Override
            public void onText(Session session, String text) {
                round(session, room, 0);
            }
        };
        List<BlockingQueue<String>> received = new ArrayList<>();
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/room", roomListener)
                .build().start()) {
            Client client = Client.create();
            try {
                URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/room");
                List<Session> clients = new ArrayList<>();
                for (int i = 0; i < SUBSCRIBERS; i++) {
                    BlockingQueue<String> texts = new LinkedBlockingQueue<>();
                    received.add(texts);
                    clients.add(client.connect(uri, new Listener() {
                        @Override
                        public void onText(Session session, String text) {
                            if (!text.startsWith("tick")) {
                                texts.add(text);
                            }
                        }
                    }).get(10, TimeUnit.SECONDS));
                }
                for (int i = 0; i < 500 && room.size() < SUBSCRIBERS; i++) {
                    Thread.sleep(10);
                }
                clients.get(SUBSCRIBERS / 2).sendText("go");
                for (BlockingQueue<String> texts : received) {
                    for (int k = 0; k < ROUNDS; k++) {
                        assertEquals("message " + k, texts.poll(10, TimeUnit.SECONDS));
                    }
                    assertNull(texts.poll(20, TimeUnit.MILLISECONDS));
                }
                ServerStats stats = ServerSettling.nothingQueued(server);
                assertEquals(0, stats.queuedBytes(), "bytes counted as queued");
                assertEquals(0, stats.buffers(), "queues held");
            } finally {
                client.close();
            }
        }
    }

    /** Broadcasts one message, then the next once the ticker's tick is written, which is during a flush. */
    private static void round(Session ticker, Set<Session> room, int k) {
        if (k == ROUNDS) {
            return;
        }
        Server.broadcast(room, PreparedMessage.text("message " + k));
        ticker.sendText("tick " + k).thenRun(() -> round(ticker, room, k + 1));
    }
}
