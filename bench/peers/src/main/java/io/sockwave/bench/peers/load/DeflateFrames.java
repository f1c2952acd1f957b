package io.sockwave.bench.peers.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;

/**
 * The compressed, masked frames of a chat stream, built once before measuring (RFC 7692 §7.2.1), so that the
 * generator never compresses while it measures: every connection sends the same cycle of frames, in order, and
 * sending k frames is writing one slice of a buffer holding the cycle twice.
 *
 * <p>Without context takeover each message is compressed on its own. With it, the cycle is compressed by one
 * deflater that keeps its context from message to message, starting empty: message i may refer back to messages
 * 0 to i-1 of the cycle, never before the first. So the cycle may be sent again and again on one connection: when
 * message i goes out for the n-th time, the bytes it refers to (at most the window's 32 KiB back, all within this
 * pass of the cycle) are the same as when it was compressed, whatever the server's inflater holds from earlier
 * passes. Each connection's server-side inflater sees a real context-takeover stream, at the cost of none on the
 * generator's side.
 */
final class DeflateFrames {
    /** RFC 7692 §7.2.1: the empty stored block a sync flush ends with, which every message leaves out. */
    static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};
    /** RFC 7692 §6: RSV1 marks a compressed message's first frame. */
    static final int RSV1 = 0x40;

    private final List<byte[]> lines;
    private final byte[][] compressed;
    private final byte[] twice;
    private final int[] offsets;

    private DeflateFrames(List<byte[]> lines, byte[][] compressed, byte[] twice, int[] offsets) {
        this.lines = lines;
        this.compressed = compressed;
        this.twice = twice;
        this.offsets = offsets;
    }

    /**
     * @param lines the messages, sent as text in this order, cycling
     * @param contextTakeover whether the compressor keeps its context from one message to the next
     * @param maskKey the masking key of every frame
     * @return the prepared frames
     */
    static DeflateFrames prepare(List<byte[]> lines, boolean contextTakeover, int maskKey) {
        int k = lines.size();
        byte[][] compressed = new byte[k][];
        Deflater deflater = new Deflater(6, true);
        try {
            for (int i = 0; i < k; i++) {
                if (!contextTakeover) {
                    deflater.reset();
                }
                compressed[i] = compress(deflater, lines.get(i));
            }
        } finally {
            deflater.end();
        }
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        int[] offsets = new int[2 * k + 1];
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < k; i++) {
                byte[] frame = ClientFrames.masked(ClientFrames.TEXT, compressed[i], maskKey);
                frame[0] |= RSV1;
                frames.writeBytes(frame);
                offsets[pass * k + i + 1] = frames.size();
            }
        }
        return new DeflateFrames(List.copyOf(lines), compressed, frames.toByteArray(), offsets);
    }

    /** One message through a sync flush, its trailing empty block removed (RFC 7692 §7.2.1). */
    private static byte[] compress(Deflater deflater, byte[] message) {
        deflater.setInput(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length);
        byte[] chunk = new byte[512];
        int n;
        do {
            n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
            out.write(chunk, 0, n);
        } while (n == chunk.length);
        byte[] bytes = out.toByteArray();
        if (bytes.length < TAIL.length
                || !Arrays.equals(bytes, bytes.length - TAIL.length, bytes.length, TAIL, 0, TAIL.length)) {
            throw new IllegalStateException("a sync flush did not end with 00 00 FF FF");
        }
        return Arrays.copyOf(bytes, bytes.length - TAIL.length);
    }

    /** @return how many messages one cycle has */
    int size() {
        return lines.size();
    }

    /** @return the messages, uncompressed, in cycle order */
    List<byte[]> lines() {
        return lines;
    }

    /**
     * @param i a message's place in the cycle
     * @return its compressed payload, without the trailing empty block
     */
    byte[] compressed(int i) {
        return compressed[i];
    }

    /** @return a direct buffer holding the cycle's frames twice, to be sliced by {@link #slice} */
    ByteBuf newBuffer() {
        return Unpooled.directBuffer(twice.length).writeBytes(twice);
    }

    /**
     * @param buffer a buffer from {@link #newBuffer}
     * @param from the first message's place in the cycle
     * @param count how many consecutive messages, at most {@link #size}
     * @return a retained slice holding their frames
     */
    ByteBuf slice(ByteBuf buffer, int from, int count) {
        return buffer.retainedSlice(offsets[from], offsets[from + count] - offsets[from]);
    }

    /** @return the mean compressed payload, in bytes, over the cycle */
    double meanCompressedLength() {
        return Arrays.stream(compressed).mapToInt(b -> b.length).average().orElse(0);
    }

    /** @return the mean message, in bytes, over the cycle */
    double meanLength() {
        return lines.stream().mapToInt(b -> b.length).average().orElse(0);
    }
}
