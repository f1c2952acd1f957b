package io.sockwave.protocol.extension;

import io.sockwave.protocol.CloseCode;
import io.sockwave.protocol.ProtocolException;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses messages for permessage-deflate (RFC 7692 §7.2.2): appends {@code 00 00 ff ff} to each message and
 * inflates it with a 15-bit window, which reads streams made with any smaller window.
 *
 * <p>Output goes to the connection's {@link PayloadSink} in chunks of at most {@value #CHUNK} bytes, so a
 * decompression bomb is stopped by the message size limit after at most one chunk more than the limit has been
 * inflated, and never allocates what it claims to expand to.
 *
 * <p><b>A block with BFINAL set</b> (§7.2.3.4) ends zlib's stream, not the message: what follows it, from the next
 * byte, is decoded as a new stream, so that nothing the peer sends is dropped. Since the peer may refer back across
 * that end (within the message, and across messages with context takeover, §7.2.2), the new stream is primed with
 * the output before it. For that the output array is written as a ring, which holds the message's last
 * {@value #CHUNK} bytes at no cost to peers that never end a stream. At the first end, the history moves into a
 * {@value #WINDOW}-byte window of the connection's own, which with context takeover it keeps for its life, so that
 * every later end has the whole window behind it. The first end on a connection (without context takeover, the first
 * in each message) has only the message's output, up to {@value #CHUNK} bytes of it; a reference beyond fails the
 * connection with 1007, zlib having no bytes to copy from, and never inflates to wrong bytes.
 */
final class MessageInflater {
    static final int CHUNK = 16 * 1024;
    /** The largest LZ77 window (§7.1.2: 2^15 bytes), what a peer's back-reference may span. */
    static final int WINDOW = 1 << DeflateParameters.MAX_WINDOW_BITS;
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private final ZlibPool pool;
    private final boolean peerResetsContext;
    private Inflater inflater;
    /**
     * The output ring: a chunk lent for one message, or, once the peer has ended a stream, a window of the
     * connection's own, told apart by its size ({@value #WINDOW} bytes, a chunk's twice).
     */
    private byte[] out;
    /** Where the next output goes in {@link #out}. */
    private int position;
    /** Whether {@link #out} is full of history, the oldest byte at {@link #position}. */
    private boolean wrapped;
    /**
     * Whether compressed bytes reached the inflater since the message began or its last DEFLATE stream ended. If
     * none did, the inflater sits between blocks and the {@code 00 00 ff ff} of §7.2.2 must not be appended: alone,
     * it starts a stored block without completing it, and that half block would swallow the next message.
     */
    private boolean fedSinceBoundary;
    /**
     * Whether the stream being inflated began after a BFINAL block, so that a reference further back than its
     * dictionary can be told apart from garbage.
     */
    private boolean afterFinalBlock;

    /**
     * @param pool where inflaters come from
     * @param peerResetsContext whether the peer compresses without context takeover, so that no state needs to
     *     outlive a message
     */
    MessageInflater(ZlibPool pool, boolean peerResetsContext) {
        this.pool = pool;
        this.peerResetsContext = peerResetsContext;
    }

    void decode(ByteBuffer payload, boolean endOfMessage, PayloadSink sink) {
        if (out == null || inflater == null) {
            startMessage();
        }
        inflate(payload, sink, false);
        if (endOfMessage) {
            if (fedSinceBoundary) {
                inflate(ByteBuffer.wrap(TAIL), sink, true);
            }
            endMessage();
        }
    }

    private void startMessage() {
        // What a message needs is lent for its duration, so that an idle connection holds no array and, without
        // context takeover, no zlib stream.
        if (out == null) {
            out = pool.borrowChunk();
            position = 0;
            wrapped = false;
        }
        if (inflater == null) {
            inflater = peerResetsContext ? pool.borrowInflater() : pool.newInflater();
        }
    }

    private void endMessage() {
        fedSinceBoundary = false;
        if (peerResetsContext) {
            // The next message starts with an empty window (§7.1.1.1), so none is kept.
            pool.returnInflater(inflater);
            inflater = null;
            afterFinalBlock = false;
            releaseOutput();
        } else if (!ownsWindow()) {
            releaseOutput();
        }
    }

    private boolean ownsWindow() {
        return out != null && out.length == WINDOW;
    }

    private void releaseOutput() {
        if (!ownsWindow()) {
            pool.returnChunk(out);
        }
        out = null;
    }

    /** @param tail whether the input is the {@code 00 00 ff ff} appended to the message, not the peer's bytes */
    private void inflate(ByteBuffer input, PayloadSink sink, boolean tail) {
        fedSinceBoundary |= input.hasRemaining();
        inflater.setInput(input);
        try {
            while (true) {
                int n = inflater.inflate(out, position, Math.min(CHUNK, out.length - position));
                if (n > 0) {
                    sink.write(out, position, n);
                    advance(n);
                }
                if (inflater.finished()) {
                    startStreamAfterFinalBlock();
                    if (tail || !input.hasRemaining()) {
                        // What is left of the tail is not the peer's: it only completed the stream's final block,
                        // and fed to the next stream it would start a block that nothing completes.
                        return;
                    }
                    fedSinceBoundary = true;
                    inflater.setInput(input);
                } else if (n == 0) {
                    if (inflater.needsDictionary()) {
                        throw new ProtocolException(CloseCode.INVALID_PAYLOAD_DATA, "compressed data needs a dictionary");
                    }
                    return;
                }
            }
        } catch (DataFormatException e) {
            String reason = afterFinalBlock && "invalid distance too far back".equals(e.getMessage())
                    ? "compressed data refers back past a BFINAL block further than was kept"
                    : "invalid compressed data";
            throw new ProtocolException(CloseCode.INVALID_PAYLOAD_DATA, reason);
        }
    }

    private void advance(int n) {
        position += n;
        if (position == out.length) {
            position = 0;
            wrapped = true;
        }
    }

    /**
     * The peer's DEFLATE stream ended with a BFINAL block; zlib leaves the input at the next byte, where the peer's
     * next stream starts. Primes that stream with the output so far, which its back-references may reach.
     */
    private void startStreamAfterFinalBlock() {
        int history = keepWindow();
        inflater.reset();
        if (history > 0) {
            inflater.setDictionary(out, 0, history);
        }
        afterFinalBlock = true;
        fedSinceBoundary = false;
    }

    /**
     * Moves the history into a window of this connection's own, oldest byte first, so that it is one contiguous
     * dictionary.
     *
     * @return how many bytes of history the window holds, from its start
     */
    private int keepWindow() {
        int length = wrapped ? out.length : position;
        if (ownsWindow() && !wrapped) {
            return length;
        }
        byte[] window = new byte[WINDOW];
        int older = wrapped ? out.length - position : 0;
        System.arraycopy(out, position, window, 0, older);
        System.arraycopy(out, 0, window, older, length - older);
        releaseOutput();
        out = window;
        position = length % WINDOW;
        wrapped = length == WINDOW;
        return length;
    }

    /** Ends or returns the inflater, and returns a message's array; idempotent. */
    void close() {
        if (out != null) {
            releaseOutput();
        }
        if (inflater != null) {
            if (peerResetsContext) {
                pool.returnInflater(inflater);
            } else {
                pool.end(inflater);
            }
            inflater = null;
        }
    }
}
