package io.sockwave.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sockwave.Client;
import io.sockwave.Listener;
import io.sockwave.PreparedMessage;
import io.sockwave.Server;
import io.sockwave.Session;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A topic visits each member once for a turn's run of messages, not once per message: after 8 publishes in one turn
 * to 20 plain members, the hand-out made 20 visits, copied each frame once into the loop's {@link TurnFrames}, and
 * gave every member the 8 frames as one range of it, with no outbound queue.
 */
@Timeout(30)
class TopicHandOutTest {
    private static final int MEMBERS = 20;
    private static final int MESSAGES = 8;

    @Test
    void aTurnOfPublishesVisitsEachMemberOnceAndSharesOneCopyOfItsFrames() throws Exception {
        TopicEngine topic = new TopicEngine();
        List<Session> members = new ArrayList<>();
        CountDownLatch joined = new CountDownLatch(MEMBERS);
        CompletableFuture<String> onLoop = new CompletableFuture<>();
        Listener listener = new Listener() {
            @Override
            public void onOpen(Session session) {
                members.add(session);
                topic.add(session);
                joined.countDown();
            }

            @Override
            public void onText(Session session, String text) {
                long frames = 0;
                for (int i = 0; i < MESSAGES; i++) {
                    PreparedMessage message = PreparedMessage.text("message " + i);
                    frames += message.size() + 2;
                    topic.publish(message);
                }
                long before = topic.visits();
                EventLoop loop = ((WebSocketSession) session).driver.loop;
                loop.handOutPublished();
                String problem = null;
                if (topic.visits() - before != MEMBERS) {
                    problem = (topic.visits() - before) + " member visits for " + MESSAGES + " messages to "
                            + MEMBERS + " members";
                } else if (loop.turnFrames.size() != frames) {
                    problem = "the turn's frames take " + loop.turnFrames.size() + " bytes, not " + frames;
                }
                for (Session member : members) {
                    ChannelDriver driver = ((WebSocketSession) member).driver;
                    if (driver.queue() != null) {
                        problem = "a member took an outbound queue";
                    } else if (driver.queuedBytes() != frames) {
                        problem = "a member holds " + driver.queuedBytes() + " bytes, not " + frames;
                    }
                }
                onLoop.complete(problem == null ? "ok" : problem);
            }
        };
        List<BlockingQueue<String>> received = new ArrayList<>();
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/topic", listener)
                .build().start()) {
            Client client = Client.create();
            try {
                URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/topic");
                Session first = null;
                for (int i = 0; i < MEMBERS; i++) {
                    BlockingQueue<String> texts = new LinkedBlockingQueue<>();
                    received.add(texts);
                    Session session = client.connect(uri, new Listener() {
                        @Override
                        public void onText(Session session, String text) {
                            texts.add(text);
                        }
                    }).get(10, TimeUnit.SECONDS);
                    first = first == null ? session : first;
                }
                joined.await(10, TimeUnit.SECONDS);
                for (int i = 0; i < 500 && topic.size() < MEMBERS; i++) {
                    Thread.sleep(10);
                }
                first.sendText("go");
                assertEquals("ok", onLoop.get(10, TimeUnit.SECONDS));
                for (BlockingQueue<String> texts : received) {
                    for (int i = 0; i < MESSAGES; i++) {
                        assertEquals("message " + i, texts.poll(10, TimeUnit.SECONDS));
                    }
                    assertNull(texts.poll(20, TimeUnit.MILLISECONDS));
                }
            } finally {
                client.close();
            }
        }
    }
}
