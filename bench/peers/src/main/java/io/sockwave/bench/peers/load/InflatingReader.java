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
final class InflatingReader extends FrameWalker implements Consumer<ByteBuf> {
    private final List<byte[]> expected;
    private final Inflater inflater = new Inflater(true);
    /** One byte more than the longest message, so that a longer one shows as a full buffer. */
    private final byte[] out;
    private int produced;
    private int next;

    /**
     * @param sink where echoes, control frames and mismatches go
     * @param expected the messages the connection sends, in order; the echoes must come back in that order
     */
    InflatingReader(Sink sink, List<byte[]> expected) {
        super(sink);
        this.expected = expected;
        this.out = new byte[expected.stream().mapToInt(b -> b.length).max().orElse(0) + 1];
    }

    @Override
    public void accept(ByteBuf in) {
        feed(in);
    }

    /** Frees the inflater's native memory; the connection is closed. */
    void end() {
        inflater.end();
    }

    @Override
    void startData(int flags, int opcode, long length) {
        if (opcode != ClientFrames.TEXT || flags != (0x80 | DeflateFrames.RSV1)) {
            fail(String.format("expected a final compressed text frame (flags 0xc0, opcode 1), got flags 0x%02x"
                    + " opcode %d", flags, opcode));
        } else if (length > 65536) {
            fail("compressed echo of " + length + " bytes for a message of at most " + (out.length - 1));
        }
    }

    @Override
    void dataPayload(ByteBuf in, int index, int length) {
        inflater.setInput(in.nioBuffer(index, length));
        inflate();
    }

    @Override
    void endData() {
        // RFC 7692 §7.2.2: the receiver appends the empty block the sender left out.
        inflater.setInput(DeflateFrames.TAIL);
        inflate();
        if (broken()) {
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
}
