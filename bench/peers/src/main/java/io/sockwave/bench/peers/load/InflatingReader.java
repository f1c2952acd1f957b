package io.sockwave.bench.peers.load;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads a server's compressed echoes of a chat stream (RFC 6455 §5.2, RFC 7692 §6-7): every data frame must be a
 * final text frame with RSV1 set, whose payload, inflated with the connection's one inflater (a context-takeover
 * stream needs it; a message compressed on its own inflates with it as well), equals the next message of the cycle
 * the connection sends. Every echo is inflated and compared. Control frames go to the sink as they are. Not
 * thread-safe: one reader per connection, used on its event loop.
 */
final class InflatingReader implements Consumer<ByteBuf> {
    private final FrameReader.Sink sink;
    private final List<byte[]> expected;
    private final Inflater inflater = new Inflater(true);
    /** One byte more than the longest message, so that a longer one shows as a full buffer. */
    private final byte[] out;
    private final byte[] header = new byte[14];
    private final byte[] control = new byte[125];
    private int headerBytes;
    private int opcode;
    private long remaining;
    private int controlLength;
    private int produced;
    private boolean inPayload;
    private boolean broken;
    private int next;

    /**
     * @param sink where echoes, control frames and mismatches go
     * @param expected the messages the connection sends, in order; the echoes must come back in that order
     */
    InflatingReader(FrameReader.Sink sink, List<byte[]> expected) {
        this.sink = sink;
        this.expected = expected;
        this.out = new byte[expected.stream().mapToInt(b -> b.length).max().orElse(0) + 1];
    }

    @Override
    public void accept(ByteBuf in) {
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
                inflater.setInput(in.nioBuffer(in.readerIndex(), n));
                inflate();
                in.skipBytes(n);
            }
            remaining -= n;
            if (remaining == 0 && !broken) {
                finishFrame();
            }
        }
    }

    /** Frees the inflater's native memory; the connection is closed. */
    void end() {
        inflater.end();
    }

    private boolean readHeader(ByteBuf in) {
        while (in.isReadable()) {
            header[headerBytes++] = in.readByte();
            if (headerBytes >= 2 && headerBytes == FrameReader.headerLength(header[1])) {
                headerBytes = 0;
                startFrame();
                return !broken;
            }
        }
        return false;
    }

    private void startFrame() {
        if ((header[1] & 0x80) != 0) {
            fail("server frame is masked (RFC 6455 §5.1 forbids it)");
            return;
        }
        int code = header[1] & 0x7F;
        long length = code;
        if (code >= 126) {
            length = 0;
            for (int i = 2; i < (code == 126 ? 4 : 10); i++) {
                length = (length << 8) | (header[i] & 0xFF);
            }
        }
        opcode = header[0] & 0x0F;
        int flags = header[0] & 0xF0;
        if (opcode >= 0x8) {
            if (flags != 0x80 || length > 125) {
                fail(String.format("control frame with flags 0x%02x and %d bytes", flags, length));
                return;
            }
        } else if (opcode != ClientFrames.TEXT || flags != (0x80 | DeflateFrames.RSV1)) {
            fail(String.format("expected a final compressed text frame (flags 0xc0, opcode 1), got flags 0x%02x"
                    + " opcode %d", flags, opcode));
            return;
        } else if (length > 65536) {
            fail("compressed echo of " + length + " bytes for a message of at most " + (out.length - 1));
            return;
        }
        remaining = length;
        controlLength = 0;
        inPayload = true;
    }

    private void inflate() {
        try {
            while (!inflater.needsInput() && !inflater.finished()) {
                produced += inflater.inflate(out, produced, out.length - produced);
                if (produced == out.length) {
                    fail("inflated echo longer than any message sent");
                    return;
                }
            }
        } catch (DataFormatException e) {
            fail("echo does not inflate: " + e.getMessage());
        }
    }

    private void finishFrame() {
        inPayload = false;
        if (opcode >= 0x8) {
            sink.onControl(opcode, control, controlLength);
            return;
        }
        // RFC 7692 §7.2.2: the receiver appends the empty block the sender left out.
        inflater.setInput(DeflateFrames.TAIL);
        inflate();
        if (broken) {
            return;
        }
        if (inflater.finished()) {
            // A block with BFINAL ends the stream (§7.2.3.1 allows it); the next message starts a new one.
            inflater.reset();
        }
        byte[] message = expected.get(next);
        int length = produced;
        produced = 0;
        next = next + 1 == expected.size() ? 0 : next + 1;
        if (!Arrays.equals(out, 0, length, message, 0, message.length)) {
            fail("inflated echo differs from the message sent (" + length + " bytes, expected " + message.length
                    + ")");
            return;
        }
        sink.onEcho(true);
    }

    private void fail(String problem) {
        broken = true;
        sink.onMismatch(problem);
    }
}
