package io.sockwave.bench.peers.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generator's reader of server frames (RFC 6455 §5.2), fed whole and cut at every byte. */
class FrameReaderTest {
    /** Records what the reader reports. */
    private static final class Recorder implements FrameWalker.Sink {
        int echoes;
        int sampled;
        final List<String> controls = new ArrayList<>();
        final List<String> mismatches = new ArrayList<>();

        @Override
        public void onEcho(boolean wasSampled) {
            echoes++;
            if (wasSampled) {
                sampled++;
            }
        }

        @Override
        public void onControl(int opcode, byte[] payload, int length) {
            StringBuilder s = new StringBuilder(Integer.toString(opcode)).append(':');
            for (int i = 0; i < length; i++) {
                s.append(payload[i] & 0xFF).append(',');
            }
            controls.add(s.toString());
        }

        @Override
        public void onMismatch(String problem) {
            mismatches.add(problem);
        }
    }

    /** An unmasked server frame, FIN set, with the shortest length encoding (§5.2). */
    static byte[] serverFrame(int first, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first);
        int n = payload.length;
        if (n <= 125) {
            out.write(n);
        } else if (n <= 0xFFFF) {
            out.write(126);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) n >> shift));
            }
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static Recorder feedInTwo(byte[] stream, int cut, int opcode, byte[] expected, int sampleEvery) {
        Recorder r = new Recorder();
        FrameReader reader = new FrameReader(r);
        reader.expect(opcode, expected, sampleEvery);
        ByteBuf first = Unpooled.wrappedBuffer(stream, 0, cut);
        ByteBuf second = Unpooled.wrappedBuffer(stream, cut, stream.length - cut);
        reader.feed(first);
        reader.feed(second);
        if (r.mismatches.isEmpty()) {
            assertEquals(0, first.readableBytes() + second.readableBytes(), "every byte is consumed");
        }
        return r;
    }

    @Test
    void section5_2_textEchoesAreCountedAtEverySplit() {
        byte[] payload = ClientFrames.textPayload(32, 1);
        byte[] stream = concat(serverFrame(0x81, payload), serverFrame(0x81, payload), serverFrame(0x81, payload));
        for (int cut = 0; cut <= stream.length; cut++) {
            Recorder r = feedInTwo(stream, cut, ClientFrames.TEXT, payload, 1);
            assertEquals(List.of(), r.mismatches, "cut at " + cut);
            assertEquals(3, r.echoes, "cut at " + cut);
            assertEquals(3, r.sampled, "cut at " + cut);
        }
    }

    @Test
    void section5_2_sixteenBitAndSixtyFourBitLengthsAreRead() {
        for (int length : new int[] {126, 16384, 65535, 65536, 70000}) {
            byte[] payload = ClientFrames.binaryPayload(length, length);
            byte[] stream = serverFrame(0x82, payload);
            for (int cut : new int[] {1, 2, 3, 4, 9, 10, 11, stream.length / 2, stream.length - 1}) {
                Recorder r = feedInTwo(stream, cut, ClientFrames.BINARY, payload, 1);
                assertEquals(List.of(), r.mismatches, length + " bytes cut at " + cut);
                assertEquals(1, r.echoes, length + " bytes cut at " + cut);
            }
        }
    }

    @Test
    void samplingComparesOnlyOneFrameInN() {
        byte[] payload = ClientFrames.textPayload(32, 1);
        byte[] frame = serverFrame(0x81, payload);
        Recorder r = feedInTwo(concat(frame, frame, frame, frame, frame), 7, ClientFrames.TEXT, payload, 4);
        assertEquals(5, r.echoes);
        assertEquals(2, r.sampled, "frames 0 and 4 are compared");
    }

    @Test
    void aSampledPayloadThatDiffersIsAMismatch() {
        byte[] payload = ClientFrames.textPayload(32, 1);
        byte[] other = payload.clone();
        other[31] ^= 1;
        Recorder r = feedInTwo(serverFrame(0x81, other), 20, ClientFrames.TEXT, payload, 1);
        assertEquals(0, r.echoes);
        assertEquals(1, r.mismatches.size());
        assertTrue(r.mismatches.get(0).contains("differs"), r.mismatches.get(0));
    }

    @Test
    void wrongOpcodeOrLengthIsAMismatch() {
        byte[] payload = ClientFrames.textPayload(32, 1);
        Recorder binary = feedInTwo(serverFrame(0x82, payload), 5, ClientFrames.TEXT, payload, 1);
        assertEquals(1, binary.mismatches.size(), "binary frame where text was sent");
        Recorder shorter = feedInTwo(serverFrame(0x81, new byte[31]), 5, ClientFrames.TEXT, payload, 1);
        assertEquals(1, shorter.mismatches.size(), "31 bytes where 32 were sent");
    }

    @Test
    void section5_1_maskedServerFrameIsAMismatch() {
        byte[] masked = {(byte) 0x81, (byte) 0x82, 1, 2, 3, 4, 5, 6};
        Recorder r = feedInTwo(masked, 3, ClientFrames.TEXT, new byte[2], 1);
        assertEquals(1, r.mismatches.size());
        assertTrue(r.mismatches.get(0).contains("masked"), r.mismatches.get(0));
    }

    @Test
    void section5_2_rsvBitOrMissingFinIsAMismatch() {
        byte[] payload = new byte[2];
        assertEquals(1, feedInTwo(serverFrame(0xC1, payload), 1, ClientFrames.TEXT, payload, 1).mismatches.size());
        assertEquals(1, feedInTwo(serverFrame(0x01, payload), 1, ClientFrames.TEXT, payload, 1).mismatches.size());
    }

    @Test
    void section5_5_1_closeFrameIsHandedOverWithItsPayload() {
        byte[] stream = concat(serverFrame(0x88, ClientFrames.closePayload(1000)), serverFrame(0x8A, new byte[0]));
        for (int cut = 0; cut <= stream.length; cut++) {
            Recorder r = feedInTwo(stream, cut, ClientFrames.TEXT, new byte[1], 1);
            assertEquals(List.of("8:3,232,", "10:"), r.controls, "cut at " + cut);
        }
    }

    @Test
    void section5_5_controlFrameOver125BytesIsAMismatch() {
        Recorder r = feedInTwo(serverFrame(0x89, new byte[126]), 2, ClientFrames.TEXT, new byte[1], 1);
        assertEquals(1, r.mismatches.size());
    }
}
