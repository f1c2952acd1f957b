package io.sockwave.bench.peers.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/** The generator's pre-compressed chat stream (RFC 7692 §7.2.1) and the JSON lines it is made of. */
class DeflateFramesTest {
    private static final int MASK = 0x1234_5678;

    @Test
    void chatLinesAreDistinctJsonOf80To300Bytes() {
        List<byte[]> lines = ChatLines.generate(DeflateScenario.CHAT_LINES, 20);
        assertEquals(DeflateScenario.CHAT_LINES, lines.size());
        assertEquals(lines.size(), new HashSet<>(lines.stream().map(Arrays::toString).toList()).size());
        for (byte[] line : lines) {
            String text = new String(line, java.nio.charset.StandardCharsets.US_ASCII);
            assertTrue(line.length >= ChatLines.MIN_LENGTH && line.length <= ChatLines.MAX_LENGTH, text);
            assertTrue(text.startsWith("{\"room\":\"") && text.endsWith("\"}") && text.contains("\"user\":"), text);
        }
    }

    /**
     * §7.2.1 with context takeover: the cycle, sent twice and more on one connection, inflates to the lines on one
     * inflater that never resets, as a server's does; the second pass starts where the first left its window.
     */
    @Test
    void section7_2_1_takeoverCycleInflatesOnOneContinuingInflater() throws Exception {
        List<byte[]> lines = ChatLines.generate(64, 7);
        DeflateFrames frames = DeflateFrames.prepare(lines, true, MASK);
        Inflater inflater = new Inflater(true);
        try {
            for (int pass = 0; pass < 3; pass++) {
                for (int i = 0; i < lines.size(); i++) {
                    assertArrayEquals(lines.get(i), inflate(inflater, frames.compressed(i)), "pass " + pass + " " + i);
                }
            }
            // Starting anywhere but at the cycle's first message would not inflate: message 1 refers to message 0.
            Inflater fresh = new Inflater(true);
            try {
                byte[] out = inflateOrNull(fresh, frames.compressed(1));
                assertTrue(out == null || !Arrays.equals(lines.get(1), out), "message 1 needs message 0's context");
            } finally {
                fresh.end();
            }
        } finally {
            inflater.end();
        }
    }

    @Test
    void section7_1_1_withoutTakeoverEachMessageInflatesOnItsOwnAndTakeoverCompressesBetter() throws Exception {
        List<byte[]> lines = ChatLines.generate(64, 7);
        DeflateFrames alone = DeflateFrames.prepare(lines, false, MASK);
        for (int i = lines.size() - 1; i >= 0; i--) {
            Inflater inflater = new Inflater(true);
            try {
                assertArrayEquals(lines.get(i), inflate(inflater, alone.compressed(i)), "message " + i);
            } finally {
                inflater.end();
            }
        }
        DeflateFrames takeover = DeflateFrames.prepare(lines, true, MASK);
        assertTrue(takeover.meanCompressedLength() < 0.7 * alone.meanCompressedLength(),
                takeover.meanCompressedLength() + " vs " + alone.meanCompressedLength());
    }

    /** §6, RFC 6455 §5.2-5.3: each slice holds final, masked text frames with RSV1, whose payloads unmask. */
    @Test
    void section6_slicesHoldMaskedCompressedTextFramesAcrossTheCycleEnd() {
        List<byte[]> lines = ChatLines.generate(8, 3);
        DeflateFrames frames = DeflateFrames.prepare(lines, true, MASK);
        ByteBuf buffer = frames.newBuffer();
        ByteBuf slice = frames.slice(buffer, 6, 4);
        try {
            byte[] key = {0x12, 0x34, 0x56, 0x78};
            for (int i : new int[] {6, 7, 0, 1}) {
                assertEquals(0xC1, slice.readUnsignedByte(), "FIN, RSV1, text");
                int second = slice.readUnsignedByte();
                assertEquals(0x80, second & 0x80, "masked");
                byte[] expected = frames.compressed(i);
                int length = second & 0x7F;
                assertTrue(length <= 126, "a chat message compresses to less than 64 KiB");
                assertEquals(expected.length, length == 126 ? slice.readUnsignedShort() : length);
                byte[] readKey = new byte[4];
                slice.readBytes(readKey);
                assertArrayEquals(key, readKey);
                byte[] payload = new byte[expected.length];
                slice.readBytes(payload);
                for (int j = 0; j < payload.length; j++) {
                    payload[j] ^= key[j & 3];
                }
                assertArrayEquals(expected, payload, "message " + i);
            }
            assertEquals(0, slice.readableBytes());
        } finally {
            slice.release();
            buffer.release();
        }
    }

    static byte[] inflate(Inflater inflater, byte[] compressed) throws DataFormatException {
        byte[] out = inflateOrNull(inflater, compressed);
        if (out == null) {
            throw new DataFormatException("does not inflate");
        }
        return out;
    }

    private static byte[] inflateOrNull(Inflater inflater, byte[] compressed) {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        byte[] chunk = new byte[1024];
        try {
            for (byte[] input : List.of(compressed, DeflateFrames.TAIL)) {
                inflater.setInput(input);
                while (!inflater.needsInput()) {
                    message.write(chunk, 0, inflater.inflate(chunk));
                }
            }
        } catch (DataFormatException e) {
            return null;
        }
        return message.toByteArray();
    }
}
