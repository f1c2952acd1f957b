package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client's session can be a member: it masks what it sends (RFC 6455 §5.3), so it encodes each published message
 * itself rather than taking the server's shared frame, in order with its own sends. A session of another
 * implementation cannot be one.
 */
@Timeout(30)
class TopicClientMemberTest {
    @Test
    void aClientSessionGetsThePublishedMessagesMaskedAndInOrder() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        Listener collector = new Listener() {
            @Override
            public void onText(Session session, String text) {
                received.add(text);
            }
        };
        Topic topic = new Topic("clients");
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/in", collector).build().start();
             Client client = Client.create()) {
            Session member = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/in"), new Listener() { })
                    .get(10, TimeUnit.SECONDS);
            topic.add(member);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                if (i % 3 == 0) {
                    member.sendText("direct " + i);
                    expected.add("direct " + i);
                } else {
                    topic.publishText("published " + i);
                    expected.add("published " + i);
                }
            }
            for (String text : expected) {
                assertEquals(text, received.poll(10, TimeUnit.SECONDS));
            }
            assertEquals(1, topic.size());
        }
    }

    @Test
    void aSessionOfAnotherImplementationIsRefused() {
        // A wrapper of the application's own: nothing a topic can hand frames to on a loop.
        Session foreign = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(),
                new Class<?>[] {Session.class}, (target, method, args) -> null);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new Topic("t").add(foreign));
        assertEquals(true, refused.getMessage().contains("not " + foreign.getClass().getName()),
                refused.getMessage());
    }
}
