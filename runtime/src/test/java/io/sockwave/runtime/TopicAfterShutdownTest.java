package io.sockwave.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.Client;
import io.sockwave.Listener;
import io.sockwave.PreparedMessage;
import io.sockwave.Server;
import io.sockwave.Session;
import io.sockwave.testsupport.Reachability;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A topic whose members were on a server that has since closed holds nothing of it: the messages published after
 * the close are not kept anywhere (a publisher that goes on must not grow a heap no loop will ever hand out), and
 * the server's stopped event loop, with its buffers, is let go.
 */
@Timeout(60)
class TopicAfterShutdownTest {
    private static final int PUBLISHES = 1000;

    @Test
    void publishesAfterTheMembersServerClosedAreNotHeldAndItsLoopIsLetGo() throws Exception {
        TopicEngine topic = new TopicEngine();
        WeakReference<EventLoop> loop = serveOneMemberThenClose(topic);
        assertEquals(0, topic.size());
        PreparedMessage last = null;
        for (int i = 0; i < PUBLISHES; i++) {
            last = PreparedMessage.text("after the close " + i);
            topic.publish(last);
        }
        WeakReference<PreparedMessage> published = new WeakReference<>(last);
        last = null;
        assertTrue(Reachability.collected(published, Duration.ofSeconds(10)),
                "a message published after the members' server closed is still held");
        assertTrue(Reachability.collected(loop, Duration.ofSeconds(10)),
                "the topic still holds the closed server's event loop");
        assertEquals(0, topic.size());
    }

    private static WeakReference<EventLoop> serveOneMemberThenClose(TopicEngine topic) throws Exception {
        CompletableFuture<EventLoop> memberLoop = new CompletableFuture<>();
        Listener listener = new Listener() {
            @Override
            public void onOpen(Session session) {
                topic.add(session);
                memberLoop.complete(((WebSocketSession) session).driver.loop);
            }
        };
        Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", listener).build().start();
        Client client = Client.create();
        try {
            client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"), new Listener() { })
                    .get(10, TimeUnit.SECONDS);
            WeakReference<EventLoop> loop = new WeakReference<>(memberLoop.get(10, TimeUnit.SECONDS));
            for (int wait = 0; wait < 1000 && topic.size() != 1; wait++) {
                Thread.sleep(10);
            }
            assertEquals(1, topic.size());
            return loop;
        } finally {
            server.close();
            client.close();
        }
    }
}
