package io.sockwave.protocol.extension;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Compresses messages, whole or in fragments, for permessage-deflate (RFC 7692 §7.2.1): a raw DEFLATE stream
 * flushed to a byte boundary after each message, with the {@code 00 00 ff ff} that the flush ends with removed.
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
 * compressed message. Without it, a deflater is borrowed from the factory's pool for one message only (for a message
 * sent in fragments, from its first fragment to its last).
 */
final class MessageDeflater {
    private static final int FULL_WINDOW = 1 << DeflateParameters.MAX_WINDOW_BITS;
    private static final int TAIL = 4;
    private static final int SMALL = 4096;
    private static final byte[] TAIL_BYTES = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private final ZlibPool pool;
    private final boolean noContextTakeover;
    private final int window;
    private Deflater owned;
    private long sinceHistoryReset;
    /** The deflater of the message being compressed, or null between messages. */
    private Deflater current;
    /** Whether the fragment sent last held back the {@code 00 00 ff ff} its flush ended with. */
    private boolean tailHeld;

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
     * @throws IllegalStateException if a message sent in fragments is in progress
     */
    ByteBuffer compress(ByteBuffer payload) {
        if (!payload.hasRemaining()) {
            if (current != null) {
                throw new IllegalStateException("a fragmented message is in progress");
            }
            // §7.2.3.6: zlib emits nothing for an empty flush after another flush, so send the one-byte form.
            return ByteBuffer.wrap(new byte[] {0});
        }
        return compressFragment(payload, true, true);
    }

    /**
     * Compresses a whole message, unless deflate cannot make it smaller and sending it as it is drops nothing a
     * later message could refer to: an incompressible message (random or already compressed data) of at least the
     * window's size. Such a message is all the history the deflater keeps after it, so forgetting it costs no later
     * message anything, and the peer, which does not inflate a message sent without RSV1 (RFC 7692 §6), never has
     * it in its window either. A smaller message stays compressed, even if larger, since with context takeover
     * forgetting it would also forget the messages before it.
     *
     * @param payload the message, from position to limit; consumed
     * @return the compressed message without its final {@code 00 00 ff ff}, or null if the message is to be sent
     *     uncompressed, the deflater's history then emptied
     * @throws IllegalStateException if a message sent in fragments is in progress
     */
    ByteBuffer compressUnlessLarger(ByteBuffer payload) {
        int length = payload.remaining();
        ByteBuffer compressed = compress(payload);
        if (length < window || compressed.remaining() < length) {
            return compressed;
        }
        if (owned != null && !noContextTakeover) {
            owned.reset();
        }
        sinceHistoryReset = 0;
        return null;
    }

    /**
     * Compresses one fragment of a message (RFC 7692 §6.1: the message's DEFLATE stream spans its fragments).
     *
     * <p>Each fragment is flushed with {@link Deflater#SYNC_FLUSH}, so that the peer can inflate all of it as soon
     * as it arrives: a message streamed slowly is not held back in the deflater. A flush ends with
     * {@code 00 00 ff ff}, which must go only when a later flush follows it: removed from the message's end
     * (§7.2.1), it would be left in the middle by an empty final fragment, which makes zlib emit nothing. So every
     * fragment holds back those four bytes, and the next fragment sends them ahead of its own output; the last
     * fragment drops them. Window limits and context takeover apply as to a whole message, with the window's byte
     * count running across fragments.
     *
     * @param payload the fragment, from position to limit; consumed
     * @param first whether it starts the message; a message in progress must end before another starts
     * @param last whether it ends the message
     * @return the bytes of this fragment's frame, possibly none
     * @throws IllegalStateException if {@code first} does not match whether a message is in progress
     */
    ByteBuffer compressFragment(ByteBuffer payload, boolean first, boolean last) {
        if (first != (current == null)) {
            throw new IllegalStateException(first ? "a fragmented message is in progress" : "no message in progress");
        }
        if (first) {
            current = noContextTakeover ? pool.borrowDeflater() : owned();
            tailHeld = false;
        }
        boolean ended = false;
        try {
            Output out = new Output(initialCapacity(payload.remaining()));
            if (tailHeld) {
                out.append(TAIL_BYTES);
            }
            if (window == FULL_WINDOW) {
                deflate(current, payload, Deflater.SYNC_FLUSH, out);
            } else {
                compressInSegments(current, payload, out);
            }
            if (last) {
                // Nothing at all came out only for an empty message after a flush: §7.2.3.6's one-byte form.
                return out.length == 0 ? ByteBuffer.wrap(new byte[] {0}) : out.withoutTail();
            }
            tailHeld = out.length > 0;
            return tailHeld ? out.withoutTail() : ByteBuffer.wrap(out.bytes, 0, 0);
        } catch (RuntimeException | Error e) {
            abandonMessage(e);
            ended = true;
            throw e;
        } finally {
            if (last && !ended) {
                endMessage();
            }
        }
    }

    /**
     * A failure mid-message: the deflater may hold input the peer never got, so it forgets it all, and no later
     * message can refer to it; the next message starts afresh instead of finding this one still in progress.
     */
    private void abandonMessage(Throwable cause) {
        try {
            current.reset();
        } catch (RuntimeException unusable) {
            cause.addSuppressed(unusable);
        }
        sinceHistoryReset = 0;
        endMessage();
    }

    private void endMessage() {
        if (noContextTakeover) {
            sinceHistoryReset = 0;
            pool.returnDeflater(current);
        }
        current = null;
        tailHeld = false;
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

    /**
     * A small message gets room for its worst case (stored blocks: the input and a few bytes), since without context
     * takeover it often barely shrinks and growing the array would copy it; a large one gets half its size.
     */
    private static int initialCapacity(int input) {
        return input < SMALL ? input + 64 : input / 2 + 16;
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

    /** Ends the connection's own deflater, if it has one, and returns one borrowed for a message; idempotent. */
    void close() {
        if (current != null && noContextTakeover) {
            pool.returnDeflater(current);
        }
        current = null;
        if (owned != null) {
            pool.end(owned);
            owned = null;
        }
    }

    /** A growable output array. */
    private static final class Output {
        byte[] bytes;
        int length;

        Output(int capacity) {
            bytes = new byte[capacity];
        }

        void append(byte[] b) {
            ensureRoom(b.length);
            System.arraycopy(b, 0, bytes, length, b.length);
            length += b.length;
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
