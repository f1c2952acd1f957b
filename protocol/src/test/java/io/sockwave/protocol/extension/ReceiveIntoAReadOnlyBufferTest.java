package io.sockwave.protocol.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sockwave.protocol.Event;
import io.sockwave.protocol.EventQueue;
import io.sockwave.protocol.Limits;
import io.sockwave.protocol.State;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Connection.receive documents that its buffer "must be writable" (payloads an extension reads are unmasked in
 * place). A read-only buffer is a caller's mistake that must be refused before any of it is consumed, not half-way
 * through a frame, which left the frame reader inside a payload whose bytes it never got.
 */
class ReceiveIntoAReadOnlyBufferTest {

    @Test
    void aReadOnlyBufferIsRefusedWithNothingConsumedAndTheSameBytesWorkOnceWritable() {
        DeflatePeers peers = DeflatePeers.negotiate(PerMessageDeflate.defaults(), PerMessageDeflate.defaults(),
                Limits.DEFAULTS);
        String text = "compressible ".repeat(40);
        ByteBuffer frame = peers.server().sendText(text);
        ByteBuffer readOnly = frame.asReadOnlyBuffer();
        EventQueue events = new EventQueue();

        assertThrows(IllegalArgumentException.class, () -> peers.client().receive(readOnly, events));
        assertEquals(0, readOnly.position(), "nothing may be consumed from a refused buffer");
        assertEquals(State.OPEN, peers.client().state());

        peers.client().receive(frame, events);

        assertEquals(List.of(new Event.Text(text)), events.drain(), "RFC 7692 §7.2.2: the message is inflated");
        peers.release();
    }
}
