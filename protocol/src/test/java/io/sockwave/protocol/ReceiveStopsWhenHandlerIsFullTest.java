package io.sockwave.protocol;

import static io.sockwave.protocol.Frames.BINARY;
import static io.sockwave.protocol.Frames.PING;
import static io.sockwave.protocol.Frames.PONG;
import static io.sockwave.protocol.Frames.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link EventHandler#wantsMore()}: a handler that can take no more stops {@link Connection#receive} after the event
 * that filled it, and the bytes not decoded stay in the buffer, exactly, to be given again: a runtime whose
 * application is behind then holds the bytes the peer sent rather than every message they would decode (or inflate)
 * to.
 */
class ReceiveStopsWhenHandlerIsFullTest {
    /** Takes one event at a time. */
    private static final class OneAtATime implements EventHandler {
        final EventQueue events = new EventQueue();
        boolean full;

        @Override
        public boolean wantsMore() {
            return !full;
        }

        @Override
        public void onText(String text) {
            events.onText(text);
            full = true;
        }

        @Override
        public void onBinary(ByteBuffer data) {
            events.onBinary(data);
            full = true;
        }

        @Override
        public void onPing(ByteBuffer payload) {
            events.onPing(payload);
            full = true;
        }
    }

    @Test
    void decodingStopsAfterTheEventThatFillsTheHandlerAndResumesWhereItStopped() {
        Connection connection = new Connection(ConnectionConfig.of(Role.SERVER));
        byte[] second = Frames.client(BINARY, new byte[] {1, 2, 3});
        byte[] third = Frames.client(PING, Frames.utf8("p"));
        ByteBuffer in = ByteBuffer.wrap(Frames.concat(Frames.client(TEXT, Frames.utf8("one")), second, third));
        OneAtATime handler = new OneAtATime();

        connection.receive(in, handler);
        assertEquals(List.of(new Event.Text("one")), handler.events.drain());
        assertEquals(second.length + third.length, in.remaining(), "the rest is left undecoded");

        handler.full = false;
        connection.receive(in, handler);
        assertEquals(List.of(new Event.Binary(ByteBuffer.wrap(new byte[] {1, 2, 3}))), handler.events.drain());
        assertEquals(third.length, in.remaining());

        handler.full = false;
        connection.receive(in, handler);
        assertEquals(List.of(new Event.Ping(ByteBuffer.wrap(Frames.utf8("p")))), handler.events.drain());
        assertEquals(0, in.remaining());
        assertEquals(PONG, Frames.decode(connection.pollOutput()).opcode(), "the pong is owed");
    }

    @Test
    void aHandlerThatWantsNothingGetsNothingDecoded() {
        Connection connection = new Connection(ConnectionConfig.of(Role.SERVER));
        byte[] frame = Frames.client(TEXT, Frames.utf8("held"));
        ByteBuffer in = ByteBuffer.wrap(frame);
        OneAtATime handler = new OneAtATime();
        handler.full = true;

        connection.receive(in, handler);

        assertEquals(List.of(), handler.events.drain());
        assertEquals(frame.length, in.remaining());
    }
}
