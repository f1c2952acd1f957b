package io.sockwave.cli.it.soak;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.json.Json;

/**
 * One chat user of the soak, over the JDK's WebSocket client: it keeps the transcript of the room's events it
 * received, across its connections, and the messages it sent that are not acknowledged yet. When its connection
 * ends (its node killed, drained with 1012, or anything else) it connects to another node after a jittered backoff
 * with {@code since} set to the last offset it received, under a new name, and sends its unacknowledged messages
 * again with their ids.
 */
final class SoakClient {
    /** An event of the room's log as this client received it. */
    record Seen(String epoch, long sequence, String type, String member, String id) {}

    /** One connection's membership: its name, the node it joined on, and how it ended. */
    static final class Session {
        final String name;
        final int slot;
        final String nodeId;
        volatile long joinedAt = -1;
        volatile String ended;

        Session(String name, int slot, String nodeId) {
            this.name = name;
            this.slot = slot;
            this.nodeId = nodeId;
        }
    }

    /** What all clients share: the nodes, the timer, the HTTP client, and the tallies. */
    record Shared(SoakNodes nodes, HttpClient http, ScheduledExecutorService timer, SoakTally tally) {}

    private static final long BACKOFF_MILLIS = 250;
    private static final long BACKOFF_MAX_MILLIS = 5_000;

    final int index;
    final String room;
    private final Shared shared;
    private final Random random;
    private final List<Seen> transcript = new ArrayList<>();
    private final List<Session> sessions = new ArrayList<>();
    /** Unacknowledged messages, id to the JSON sent, in the order they were first said. */
    private final Map<String, String> pending = new LinkedHashMap<>();
    private Connection current;
    private String lastOffset;
    private long firstJoin = -1;
    private int failures;
    private int lastSlot = -1;
    private int said;
    private boolean stopped;

    SoakClient(int index, String room, Shared shared, long seed) {
        this.index = index;
        this.room = room;
        this.shared = shared;
        this.random = new Random(seed);
    }

    /** Connects to the node of this slot first, later to any node up. */
    synchronized void start(int slot) {
        connect(slot);
    }

    private void connect(int slot) {
        if (stopped) {
            return;
        }
        if (slot < 0) {
            retryLater();
            return;
        }
        Session session = new Session("c" + index + "s" + (sessions.size() + 1), slot, shared.nodes().id(slot));
        sessions.add(session);
        Connection connection = new Connection(session);
        current = connection;
        String query = "?name=" + session.name + (lastOffset == null ? "" : "&since=" + lastOffset);
        shared.http().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(shared.nodes().uri(slot, "/chat/" + room + query), connection)
                .whenComplete((socket, error) -> {
                    if (error != null) {
                        ended(connection, "connect failed: " + error);
                    }
                });
    }

    private void retryLater() {
        long ceiling = Math.min(BACKOFF_MAX_MILLIS, BACKOFF_MILLIS << Math.min(failures, 10));
        failures++;
        long delay = ceiling / 2 + (long) (random.nextDouble() * ceiling / 2);
        shared.timer().schedule(() -> {
            synchronized (this) {
                connect(shared.nodes().pick(lastSlot, random));
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Says a new message, now if connected, else once connected again. */
    synchronized void say() {
        String id = "c" + index + "-" + ++said;
        String json = "{\"id\":\"" + id + "\",\"text\":\"" + System.nanoTime() + " " + id + "\"}";
        pending.put(id, json);
        shared.tally().published.incrementAndGet();
        if (current != null && current.session.joinedAt >= 0) {
            current.send(json);
        }
    }

    private synchronized void welcome(Connection connection, Map<String, Object> event) {
        if (connection != current) {
            return;
        }
        String offset = (String) event.get("offset");
        connection.session.joinedAt = sequence(offset);
        failures = 0;
        if (firstJoin < 0) {
            firstJoin = sequence(offset);
            lastOffset = epoch(offset) + "-" + (firstJoin - 1);
        }
        pending.values().forEach(connection::send);
    }

    private synchronized void event(Connection connection, Map<String, Object> event) {
        if (connection != current) {
            return;
        }
        String type = (String) event.get("type");
        String offset = (String) event.get("offset");
        switch (type) {
            case "ack" -> {
                String id = (String) event.get("id");
                pending.remove(id);
                shared.tally().acknowledged(id, room, offset);
            }
            case "refused" -> {
                shared.tally().refused.incrementAndGet();
                String id = (String) event.get("id");
                shared.timer().schedule(() -> resend(connection, id), 500, TimeUnit.MILLISECONDS);
            }
            case "reset" -> {
                shared.tally().resets.incrementAndGet();
                lastOffset = offset;
            }
            case "join", "leave", "message" -> {
                boolean message = type.equals("message");
                transcript.add(new Seen(epoch(offset), sequence(offset), type,
                        (String) event.get(message ? "from" : "name"), message ? (String) event.get("id") : ""));
                lastOffset = offset;
                if (message) {
                    String text = (String) event.get("text");
                    long sent = Long.parseLong(text.substring(0, text.indexOf(' ')));
                    shared.tally().delivered(System.nanoTime() - sent);
                }
            }
            default -> throw new IllegalStateException("unknown event " + event);
        }
    }

    private synchronized void resend(Connection connection, String id) {
        String json = pending.get(id);
        if (json != null && connection == current) {
            connection.send(json);
        }
    }

    private synchronized void ended(Connection connection, String how) {
        if (connection.session.ended == null) {
            connection.session.ended = how;
        }
        if (connection != current) {
            return;
        }
        current = null;
        lastSlot = connection.session.slot;
        retryLater();
    }

    /** Stops reconnecting and closes the connection, at the end of the soak. */
    synchronized void stop() {
        stopped = true;
        if (current != null && current.socket != null) {
            current.socket.abort();
        }
    }

    synchronized boolean isJoined() {
        return current != null && current.session.joinedAt >= 0;
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    synchronized List<Seen> transcript() {
        return List.copyOf(transcript);
    }

    synchronized List<Session> sessions() {
        return List.copyOf(sessions);
    }

    /** @return the sequence of this client's first join, from which its transcript must be the log; -1 if none */
    synchronized long firstJoin() {
        return firstJoin;
    }

    static long sequence(String offset) {
        return Long.parseLong(offset.substring(offset.lastIndexOf('-') + 1));
    }

    static String epoch(String offset) {
        return offset.substring(0, offset.lastIndexOf('-'));
    }

    /** One WebSocket connection of this client; its sends are chained, as the JDK's client sends one at a time. */
    private final class Connection implements WebSocket.Listener {
        final Session session;
        private final StringBuilder text = new StringBuilder();
        private volatile WebSocket socket;
        private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

        Connection(Session session) {
            this.session = session;
        }

        synchronized void send(String json) {
            WebSocket target = socket;
            sending = sending.handle((ignored, error) -> null).thenCompose(ignored -> target.sendText(json, true));
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(1);
        }

        @Override
        @SuppressWarnings("unchecked")
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                Map<String, Object> event = new Json().toType(text.toString(), Map.class);
                text.setLength(0);
                if ("welcome".equals(event.get("type"))) {
                    welcome(this, event);
                } else {
                    event(this, event);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended(this, "closed " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended(this, "dropped: " + error);
        }
    }
}
