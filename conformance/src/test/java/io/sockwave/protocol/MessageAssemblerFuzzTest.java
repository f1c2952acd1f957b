package io.sockwave.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link MessageAssembler} fed random pieces, masked or not, from heap or direct buffers: it hands back exactly the
 * unmasked bytes, never holds more than the message limit, fails only with 1009 ({@link MessageTooBigException}) or
 * 1007 ({@link InvalidPayloadException}), and then exactly when the limit or RFC 3629 says so.
 */
class MessageAssemblerFuzzTest {
    private static final int LIMIT = 1 << 16;

    @FuzzTest(maxDuration = "5m")
    void assemblesWithinItsLimit(FuzzedDataProvider data) {
        boolean text = data.consumeBoolean();
        int limit = data.consumeInt(0, LIMIT);
        long end = data.consumeBoolean() ? data.consumeLong(0, 2L * LIMIT) : -1;
        List<Piece> pieces = new ArrayList<>();
        int count = data.consumeInt(0, 64);
        for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
            int key = data.consumeBoolean() ? data.consumeInt() : 0;
            byte[] plain = data.consumeBytes(data.consumeInt(0, 4096));
            pieces.add(new Piece(plain, masked(plain, key, data.consumeBoolean(), data.consumeInt(0, 7)), key));
        }
        // Twice: the first run loads classes, which the allocation bound is not about.
        assemble(text, limit, end, pieces);
        FuzzBounds bounds = FuzzBounds.start();
        long fed = assemble(text, limit, end, pieces);
        bounds.checkAllocatedAtMost(4L * fed + 4 * MessageAssembler.INITIAL_CAPACITY + FuzzBounds.SLACK,
                "message of " + fed);
    }

    /** A piece as it arrives: its bytes, the buffer holding them masked with {@code key} from its position. */
    private record Piece(byte[] plain, ByteBuffer src, int key) {
    }

    /** @return how many bytes were fed */
    private static long assemble(boolean text, int limit, long end, List<Piece> pieces) {
        MessageAssembler assembler = new MessageAssembler(limit);
        assembler.begin(text);
        if (end >= 0) {
            assembler.expectEnd(end);
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        long fed = 0;
        try {
            for (Piece piece : pieces) {
                fed += piece.plain().length;
                assembler.write(piece.src(), piece.src().position(), piece.plain().length, piece.key());
                expected.write(piece.plain(), 0, piece.plain().length);
                assertTrue(assembler.held() <= limit, "holds " + assembler.held() + " > limit " + limit);
            }
            assembler.finishText();
        } catch (MessageTooBigException e) {
            assertTrue(fed > limit, "1009 only past the limit: " + fed + " of " + limit);
            return fed;
        } catch (InvalidPayloadException e) {
            assertTrue(text, "1007 only for text");
            return fed;
        }
        byte[] want = expected.toByteArray();
        if (text) {
            assertTrue(Utf8Validator.isValid(want, 0, want.length), "accepted text is valid UTF-8");
            assertEquals(new String(want, StandardCharsets.UTF_8), assembler.takeText());
        } else {
            assertArrayEquals(want, assembler.takeBytes());
        }
        assertEquals(0, assembler.held(), "released once taken");
        return fed;
    }

    /** @return {@code plain} masked with {@code key} as it applies from the buffer's position, at an offset */
    private static ByteBuffer masked(byte[] plain, int key, boolean direct, int offset) {
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(offset + plain.length)
                : ByteBuffer.allocate(offset + plain.length);
        buffer.position(offset);
        byte[] copy = plain.clone();
        Masking.mask(copy, 0, copy.length, key);
        buffer.put(copy).position(offset);
        return buffer;
    }
}
