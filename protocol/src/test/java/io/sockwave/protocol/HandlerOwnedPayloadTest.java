package io.sockwave.protocol;

import static io.sockwave.protocol.Frames.PING;
import static io.sockwave.protocol.Frames.PONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * EventHandler's promise that "payload buffers handed to a handler belong to it": what a handler does with them
 * must not reach the frames the connection owes its peer.
 */
class HandlerOwnedPayloadTest {

    @Test
    void section5_5_3PongCarriesThePingsDataEvenWhenTheHandlerOverwritesItsPingBuffer() {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));
        byte[] payload = Frames.utf8("are you there?");
        EventHandler scribbler = new EventHandler() {
            @Override
            public void onPing(ByteBuffer data) {
                // The buffer is the handler's: reusing it as scratch space is its right.
                while (data.hasRemaining()) {
                    data.put((byte) 'x');
                }
            }
        };

        server.receive(ByteBuffer.wrap(Frames.client(PING, payload)), scribbler);

        Frames.Decoded pong = Frames.decode(server.pollOutput());
        assertEquals(PONG, pong.opcode());
        assertArrayEquals(payload, pong.payload(), "§5.5.3: a Pong MUST carry the Ping's application data");
    }
}
