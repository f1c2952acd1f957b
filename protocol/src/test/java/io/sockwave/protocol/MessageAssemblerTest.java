package io.sockwave.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** {@link MessageAssembler} on the edges its callers may reach; the fuzz target in conformance/ covers the rest. */
class MessageAssemblerTest {
    /** Found by fuzzing: an empty piece before the first byte met no array to copy into and threw. */
    @Test
    void anEmptyPieceBeforeAnyByteIsNothing() {
        MessageAssembler assembler = new MessageAssembler(16);
        assembler.begin(false);
        assembler.write(ByteBuffer.allocate(0), 0, 0, 0);
        assembler.write(null, 0, 0, 0);
        assembler.write(new byte[0], 0, 0);
        assertEquals(0, assembler.held(), "nothing allocated for nothing");
        assembler.write(ByteBuffer.wrap(new byte[] {1, 2}), 0, 2, 0);
        assembler.write(ByteBuffer.allocateDirect(0), 0, 0, 0);
        assertArrayEquals(new byte[] {1, 2}, assembler.takeBytes());
    }

    @Test
    void anEmptyTextMessageIsTheEmptyString() {
        MessageAssembler assembler = new MessageAssembler(16);
        assembler.begin(true);
        assembler.write(ByteBuffer.allocate(0), 0, 0, 0x11223344);
        assembler.finishText();
        assertEquals("", assembler.takeText());
    }
}
