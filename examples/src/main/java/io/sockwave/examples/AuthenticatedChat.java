package io.sockwave.examples;

import io.sockwave.AttributeKey;
import io.sockwave.Listener;
import io.sockwave.Server;
import io.sockwave.Session;
import io.sockwave.UpgradeDecision;
import io.sockwave.UpgradeHook;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A multi-room chat with authentication in front: {@code ws://host:port/chat/{room}?token=...}. The upgrade hook
 * refuses an unknown token with 401 before any session exists, and names the user for the session it accepts.
 * Run with {@code java io.sockwave.examples.AuthenticatedChat [port]}; tokens {@code alice-token} and
 * {@code bob-token}.
 */
public final class AuthenticatedChat implements Listener {
    private static final AttributeKey<String> USER = AttributeKey.of("user", String.class);

    /** The members of each room that has any: a room's set goes with its last member, so names do not pile up. */
    private final Map<String, Set<Session>> rooms = new ConcurrentHashMap<>();

    /**
     * @param port the port, 0 for any free one
     * @param users user names by token; stands for a real token service
     * @return the started server
     * @throws IOException if the port cannot be bound
     */
    public static Server start(int port, Map<String, String> users) throws IOException {
        return start(port, users, new AuthenticatedChat());
    }

    /** As {@link #start(int, Map)}, with the chat given, so that a test can see its rooms. */
    static Server start(int port, Map<String, String> users, AuthenticatedChat chat) throws IOException {
        UpgradeHook authenticate = UpgradeHook.of(request -> {
            String user = users.get(String.valueOf(request.queryParam("token")));
            return user == null
                    ? UpgradeDecision.reject(401, "a valid token is required")
                            .withHeader("WWW-Authenticate", "Bearer realm=\"chat\"")
                    : UpgradeDecision.accept().withAttribute(USER, user);
        });
        return Server.builder().port(port).route("/chat/{room}", authenticate, chat).build().start();
    }

    @Override
    public void onOpen(Session session) {
        // Joined inside compute, which a leave's computeIfPresent cannot interleave with: a set that a leave is
        // about to drop as empty never gets a member.
        rooms.compute(session.pathParam("room"), (room, members) -> {
            Set<Session> joined = members != null ? members : ConcurrentHashMap.newKeySet();
            joined.add(session);
            return joined;
        });
        say(session, session.attribute(USER) + " joined");
    }

    @Override
    public void onText(Session session, String text) {
        say(session, session.attribute(USER) + ": " + text);
    }

    @Override
    public void onClose(Session session, int code, String reason) {
        rooms.computeIfPresent(session.pathParam("room"), (room, members) -> {
            members.remove(session);
            return members.isEmpty() ? null : members;
        });
        say(session, session.attribute(USER) + " left");
    }

    /** Sends to the room's members; a room without any has no set, and none is made for it. */
    private void say(Session from, String line) {
        Set<Session> members = rooms.get(from.pathParam("room"));
        if (members != null) {
            Server.broadcast(members, line);
        }
    }

    /** @return the names of the rooms that have members now */
    Set<String> roomNames() {
        return Set.copyOf(rooms.keySet());
    }

    /**
     * @param args the port, default 8080
     * @throws IOException if the port cannot be bound
     */
    public static void main(String[] args) throws IOException {
        Server server = start(args.length > 0 ? Integer.parseInt(args[0]) : 8080,
                Map.of("alice-token", "alice", "bob-token", "bob"));
        System.out.println("ws://localhost:" + server.port() + "/chat/{room}?token=alice-token");
    }
}
