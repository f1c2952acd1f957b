package io.sockwave.bench.peers.load;

import io.netty.buffer.ByteBuf;

/**
 * Reads the frames a server sends (RFC 6455 §5.2) as bytes stream in, without copying them: a data frame's payload
 * is skipped, or compared in place with the expected payload when the frame is sampled. Not thread-safe: one reader
 * per connection, used on its event loop.
 */
final class FrameReader extends FrameWalker {
    private int payloadPos;
    private boolean sampling;
    private boolean matches;
    private long dataFrames;

    private int expectedOpcode = -1;
    private int expectedLength;
    private byte[] expectedPayload;
    private int sampleEvery = 1;

    FrameReader(Sink sink) {
        super(sink);
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

    @Override
    void startData(int flags, int opcode, long length) {
        if (flags != 0x80) {
            fail(String.format("unexpected frame flags 0x%02x (expected FIN and no RSV bit)", flags));
        } else if (opcode != expectedOpcode || length != expectedLength) {
            fail("expected opcode " + expectedOpcode + " with " + expectedLength + " bytes, got opcode " + opcode
                    + " with " + length + " bytes");
        } else {
            sampling = dataFrames++ % sampleEvery == 0;
            matches = true;
            payloadPos = 0;
        }
    }

    @Override
    void dataPayload(ByteBuf in, int index, int length) {
        if (sampling && matches) {
            matches = equalAt(in, index, expectedPayload, payloadPos, length);
        }
        payloadPos += length;
    }

    @Override
    void endData() {
        if (sampling && !matches) {
            fail("echoed payload differs from the payload sent");
        } else {
            sink.onEcho(sampling);
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
}
