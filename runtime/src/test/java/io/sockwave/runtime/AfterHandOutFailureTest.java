package io.sockwave.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.Client;
import io.sockwave.ClientOptions;
import io.sockwave.Listener;
import io.sockwave.PassThroughExtensionFactory;
import io.sockwave.PreparedMessage;
import io.sockwave.Server;
import io.sockwave.Session;
import io.sockwave.protocol.extension.ExtensionOffer;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What waits for a topic's hand-out to end ({@link EventLoop#afterHandOut}: a member's close under
 * {@code OutboundLimitPolicy.CLOSE} today) runs action by action: one that throws is logged, and neither stops the
 * actions after it nor reaches the hand-out's caller, here a send the application makes in a callback right after
 * publishing. The failing action is put there through that package-private seam by the member's extension, whose
 * encoder runs during the hand-out; a client reads what the member is sent.
 */
@Timeout(30)
class AfterHandOutFailureTest {
    /** Thrown by the injected action. */
    private static final class ActionBroke extends RuntimeException {
        ActionBroke() {
            super("an action after the hand-out broke");
        }
    }

    @Test
    void anActionThatThrowsCostsNeitherTheActionsAfterItNorTheSendThatHandedOut() throws Exception {
        TopicEngine topic = new TopicEngine();
        CountDownLatch ranAfterTheFailure = new CountDownLatch(1);
        AtomicBoolean armed = new AtomicBoolean(true);
        LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        CompletableFuture<EventLoop> memberLoop = new CompletableFuture<>();
        PassThroughExtensionFactory injecting = new PassThroughExtensionFactory("x-inject", () -> {
            if (armed.getAndSet(false)) {
                // On the loop, during the hand-out the publish below starts.
                EventLoop loop = memberLoop.join();
                loop.afterHandOut(() -> {
                    throw new ActionBroke();
                });
                loop.afterHandOut(ranAfterTheFailure::countDown);
            }
        });
        Listener member = new Listener() {
            @Override
            public void onOpen(Session session) {
                memberLoop.complete(((WebSocketSession) session).driver.loop);
                topic.add(session);
            }

            @Override
            public void onText(Session session, String text) {
                topic.publish(PreparedMessage.text("published"));
                // Hands the publish out first, and so runs what waits for that hand-out.
                session.sendText("sent after it");
            }
        };
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).extensions(injecting)
                .route("/", member).build().start()) {
            Client client = Client.create(1);
            try {
                Session session = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"),
                        ClientOptions.builder().extensions(new PassThroughExtensionFactory("x-inject", () -> { }))
                                .build(), new Listener() {
                            @Override
                            public void onText(Session session, String text) {
                                events.add(text);
                            }

                            @Override
                            public void onClose(Session session, int code, String reason) {
                                events.add("closed " + code);
                            }
                        }).get(10, TimeUnit.SECONDS);
                assertEquals(List.of(new ExtensionOffer("x-inject", List.of())), session.extensions());
                for (int wait = 0; wait < 500 && topic.size() < 1; wait++) {
                    Thread.sleep(10);
                }
                assertEquals(1, topic.size());
                session.sendText("go");

                assertEquals("published", events.poll(10, TimeUnit.SECONDS));
                assertEquals("sent after it", events.poll(10, TimeUnit.SECONDS), "the send that handed out went on");
                assertTrue(ranAfterTheFailure.await(10, TimeUnit.SECONDS), "the action after the failing one ran");
                assertTrue(session.isOpen(), "the member was not closed for the failure");
            } finally {
                client.close();
            }
        }
    }
}
