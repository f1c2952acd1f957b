package io.sockwave.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frames built in buffers a runtime hands out (direct, in either byte order) carry the same bytes on the wire as
 * heap frames: RFC 6455 §5.2's header and §5.3's masking do not depend on where a frame lies.
 */
class FrameAllocatorTest {
    /** Direct buffers in the given order, remembered so the test can tell its frames came from here. */
    private static final class DirectFrames implements FrameAllocator {
        final ByteOrder order;
        final List<ByteBuffer> handedOut = new ArrayList<>();

        DirectFrames(ByteOrder order) {
            this.order = order;
        }

        @Override
        public ByteBuffer allocate(int size) {
            ByteBuffer frame = ByteBuffer.allocateDirect(size).order(order);
            handedOut.add(frame);
            return frame;
        }
    }

    private static final int KEY = 0x37FA213D;

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 7, 125, 126, 1021, 16384, 65535, 65536, 70_001})
    void aServerFrameInADirectBufferIsTheHeapFrameByteForByte(int length) {
        for (ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
            DirectFrames frames = new DirectFrames(order);
            Connection server = new Connection(ConnectionConfig.of(Role.SERVER).withFrames(frames));
            byte[] payload = Frames.pattern(length);

            ByteBuffer frame = server.sendBinary(ByteBuffer.wrap(payload));

            assertTrue(frame.isDirect());
            assertEquals(frames.handedOut.get(0), frame, "the frame is the allocator's buffer");
            assertArrayEquals(Frames.server(0x2, payload), Frames.toArray(frame));
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 3, 125, 126, 4099, 65536})
    void aClientFrameMaskedInADirectBufferIsTheHeapFrameByteForByte(int length) {
        for (ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
            DirectFrames frames = new DirectFrames(order);
            Connection client = new Connection(ConnectionConfig.of(Role.CLIENT).withMaskKeys(() -> KEY)
                    .withFrames(frames));
            byte[] payload = Frames.pattern(length);

            ByteBuffer frame = client.sendBinary(ByteBuffer.wrap(payload));

            assertTrue(frame.isDirect());
            ByteBuffer heap = new Connection(ConnectionConfig.of(Role.CLIENT).withMaskKeys(() -> KEY))
                    .sendBinary(ByteBuffer.wrap(payload));
            assertArrayEquals(Frames.toArray(heap), Frames.toArray(frame));
            assertEquals(List.of(new Event.Binary(ByteBuffer.wrap(payload))),
                    Peer.server().receive(Frames.toArray(frame)), "a server reads it back unmasked");
        }
    }

    @Test
    void controlFramesComeFromTheAllocatorToo() {
        DirectFrames frames = new DirectFrames(ByteOrder.BIG_ENDIAN);
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER).withFrames(frames));

        ByteBuffer ping = server.ping(ByteBuffer.wrap(Frames.utf8("hi")));
        ByteBuffer close = server.close(CloseCode.NORMAL_CLOSURE, "bye");

        assertEquals(List.of(ping, close), frames.handedOut);
        assertArrayEquals(Frames.server(0x9, Frames.utf8("hi")), Frames.toArray(ping));
        assertEquals(CloseCode.NORMAL_CLOSURE, Frames.decode(close).closeCode());
    }

    @Test
    void theReplyToACloseComesFromTheAllocatorAndEchoesOnlyTheCode() {
        // RFC 6455 §5.5.1: the endpoint typically echoes the status code it received; the reason stays behind.
        DirectFrames frames = new DirectFrames(ByteOrder.LITTLE_ENDIAN);
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER).withFrames(frames));
        server.receive(ByteBuffer.wrap(Frames.client(0x8, Frames.closePayload(1001, Frames.utf8("going")))),
                new EventHandler() { });

        ByteBuffer reply = server.pollOutput();

        assertEquals(List.of(reply), frames.handedOut);
        assertArrayEquals(Frames.server(0x8, new byte[] {0x03, (byte) 0xE9}), Frames.toArray(reply));
    }

    @Test
    void anArrayPayloadIsEncodedWhereTheAllocatorSays() {
        DirectFrames frames = new DirectFrames(ByteOrder.BIG_ENDIAN);
        byte[] around = Frames.pattern(300);

        ByteBuffer frame = FrameEncoder.encode(true, 0, Opcode.BINARY, around, 40, 200, true, KEY, frames);

        assertEquals(List.of(frame), frames.handedOut);
        ByteBuffer heap = FrameEncoder.encode(true, 0, Opcode.BINARY, ByteBuffer.wrap(around, 40, 200), true, KEY);
        assertArrayEquals(Frames.toArray(heap), Frames.toArray(frame));
        assertThrows(IndexOutOfBoundsException.class,
                () -> FrameEncoder.encode(true, 0, Opcode.BINARY, around, 200, 101, false, 0, frames));
    }

    @Test
    void anAllocatorThatReturnsTheWrongSizeIsRefused() {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER)
                .withFrames(size -> ByteBuffer.allocate(size + 1)));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> server.sendBinary(ByteBuffer.wrap(new byte[10])));
        assertTrue(e.getMessage().contains("for a frame of 12 bytes"), e.getMessage());
    }
}
