package io.sockwave.protocol.extension;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Compresses whole messages for permessage-deflate (RFC 7692 §7.2.1): a raw DEFLATE stream flushed to a byte
 * boundary after each message, with the {@code 00 00 ff ff} that the flush ends with removed.
 *
 * <p><b>Window size.</b> {@link Deflater} always keeps a 32 KiB (15-bit) history and offers no way to choose a
 * smaller one, yet a peer may ask for {@code server_max_window_bits} (or {@code client_max_window_bits}) as low as 8.
 * What the peer needs is that no back-reference reaches further than 2^N bytes, and a back-reference can only reach
 * into the history. So when the window must be smaller than 32 KiB, the input is cut into segments of at most 2^N
 * bytes, counted across messages when context is taken over, and each segment that fills the window ends with a
 * {@link Deflater#FULL_FLUSH}, which empties the history: no reference can then span more than 2^N bytes. This
 * keeps every window size acceptable at the cost of some compression ratio, instead of declining the offer.
 *
 * <p><b>Memory.</b> With context takeover the deflater lives as long as the connection and is created on the first
 * compressed message. Without it, a deflater is borrowed from the factory's pool for one message only.
 */
final class MessageDeflater {
    private static final int FULL_WINDOW = 1 << DeflateParameters.MAX_WINDOW_BITS;
    private static final int TAIL = 4;

    private final ZlibPool pool;
    private final boolean noContextTakeover;
    private final int window;
    private Deflater owned;
    private long sinceHistoryReset;

    /**
     * @param pool where deflaters come from
     * @param noContextTakeover whether the history is dropped after each message
     * @param windowBits the largest window the peer accepts, 8 to 15
     */
    MessageDeflater(ZlibPool pool, boolean noContextTakeover, int windowBits) {
        this.pool = pool;
        this.noContextTakeover = noContextTakeover;
        this.window = 1 << windowBits;
    }

    /**
     * @param payload the message, from position to limit; consumed
     * @return the compressed message without its final {@code 00 00 ff ff}
     */
    ByteBuffer compress(ByteBuffer payload) {
        if (!payload.hasRemaining()) {
            // §7.2.3.6: zlib emits nothing for an empty flush after another flush, so send the one-byte form.
            return ByteBuffer.wrap(new byte[] {0});
        }
        Deflater deflater = noContextTakeover ? pool.borrowDeflater() : owned();
        try {
            Output out = new Output(Math.max(64, payload.remaining() / 2 + 16));
            if (window == FULL_WINDOW) {
                deflate(deflater, payload, Deflater.SYNC_FLUSH, out);
            } else {
                compressInSegments(deflater, payload, out);
            }
            return out.withoutTail();
        } finally {
            if (noContextTakeover) {
                sinceHistoryReset = 0;
                pool.returnDeflater(deflater);
            }
        }
    }

    private void compressInSegments(Deflater deflater, ByteBuffer payload, Output out) {
        int end = payload.limit();
        do {
            int room = (int) (window - sinceHistoryReset);
            int take = Math.min(room, end - payload.position());
            ByteBuffer segment = payload.duplicate().limit(payload.position() + take);
            payload.position(payload.position() + take);
            sinceHistoryReset += take;
            boolean windowFull = sinceHistoryReset == window;
            deflate(deflater, segment, windowFull ? Deflater.FULL_FLUSH : Deflater.SYNC_FLUSH, out);
            if (windowFull) {
                sinceHistoryReset = 0;
            }
        } while (payload.position() < end);
    }

    /** Runs a flush to completion: a return value short of the space offered means all input is flushed. */
    private static void deflate(Deflater deflater, ByteBuffer input, int flush, Output out) {
        deflater.setInput(input);
        int room;
        int n;
        do {
            out.ensureRoom(64);
            room = out.bytes.length - out.length;
            n = deflater.deflate(out.bytes, out.length, room, flush);
            out.length += n;
        } while (n == room);
    }

    private Deflater owned() {
        if (owned == null) {
            owned = pool.newDeflater();
        }
        return owned;
    }

    /** Ends the connection's own deflater, if it has one; idempotent. */
    void close() {
        if (owned != null) {
            owned.end();
            owned = null;
        }
    }

    /** @return whether a deflater is held between messages (for tests of memory behaviour) */
    boolean holdsDeflater() {
        return owned != null;
    }

    /** A growable output array. */
    private static final class Output {
        byte[] bytes;
        int length;

        Output(int capacity) {
            bytes = new byte[capacity];
        }

        void ensureRoom(int room) {
            if (bytes.length - length < room) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + room));
            }
        }

        /** §7.2.1: remove the four octets 0x00 0x00 0xff 0xff that the flush left at the tail. */
        ByteBuffer withoutTail() {
            if (length < TAIL || bytes[length - 4] != 0 || bytes[length - 3] != 0
                    || bytes[length - 2] != (byte) 0xFF || bytes[length - 1] != (byte) 0xFF) {
                throw new IllegalStateException("deflate flush did not end with 00 00 ff ff");
            }
            return ByteBuffer.wrap(bytes, 0, length - TAIL);
        }
    }
}
