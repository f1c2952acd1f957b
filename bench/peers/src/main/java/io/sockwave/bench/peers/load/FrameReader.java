package io.sockwave.bench.peers.load;

import io.netty.buffer.ByteBuf;

/**
 * Reads the frames a server sends (RFC 6455 §5.2) as bytes stream in, without copying them: a data frame's payload
 * is skipped, or compared in place with the expected payload when the frame is sampled. Only the few header bytes
 * that straddle two reads are copied. Not thread-safe: one reader per connection, used on its event loop.
 */
final class FrameReader {
    /** Receives what the reader finds. */
    interface Sink {
        /**
         * A whole data frame was read and passed the checks (FIN set, no RSV bit, not masked, expected opcode and
         * length, and the payload equal to the expected one when sampled).
         *
         * @param sampled whether its payload was compared
         */
        void onEcho(boolean sampled);

        /**
         * A whole control frame was read.
         *
         * @param opcode its opcode
         * @param payload its payload, 0 to 125 bytes, valid until this returns
         * @param length the payload length
         */
        void onControl(int opcode, byte[] payload, int length);

        /**
         * The server sent something other than what was expected; the reader stops there.
         *
         * @param problem what was wrong
         */
        void onMismatch(String problem);
    }

    private final Sink sink;
    private final byte[] header = new byte[14];
    private final byte[] control = new byte[125];
    private int headerBytes;
    private int opcode;
    private long remaining;
    private int payloadPos;
    private boolean inPayload;
    private boolean sampling;
    private boolean matches;
    private boolean broken;
    private long dataFrames;

    private int expectedOpcode = -1;
    private int expectedLength;
    private byte[] expectedPayload;
    private int sampleEvery = 1;

    FrameReader(Sink sink) {
        this.sink = sink;
    }

    /**
     * Sets what every data frame must be.
     *
     * @param opcode the expected opcode, {@link ClientFrames#TEXT} or {@link ClientFrames#BINARY}
     * @param payload the expected payload
     * @param sampleEvery compare the payload of one data frame in this many (1 compares all)
     */
    void expect(int opcode, byte[] payload, int sampleEvery) {
        this.expectedOpcode = opcode;
        this.expectedLength = payload.length;
        this.expectedPayload = payload;
        this.sampleEvery = Math.max(1, sampleEvery);
    }

    /**
     * Consumes every readable byte of {@code in}.
     *
     * @param in bytes from the server, in order
     */
    void feed(ByteBuf in) {
        while (in.isReadable() && !broken) {
            if (!inPayload) {
                if (!readHeader(in)) {
                    return;
                }
                if (remaining == 0) {
                    finishFrame();
                    continue;
                }
            }
            int n = (int) Math.min(remaining, in.readableBytes());
            if (opcode >= 0x8) {
                in.readBytes(control, payloadPos, n);
            } else {
                if (sampling && matches) {
                    matches = equalAt(in, in.readerIndex(), expectedPayload, payloadPos, n);
                }
                in.skipBytes(n);
            }
            payloadPos += n;
            remaining -= n;
            if (remaining == 0) {
                finishFrame();
            }
        }
    }

    private static boolean equalAt(ByteBuf in, int index, byte[] expected, int offset, int length) {
        for (int i = 0; i < length; i++) {
            if (in.getByte(index + i) != expected[offset + i]) {
                return false;
            }
        }
        return true;
    }

    /** @return whether a whole header was read; if not, its first bytes are kept for the next read */
    private boolean readHeader(ByteBuf in) {
        int needed;
        if (headerBytes == 0 && in.readableBytes() >= 2) {
            needed = headerLength(in.getByte(in.readerIndex() + 1));
            if (in.readableBytes() >= needed) {
                int at = in.readerIndex();
                startFrame(in.getByte(at), in.getByte(at + 1), in, at + 2);
                in.skipBytes(needed);
                return !broken;
            }
        }
        // Slow path: the header straddles reads.
        while (in.isReadable()) {
            header[headerBytes++] = in.readByte();
            if (headerBytes >= 2 && headerBytes == headerLength(header[1])) {
                headerBytes = 0;
                startFrame(header[0], header[1], null, 2);
                return !broken;
            }
        }
        return false;
    }

    /** @return the length of a frame header whose second byte is {@code second} (RFC 6455 §5.2) */
    static int headerLength(byte second) {
        int code = second & 0x7F;
        return 2 + (code == 126 ? 2 : code == 127 ? 8 : 0) + ((second & 0x80) != 0 ? 4 : 0);
    }

    private long extendedLength(ByteBuf in, int at, int bytes) {
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value = (value << 8) | ((in != null ? in.getByte(at + i) : header[at + i]) & 0xFF);
        }
        return value;
    }

    private void startFrame(byte first, byte second, ByteBuf in, int at) {
        if ((second & 0x80) != 0) {
            fail("server frame is masked (RFC 6455 §5.1 forbids it)");
            return;
        }
        if ((first & 0x80) == 0 || (first & 0x70) != 0) {
            fail(String.format("unexpected frame flags 0x%02x (expected FIN and no RSV bit)", first & 0xF0));
            return;
        }
        int code = second & 0x7F;
        long length = code == 126 ? extendedLength(in, at, 2) : code == 127 ? extendedLength(in, at, 8) : code;
        opcode = first & 0x0F;
        if (opcode >= 0x8) {
            if (length > 125) {
                fail("control frame payload of " + length + " bytes (RFC 6455 §5.5 allows 125)");
                return;
            }
        } else if (opcode != expectedOpcode || length != expectedLength) {
            fail("expected opcode " + expectedOpcode + " with " + expectedLength + " bytes, got opcode " + opcode
                    + " with " + length + " bytes");
            return;
        } else {
            sampling = dataFrames++ % sampleEvery == 0;
            matches = true;
        }
        remaining = length;
        payloadPos = 0;
        inPayload = true;
    }

    private void finishFrame() {
        inPayload = false;
        if (opcode >= 0x8) {
            sink.onControl(opcode, control, payloadPos);
        } else if (sampling && !matches) {
            fail("echoed payload differs from the payload sent");
        } else {
            sink.onEcho(sampling);
        }
    }

    private void fail(String problem) {
        broken = true;
        sink.onMismatch(problem);
    }
}
