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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** A room's member set goes with its last member: rooms named once and left do not stay in memory. */
    @Test
    void aRoomWhoseLastMemberLeftIsForgotten() throws Exception {
        AuthenticatedChat chat = new AuthenticatedChat();
        try (Server server = AuthenticatedChat.start(0, Map.of("a", "alice", "b", "bob"), chat);
             Client client = Client.create()) {
            String base = "ws://127.0.0.1:" + server.port() + "/chat/";
            List<Session> sessions = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Member member = new Member();
                sessions.add(client.connect(URI.create(base + "room-" + i + "?token=a"), member)
                        .get(10, TimeUnit.SECONDS));
                assertEquals("alice joined", member.next());
            }
            Member bob = new Member();
            Session b = client.connect(URI.create(base + "room-0?token=b"), bob).get(10, TimeUnit.SECONDS);
            assertEquals("bob joined", bob.next());
            assertEquals(20, chat.roomNames().size());
            for (Session session : sessions) {
                session.close().get(10, TimeUnit.SECONDS);
            }
            assertEquals("alice left", bob.next(), "the room with a member left hears the leave");
            assertEquals(Set.of("room-0"), awaitRooms(chat, 1), "only the room that still has a member is kept");
            b.close().get(10, TimeUnit.SECONDS);
            assertEquals(Set.of(), awaitRooms(chat, 0));
        }
    }

    /** @return the chat's rooms once there are {@code count} of them, or as they are after 10 s */
    private static Set<String> awaitRooms(AuthenticatedChat chat, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (chat.roomNames().size() != count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return chat.roomNames();
    }
}
