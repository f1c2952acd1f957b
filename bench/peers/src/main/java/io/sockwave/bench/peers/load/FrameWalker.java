package io.sockwave.bench.peers.load;

import io.netty.buffer.ByteBuf;

/**
 * Walks the frames a server sends (RFC 6455 §5.2) as bytes stream in, for the readers that check them: assembles each
 * header, copying only the few bytes that straddle two reads; collects a control frame's payload for the sink; and
 * hands a data frame's payload bytes, in place, to the subclass. Checks what every server frame must be: not masked
 * (§5.1), and a control frame final, without RSV bits and of at most 125 bytes (§5.5). Stops at the first problem.
 * Not thread-safe: one per connection, used on its event loop.
 */
abstract class FrameWalker {
    /** Receives what a reader finds. */
    interface Sink {
        /**
         * A whole data frame was read and passed the reader's checks.
         *
         * @param sampled whether its payload was compared with the one expected
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

    final Sink sink;
    private final byte[] header = new byte[14];
    private final byte[] control = new byte[125];
    private int headerBytes;
    private int opcode;
    private long remaining;
    private int controlLength;
    private boolean inPayload;
    private boolean broken;

    FrameWalker(Sink sink) {
        this.sink = sink;
    }

    /**
     * A data frame's header was read.
     *
     * @param flags the first byte's high nibble: FIN and the RSV bits
     * @param opcode the frame's opcode
     * @param length its payload length
     */
    abstract void startData(int flags, int opcode, long length);

    /**
     * Some of the data frame's payload, in order.
     *
     * @param in the bytes, left where they are
     * @param index where they start in {@code in}
     * @param length how many there are
     */
    abstract void dataPayload(ByteBuf in, int index, int length);

    /** The data frame's payload is complete. */
    abstract void endData();

    /**
     * Consumes every readable byte of {@code in}.
     *
     * @param in bytes from the server, in order
     */
    final void feed(ByteBuf in) {
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
                in.readBytes(control, controlLength, n);
                controlLength += n;
            } else {
                dataPayload(in, in.readerIndex(), n);
                in.skipBytes(n);
            }
            remaining -= n;
            if (remaining == 0 && !broken) {
                finishFrame();
            }
        }
    }

    /**
     * Stops the walk and reports the problem.
     *
     * @param problem what was wrong
     */
    final void fail(String problem) {
        broken = true;
        sink.onMismatch(problem);
    }

    final boolean broken() {
        return broken;
    }

    /** @return the length of a frame header whose second byte is {@code second} (RFC 6455 §5.2) */
    static int headerLength(byte second) {
        int code = second & 0x7F;
        return 2 + (code == 126 ? 2 : code == 127 ? 8 : 0) + ((second & 0x80) != 0 ? 4 : 0);
    }

    /** @return whether a whole header was read; if not, its first bytes are kept for the next read */
    private boolean readHeader(ByteBuf in) {
        if (headerBytes == 0 && in.readableBytes() >= 2) {
            int needed = headerLength(in.getByte(in.readerIndex() + 1));
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
        int code = second & 0x7F;
        long length = code == 126 ? extendedLength(in, at, 2) : code == 127 ? extendedLength(in, at, 8) : code;
        opcode = first & 0x0F;
        int flags = first & 0xF0;
        if (opcode >= 0x8) {
            if (flags != 0x80 || length > 125) {
                fail(String.format("control frame with flags 0x%02x and %d bytes (RFC 6455 §5.5: final, no RSV bit,"
                        + " at most 125 bytes)", flags, length));
                return;
            }
            controlLength = 0;
        } else {
            startData(flags, opcode, length);
            if (broken) {
                return;
            }
        }
        remaining = length;
        inPayload = true;
    }

    private void finishFrame() {
        inPayload = false;
        if (opcode >= 0x8) {
            sink.onControl(opcode, control, controlLength);
        } else {
            endData();
        }
    }
}
