package io.sockwave.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.testsupport.AllocatedBytes;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * A design goal of {@link Connection#receive}: no allocation per frame beyond the payload handed to the application
 * (its array, and the String or ByteBuffer around it). Measured in bytes allocated by the receiving thread, which
 * is a count, not a timing.
 */
class HotPathAllocationTest {
    private static final int FRAMES = 2000;
    private static final int PAYLOAD = 100;
    /** The array header and the wrapper object (ByteBuffer or String) around each payload, with room to spare. */
    private static final int OVERHEAD = 80;

    /** Counts events without keeping them, so that the count is all the handler allocates. */
    private static final class Counting implements EventHandler {
        int messages;

        @Override
        public void onText(String text) {
            messages++;
        }

        @Override
        public void onBinary(ByteBuffer data) {
            messages++;
        }
    }

    private static long perFrame(byte[] stream, boolean direct, int readSize) {
        ByteBuffer in = direct ? ByteBuffer.allocateDirect(stream.length) : ByteBuffer.allocate(stream.length);
        Counting handler = new Counting();
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));
        for (int round = 0; round < 3; round++) {
            // The first rounds warm up class loading and compilation; the last is measured.
            in.clear();
            in.put(stream).flip();
            long before = AllocatedBytes.byCurrentThread();
            for (int at = 0; at < stream.length; at += readSize) {
                server.receive(in.limit(Math.min(stream.length, at + readSize)), handler);
            }
            long allocated = AllocatedBytes.byCurrentThread() - before;
            if (round == 2) {
                assertEquals(3 * FRAMES, handler.messages);
                return allocated / FRAMES;
            }
        }
        throw new AssertionError("unreachable");
    }

    private static byte[] stream(int opcode, byte[] payload) {
        byte[] frame = Frames.client(opcode, payload);
        byte[] stream = new byte[frame.length * FRAMES];
        for (int i = 0; i < FRAMES; i++) {
            System.arraycopy(frame, 0, stream, i * frame.length, frame.length);
        }
        return stream;
    }

    @Test
    void binaryFramesInOneHeapReadAllocateOnlyTheirPayload() {
        long perFrame = perFrame(stream(Frames.BINARY, Frames.pattern(PAYLOAD)), false, Integer.MAX_VALUE);
        assertTrue(perFrame <= PAYLOAD + OVERHEAD, perFrame + " bytes allocated per " + PAYLOAD + "-byte frame");
    }

    @Test
    void binaryFramesInOneDirectReadAllocateOnlyTheirPayload() {
        long perFrame = perFrame(stream(Frames.BINARY, Frames.pattern(PAYLOAD)), true, Integer.MAX_VALUE);
        assertTrue(perFrame <= PAYLOAD + OVERHEAD, perFrame + " bytes allocated per " + PAYLOAD + "-byte frame");
    }

    @Test
    void asciiTextFramesAllocateOnlyTheirString() {
        long perFrame = perFrame(stream(Frames.TEXT, Frames.utf8("a".repeat(PAYLOAD))), false, Integer.MAX_VALUE);
        assertTrue(perFrame <= PAYLOAD + OVERHEAD, perFrame + " bytes allocated per " + PAYLOAD + "-byte frame");
    }

    @Test
    void framesSplitAcrossSmallReadsAllocateNoMore() {
        // 7-byte reads split headers and payloads alike.
        long perFrame = perFrame(stream(Frames.BINARY, Frames.pattern(PAYLOAD)), false, 7);
        assertTrue(perFrame <= PAYLOAD + OVERHEAD, perFrame + " bytes allocated per " + PAYLOAD + "-byte frame");
    }

    /** The send side: a whole message costs its frame (one array and the ByteBuffer around it), nothing more. */
    private static long perSend(Role role, boolean text) {
        Connection connection = new Connection(ConnectionConfig.of(role));
        String message = "a".repeat(PAYLOAD);
        ByteBuffer data = ByteBuffer.wrap(Frames.pattern(PAYLOAD));
        long allocated = 0;
        for (int round = 0; round < 3; round++) {
            long before = AllocatedBytes.byCurrentThread();
            for (int i = 0; i < FRAMES; i++) {
                ByteBuffer frame = text ? connection.sendText(message) : connection.sendBinary(data);
                assertEquals(PAYLOAD + FrameEncoder.headerSize(PAYLOAD, role == Role.CLIENT), frame.remaining());
            }
            allocated = AllocatedBytes.byCurrentThread() - before;
        }
        return allocated / FRAMES;
    }

    @Test
    void serverTextAndBinarySendsAllocateOnlyTheirFrame() {
        for (boolean text : new boolean[] {true, false}) {
            long perSend = perSend(Role.SERVER, text);
            assertTrue(perSend <= PAYLOAD + OVERHEAD, perSend + " bytes allocated per " + PAYLOAD + "-byte "
                    + (text ? "text" : "binary") + " message sent");
        }
    }

    /** What the JDK's SecureRandom allocates per refill of 256 mask keys, spread over those keys. */
    private static final int MASK_KEY_BATCH_SHARE = 128;

    @Test
    void clientTextSendsAllocateOnlyTheirMaskedFrame() {
        long perSend = perSend(Role.CLIENT, true);
        assertTrue(perSend <= PAYLOAD + OVERHEAD + MASK_KEY_BATCH_SHARE,
                perSend + " bytes allocated per " + PAYLOAD + "-byte message sent");
    }
}
