package io.sockwave.bench.peers.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generator's reader of compressed echoes (RFC 7692 §6, §7.2.2), fed whole and cut at every byte. */
class InflatingReaderTest {
    private static final class Recorder implements FrameWalker.Sink {
        int echoes;
        int controls;
        final List<String> mismatches = new ArrayList<>();

        @Override
        public void onEcho(boolean sampled) {
            assertTrue(sampled, "every compressed echo is compared");
            echoes++;
        }

        @Override
        public void onControl(int opcode, byte[] payload, int length) {
            controls++;
        }

        @Override
        public void onMismatch(String problem) {
            mismatches.add(problem);
        }
    }

    private static final List<byte[]> LINES = ChatLines.generate(16, 11);

    /** What a server with context takeover sends back: the lines compressed in order, unmasked, RSV1 set. */
    private static byte[] serverStream(List<byte[]> lines, int first) {
        DeflateFrames compressed = DeflateFrames.prepare(lines, true, 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < lines.size(); i++) {
            out.writeBytes(FrameReaderTest.serverFrame(first, compressed.compressed(i)));
        }
        return out.toByteArray();
    }

    private static Recorder feed(byte[] stream, int cut) {
        Recorder recorder = new Recorder();
        InflatingReader reader = new InflatingReader(recorder, LINES);
        try {
            for (int at = 0; at < stream.length; at += cut) {
                reader.accept(Unpooled.wrappedBuffer(stream, at, Math.min(cut, stream.length - at)));
            }
        } finally {
            reader.end();
        }
        return recorder;
    }

    @Test
    void section7_2_2_everyEchoInflatesOnTheConnectionsContext() {
        byte[] stream = serverStream(LINES, 0xC1);
        for (int cut : new int[] {stream.length, 1, 7}) {
            Recorder r = feed(stream, cut);
            assertEquals(List.of(), r.mismatches, "cut " + cut);
            assertEquals(LINES.size(), r.echoes, "cut " + cut);
        }
    }

    @Test
    void section6_anEchoWithoutRsv1IsAMismatchEvenIfItsPayloadWouldInflate() {
        byte[] compressed = DeflateFrames.prepare(LINES, true, 0).compressed(0);
        Recorder r = feed(FrameReaderTest.serverFrame(0x81, compressed), 64);
        assertEquals(0, r.echoes);
        assertEquals(1, r.mismatches.size(), r.mismatches.toString());
        assertTrue(r.mismatches.get(0).contains("compressed text frame"), r.mismatches.toString());
    }

    @Test
    void anEchoOutOfOrderIsAMismatch() {
        List<byte[]> swapped = new ArrayList<>(LINES);
        swapped.set(0, LINES.get(1));
        swapped.set(1, LINES.get(0));
        Recorder r = feed(serverStream(swapped, 0xC1), 5);
        assertEquals(0, r.echoes);
        assertTrue(r.mismatches.get(0).contains("differs"), r.mismatches.toString());
    }

    @Test
    void controlFramesPassThroughBetweenEchoes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(FrameReaderTest.serverFrame(0x89, new byte[] {1, 2}));
        out.writeBytes(serverStream(LINES, 0xC1));
        Recorder r = feed(out.toByteArray(), 3);
        assertEquals(List.of(), r.mismatches);
        assertEquals(1, r.controls);
        assertEquals(LINES.size(), r.echoes);
    }
}
