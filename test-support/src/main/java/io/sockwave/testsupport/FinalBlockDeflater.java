package io.sockwave.testsupport;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;

/**
 * A permessage-deflate sender (RFC 7692 §7.2.1) that ends its DEFLATE stream with a block with BFINAL set wherever
 * a test says, as §7.2.3.4 lets a compressor without a sync flush do, and starts the next stream at the next byte.
 * The next stream is primed with the history ({@link Deflater#setDictionary}), so its back-references may reach
 * across the end: always within a message, and from message to message with context takeover (§7.2.2). The
 * history is that of a window of 2^bits bytes (§7.1.2): a full flush each time 2^bits input bytes have gone by since
 * the last keeps every reference within it, the way Sockwave's own deflater honours a small window.
 */
public final class FinalBlockDeflater implements AutoCloseable {
    private static final byte[] SYNC_TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    /** How a message's compressed payload ends. */
    public enum Ending {
        /** A sync flush, its {@code 00 00 ff ff} removed (§7.2.1): the usual way. */
        SYNC_FLUSH,
        /** A block with BFINAL set, and nothing after it. */
        FINAL_BLOCK,
        /** A block with BFINAL set, then the octet {@code 00} that §7.2.3.4's example ends with. */
        FINAL_BLOCK_THEN_00
    }

    private final boolean contextTakeover;
    private final byte[] history;
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final byte[] buffer = new byte[8192];
    /** Input bytes since the last full flush, the start of {@link #history}: what a reference may reach. */
    private int sinceFlush;

    /**
     * @param windowBits the sender's window, 8 to 15
     * @param contextTakeover whether a message may refer back into the ones before it
     */
    public FinalBlockDeflater(int windowBits, boolean contextTakeover) {
        if (windowBits < 8 || windowBits > 15) {
            throw new IllegalArgumentException("window bits must be 8 to 15, was " + windowBits);
        }
        this.contextTakeover = contextTakeover;
        this.history = new byte[1 << windowBits];
    }

    /**
     * @param message the message's bytes
     * @param streamEnds offsets into the message, ascending, where a stream ends with a BFINAL block and the next
     *     begins; an offset may repeat (an empty stream) and may be 0 or the message's length
     * @param ending how the payload ends
     * @return the message's compressed payload
     */
    public byte[] compress(byte[] message, int[] streamEnds, Ending ending) {
        if (!contextTakeover) {
            deflater.reset();
            sinceFlush = 0;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        for (int end : streamEnds) {
            if (end < at || end > message.length) {
                throw new IllegalArgumentException("stream ends must ascend within the message: " + end);
            }
            feed(message, at, end, out);
            endStream(out);
            at = end;
        }
        feed(message, at, message.length, out);
        switch (ending) {
            case SYNC_FLUSH -> {
                drain(out, Deflater.SYNC_FLUSH);
                byte[] bytes = out.toByteArray();
                if (bytes.length < SYNC_TAIL.length
                        || !Arrays.equals(bytes, bytes.length - 4, bytes.length, SYNC_TAIL, 0, 4)) {
                    throw new IllegalStateException("a sync flush ends with 00 00 ff ff");
                }
                // §7.2.3.6: with nothing else left, the empty stored block stands for the message.
                return bytes.length == SYNC_TAIL.length ? new byte[] {0} : Arrays.copyOf(bytes, bytes.length - 4);
            }
            case FINAL_BLOCK -> endStream(out);
            case FINAL_BLOCK_THEN_00 -> {
                endStream(out);
                out.write(0);
            }
            default -> throw new AssertionError(ending);
        }
        return out.toByteArray();
    }

    /**
     * Up to three stream ends for {@link #compress}, ascending, the first within {@code firstWithin} bytes, each
     * {@code gap} bytes or more after the one before and before the message's end. (Sockwave lets the stream ends of a
     * message copy a window of history into zlib once, and more in proportion to the compressed bytes between them.)
     *
     * @param random where the ends come from
     * @param length the message's length
     * @param firstWithin how far into the message the first end may be at most
     * @param gap the fewest message bytes between two ends, or between the last and the message's end
     * @return the ends, none when the message is shorter than {@code gap}
     */
    public static int[] randomStreamEnds(Random random, int length, int firstWithin, int gap) {
        int[] ends = new int[random.nextInt(4)];
        int count = 0;
        int earliest = 0;
        while (count < ends.length && earliest <= length - gap) {
            int latest = count == 0 ? Math.min(firstWithin, length - gap) : length - gap;
            if (latest < earliest) {
                break;
            }
            ends[count] = earliest + random.nextInt(latest - earliest + 1);
            earliest = ends[count++] + gap;
        }
        return Arrays.copyOf(ends, count);
    }

    private void feed(byte[] message, int from, int to, ByteArrayOutputStream out) {
        while (from < to) {
            int n = Math.min(to - from, history.length - sinceFlush);
            System.arraycopy(message, from, history, sinceFlush, n);
            sinceFlush += n;
            deflater.setInput(message, from, n);
            if (sinceFlush == history.length) {
                drain(out, Deflater.FULL_FLUSH);
                sinceFlush = 0;
            } else {
                while (!deflater.needsInput()) {
                    out.write(buffer, 0, deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH));
                }
            }
            from += n;
        }
    }

    private void drain(ByteArrayOutputStream out, int flush) {
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, flush);
            out.write(buffer, 0, n);
        } while (n == buffer.length);
    }

    /** Ends the stream with a BFINAL block and primes the next one with the window's history. */
    private void endStream(ByteArrayOutputStream out) {
        deflater.finish();
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.reset();
        if (sinceFlush > 0) {
            deflater.setDictionary(history, 0, sinceFlush);
        }
    }

    @Override
    public void close() {
        deflater.end();
    }
}
