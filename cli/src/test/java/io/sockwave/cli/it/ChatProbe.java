package io.sockwave.cli.it;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.function.Predicate;
import org.openqa.selenium.json.Json;

/**
 * A chat client over {@link WsProbe} that reads the chat's JSON events. A sender's {@code ack} may come before or
 * after its own message event, so acks are kept apart from the room's events.
 */
final class ChatProbe implements AutoCloseable {
    private final WsProbe probe;
    private final Deque<Map<String, Object>> events = new ArrayDeque<>();
    private final Deque<Map<String, Object>> acks = new ArrayDeque<>();

    private ChatProbe(WsProbe probe) {
        this.probe = probe;
    }

    static ChatProbe connect(URI uri) throws Exception {
        return new ChatProbe(WsProbe.connect(uri));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String text) {
        return new Json().toType(text, Map.class);
    }

    WsProbe probe() {
        return probe;
    }

    private void readOne() throws InterruptedException {
        String text = probe.nextText();
        assertNotNull(text, "no event in time");
        Map<String, Object> event = json(text);
        ("ack".equals(event.get("type")) ? acks : events).addLast(event);
    }

    /** @return the next event that is not an ack */
    Map<String, Object> next() throws InterruptedException {
        while (events.isEmpty()) {
            readOne();
        }
        return events.removeFirst();
    }

    /** @return the next event that matches, dropping the ones before it */
    Map<String, Object> skipTo(Predicate<Map<String, Object>> match) throws InterruptedException {
        while (true) {
            Map<String, Object> event = next();
            if (match.test(event)) {
                return event;
            }
        }
    }

    /** @return the next ack */
    Map<String, Object> ack() throws InterruptedException {
        while (acks.isEmpty()) {
            readOne();
        }
        return acks.removeFirst();
    }

    /** Sends a message with an id, as the chat page does. */
    void say(String id, String text) throws Exception {
        probe.send("{\"id\":\"" + id + "\",\"text\":\"" + text + "\"}");
    }

    @Override
    public void close() throws Exception {
        probe.close();
    }
}
