package io.sockwave.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Connection.receive is not re-entrant: a handler that calls it from a callback would have its bytes decoded as the
 * rest of the frame the outer call is inside. It is refused with an IllegalStateException, as the class Javadoc says,
 * and the outer call goes on decoding its own bytes as if nothing happened.
 */
class NestedReceiveTest {

    private static byte[] text(String s) {
        return Frames.client(Frames.TEXT, s.getBytes(StandardCharsets.UTF_8));
    }

    /** Calls receive again from every callback, and records what it decoded and what the nested calls threw. */
    private static final class NestingHandler implements EventHandler {
        final Connection connection;
        final List<String> decoded = new ArrayList<>();
        final List<Throwable> refusals = new ArrayList<>();
        final ByteBuffer nested = ByteBuffer.wrap(text("nested"));

        NestingHandler(Connection connection) {
            this.connection = connection;
        }

        private void nest(String what) {
            decoded.add(what);
            try {
                connection.receive(nested, this);
            } catch (RuntimeException e) {
                refusals.add(e);
            }
        }

        @Override
        public void onText(String text) {
            nest(text);
        }

        @Override
        public void onFragment(Opcode type, ByteBuffer data, boolean last) {
            nest(StandardCharsets.UTF_8.decode(data) + (last ? "|" : ""));
        }
    }

    @Test
    void aNestedReceiveFromOnTextIsRefusedAndTheOuterCallDecodesTheRest() {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));
        NestingHandler handler = new NestingHandler(server);

        server.receive(ByteBuffer.wrap(Frames.concat(text("one"), text("two"))), handler);

        assertEquals(List.of("one", "two"), handler.decoded, "the nested frame is not decoded");
        assertEquals(2, handler.refusals.size());
        assertInstanceOf(IllegalStateException.class, handler.refusals.get(0));
        assertEquals(0, handler.nested.position(), "a refused call consumes nothing");
        assertEquals(State.OPEN, server.state());
    }

    @Test
    void aNestedReceiveInTheMiddleOfAStreamedFrameIsRefused() {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER).withStreaming(true));
        NestingHandler handler = new NestingHandler(server);
        byte[] frame = text("streamed in two reads");

        // The first read ends inside the payload: the nested call would come in the middle of the frame (§5.2).
        server.receive(ByteBuffer.wrap(frame, 0, 10).slice(), handler);
        server.receive(ByteBuffer.wrap(frame, 10, frame.length - 10).slice(), handler);

        assertEquals("streamed in two reads|", String.join("", handler.decoded));
        assertFalse(handler.refusals.isEmpty());
        handler.refusals.forEach(e -> assertInstanceOf(IllegalStateException.class, e));
        assertEquals(State.OPEN, server.state());
    }
}
