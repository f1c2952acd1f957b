package io.sockwave.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.Client;
import io.sockwave.Listener;
import io.sockwave.Server;
import io.sockwave.Session;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A topic's members on a loop are held in an array that grows as they join; once they have left, a topic that once
 * had a crowd there holds no more than an empty one: a long-lived topic must not keep the room of its busiest hour.
 */
@Timeout(60)
class TopicShardShrinksTest {
    private static final int MEMBERS = 100;

    @Test
    void theMembersArrayOfALoopShrinksBackOnceTheMembersLeft() throws Exception {
        TopicEngine topic = new TopicEngine();
        Listener listener = new Listener() {
            @Override
            public void onOpen(Session session) {
                topic.add(session);
            }
        };
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", listener).build().start();
                Client client = Client.create()) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
            List<Session> members = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                members.add(client.connect(uri, new Listener() { }).get(10, TimeUnit.SECONDS));
            }
            awaitSize(topic, MEMBERS);
            assertTrue(topic.capacity() >= MEMBERS, "room for " + topic.capacity() + " members");
            for (Session member : members) {
                member.close(1000, "leaving");
            }
            awaitSize(topic, 0);
            assertEquals(MemberSlots.INITIAL_CAPACITY, topic.capacity(), "slots held with no member");
        }
    }

    private static void awaitSize(TopicEngine topic, int size) throws InterruptedException {
        for (int wait = 0; wait < 1000 && topic.size() != size; wait++) {
            Thread.sleep(10);
        }
        assertEquals(size, topic.size());
    }
}
