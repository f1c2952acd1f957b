package io.sockwave.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** An {@link EventHandler} that keeps each event as an {@link Event}, for callers that pull rather than listen. */
public final class EventQueue implements EventHandler {
    private final ArrayDeque<Event> events = new ArrayDeque<>();

    /** @return the oldest event not yet taken, or null when there is none */
    public Event poll() {
        return events.poll();
    }

    /** @return every event not yet taken, oldest first; they are removed from the queue */
    public List<Event> drain() {
        List<Event> all = new ArrayList<>(events);
        events.clear();
        return all;
    }

    @Override
    public void onText(String text) {
        events.add(new Event.Text(text));
    }

    @Override
    public void onBinary(ByteBuffer data) {
        events.add(new Event.Binary(data));
    }

    @Override
    public void onFragment(Opcode type, ByteBuffer data, boolean last) {
        events.add(new Event.Fragment(type, data, last));
    }

    @Override
    public void onPing(ByteBuffer payload) {
        events.add(new Event.Ping(payload));
    }

    @Override
    public void onPong(ByteBuffer payload) {
        events.add(new Event.Pong(payload));
    }

    @Override
    public void onClose(int code, String reason) {
        events.add(new Event.Close(code, reason));
    }

    @Override
    public void onFailure(ProtocolException error) {
        events.add(new Event.Failure(error.closeCode(), error.getMessage()));
    }
}
