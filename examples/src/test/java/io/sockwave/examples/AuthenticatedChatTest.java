package io.sockwave.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sockwave.Client;
import io.sockwave.Listener;
import io.sockwave.Server;
import io.sockwave.Session;
import io.sockwave.protocol.handshake.HandshakeException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AuthenticatedChatTest {
    /** Collects the lines a member receives. */
    private static final class Member implements Listener {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        @Override
        public void onText(Session session, String text) {
            lines.add(text);
        }

        String next() throws InterruptedException {
            return lines.poll(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void unknownTokenIsRefusedAndRoomsAreSeparate() throws Exception {
        try (Server server = AuthenticatedChat.start(0, Map.of("a", "alice", "b", "bob", "c", "carol"));
             Client client = Client.create()) {
            String base = "ws://127.0.0.1:" + server.port() + "/chat/";
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> client.connect(URI.create(base + "kitchen?token=wrong"), new Member())
                            .get(10, TimeUnit.SECONDS));
            HandshakeException e = assertInstanceOf(HandshakeException.class, refused.getCause());
            assertEquals(401, e.status());
            assertEquals("Bearer realm=\"chat\"", e.headers().first("WWW-Authenticate"));

            Member alice = new Member();
            Member bob = new Member();
            Member carol = new Member();
            Session a = client.connect(URI.create(base + "kitchen?token=a"), alice).get(10, TimeUnit.SECONDS);
            assertEquals("alice joined", alice.next());
            client.connect(URI.create(base + "kitchen?token=b"), bob).get(10, TimeUnit.SECONDS);
            assertEquals("bob joined", alice.next());
            assertEquals("bob joined", bob.next());
            client.connect(URI.create(base + "garden?token=c"), carol).get(10, TimeUnit.SECONDS);
            assertEquals("carol joined", carol.next());

            a.sendText("hi");
            assertEquals("alice: hi", bob.next());
            assertEquals("alice: hi", alice.next());
            a.close().get(10, TimeUnit.SECONDS);
            assertEquals("alice left", bob.next());
            assertNull(carol.lines.poll(200, TimeUnit.MILLISECONDS), "the garden hears nothing from the kitchen");
        }
    }
}
