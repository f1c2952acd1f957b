package io.sockwave.cli.serve;

import io.sockwave.AttributeKey;
import io.sockwave.Listener;
import io.sockwave.Server;
import io.sockwave.Session;
import io.sockwave.cli.json.JsonObject;
import io.sockwave.protocol.CloseCode;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The {@code /chat} endpoint: one room where every text message a client sends goes to every client, with join and
 * leave notices and the number of people present. Clients send plain text; the server sends JSON events, described
 * in cli/README.md:
 *
 * <pre>
 * {"type":"welcome","you":"guest-3","count":2}          to a new client only
 * {"type":"join","name":"guest-3","count":2}            to everyone, the new client included
 * {"type":"message","from":"guest-3","text":"hi","count":2}
 * {"type":"leave","name":"guest-3","count":1}
 * </pre>
 *
 * A text longer than {@value #MAX_TEXT_CHARS} characters closes its sender's connection with 1009.
 * A client may choose its name with {@code ?name=} in the URL (letters, digits, {@code .-_}, up to 24 characters);
 * otherwise it is {@code guest-N}. Thread-safe: sessions of different event loops join, talk and leave concurrently.
 */
final class ChatRoom implements Listener {
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}._-]{1,24}");
    private static final AttributeKey<String> NAME_KEY = AttributeKey.of("chat.name", String.class);
    /** Bounds what one message costs the room: its JSON, sent to everyone, can be six times the text. */
    static final int MAX_TEXT_CHARS = 16 * 1024;

    private final Map<Session, String> present = new ConcurrentHashMap<>();
    private final AtomicInteger guests = new AtomicInteger();

    @Override
    public void onOpen(Session session) {
        String name = requestedName(session.query());
        if (name == null) {
            name = "guest-" + guests.incrementAndGet();
        }
        session.setAttribute(NAME_KEY, name);
        present.put(session, name);
        int count = present.size();
        session.sendText(new JsonObject().put("type", "welcome").put("you", name).put("count", count).toString());
        broadcast(new JsonObject().put("type", "join").put("name", name).put("count", count));
    }

    @Override
    public void onText(Session session, String text) {
        if (text.length() > MAX_TEXT_CHARS) {
            session.close(CloseCode.MESSAGE_TOO_BIG, "chat messages are limited to " + MAX_TEXT_CHARS + " characters");
            return;
        }
        String from = session.attribute(NAME_KEY);
        broadcast(new JsonObject().put("type", "message").put("from", from).put("text", text)
                .put("count", present.size()));
    }

    @Override
    public void onBinary(Session session, ByteBuffer data) {
        session.close(CloseCode.UNSUPPORTED_DATA, "the chat takes text messages only");
    }

    @Override
    public void onClose(Session session, int code, String reason) {
        String name = present.remove(session);
        if (name != null) {
            broadcast(new JsonObject().put("type", "leave").put("name", name).put("count", present.size()));
        }
    }

    /**
     * Sends one event to everyone, encoded once. A client that cannot keep up is closed by the server's outbound
     * limit rather than allowed to hold memory or slow the others.
     */
    private void broadcast(JsonObject event) {
        Server.broadcast(present.keySet(), event.toString());
    }

    /** @return the valid name asked for in the query, or null */
    static String requestedName(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("name=")) {
                try {
                    String name = URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
                    return NAME.matcher(name).matches() ? name : null;
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
