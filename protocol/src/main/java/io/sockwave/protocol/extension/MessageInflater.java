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
 * in each message) has only the message's output, up to {@value #CHUNK} bytes of it. And the ends of a message may
 * copy one window of history into zlib, then only as much as their compressed bytes pay for (see
 * {@code allowance}). A reference beyond what was copied fails the connection with 1007, zlib having no bytes to
 * copy from, and never inflates to wrong bytes.
 */
final class MessageInflater {
    static final int CHUNK = 16 * 1024;
    /** The largest LZ77 window (§7.1.2: 2^15 bytes), what a peer's back-reference may span. */
    static final int WINDOW = 1 << DeflateParameters.MAX_WINDOW_BITS;
    /** zlib's largest expansion, output bytes per input byte: the most work inflating may cost per byte. */
    private static final int MAX_RATIO = 1032;
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private final ZlibPool pool;
    private final boolean peerResetsContext;
    private Inflater inflater;
    /**
     * The output ring: a chunk lent for one message, or, once the peer has ended a stream, a window of the
     * connection's own, told apart by its size ({@value #WINDOW} bytes, a chunk's twice).
     */
    private byte[] out;
    /**
     * Bytes written into {@link #out}, less whole turns past the first: below its length the ring has not wrapped
     * and this is where the next byte goes; from there on it is full, and the next byte goes this less its length.
     */
    private int written;
    /**
     * Whether compressed bytes reached the inflater since the message began or its last DEFLATE stream ended. If
     * none did, the inflater sits between blocks and the {@code 00 00 ff ff} of §7.2.2 must not be appended: alone,
     * it starts a stored block without completing it, and that half block would swallow the next message.
     */
    private boolean fedSinceBoundary;
    /**
     * How many bytes of history stream ends may still copy into zlib as dictionaries: a window more at each message's
     * start, and {@value #MAX_RATIO} more per compressed byte, up to 65,535 (two windows). An end
     * costs a copy of up to a window whatever its size, and one is two bytes ({@code 03 00}); without this bound a
     * message of them would cost 16,000 times its size in copying, with no output for the message size limit to
     * stop. So a flood of ends copies no more per byte than inflating does, while a sender that ends a stream per
     * message, or after more than a few dozen compressed bytes, always has its whole window. A char, so that the
     * object stays at 32 bytes.
     */
    private char allowance;

    /**
     * @param pool where inflaters come from
     * @param peerResetsContext whether the peer compresses without context takeover, so that no state needs to
     *     outlive a message
     */
    MessageInflater(ZlibPool pool, boolean peerResetsContext) {
        this.pool = pool;
        this.peerResetsContext = peerResetsContext;
        this.allowance = WINDOW;
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
            written = 0;
        }
        if (inflater == null) {
            inflater = peerResetsContext ? pool.borrowInflater() : pool.newInflater();
        }
    }

    private void endMessage() {
        fedSinceBoundary = false;
        allow(WINDOW);
        if (peerResetsContext) {
            // The next message starts with an empty window (§7.1.1.1), so none is kept.
            pool.returnInflater(inflater);
            inflater = null;
            releaseOutput();
        } else if (!ownsWindow()) {
            releaseOutput();
        }
    }

    private void allow(long bytes) {
        allowance = (char) Math.min(Character.MAX_VALUE, allowance + bytes);
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

    /** @return where the next output byte goes in {@link #out} */
    private int position() {
        return written < out.length ? written : written - out.length;
    }

    /** @return how many bytes of history {@link #out} holds */
    private int history() {
        return Math.min(written, out.length);
    }

    /** @param tail whether the input is the {@code 00 00 ff ff} appended to the message, not the peer's bytes */
    private void inflate(ByteBuffer input, PayloadSink sink, boolean tail) {
        fedSinceBoundary |= input.hasRemaining();
        int counted = input.position();
        inflater.setInput(input);
        try {
            while (true) {
                int at = position();
                int n = inflater.inflate(out, at, Math.min(CHUNK, out.length - at));
                if (n > 0) {
                    sink.write(out, at, n);
                    written += n;
                    if (written == 2 * out.length) {
                        written = out.length;
                    }
                }
                if (inflater.finished()) {
                    allow((long) MAX_RATIO * (input.position() - counted));
                    counted = input.position();
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
                    allow((long) MAX_RATIO * (input.position() - counted));
                    return;
                }
            }
        } catch (DataFormatException e) {
            // zlib's "invalid distance too far back": before a BFINAL block's end, what was not kept (see above).
            String reason = "invalid distance too far back".equals(e.getMessage())
                    ? "compressed data refers back further than the history kept"
                    : "invalid compressed data";
            throw new ProtocolException(CloseCode.INVALID_PAYLOAD_DATA, reason);
        }
    }

    /**
     * The peer's DEFLATE stream ended with a BFINAL block; zlib leaves the input at the next byte, where the peer's
     * next stream starts. Primes that stream with the output so far, which its back-references may reach, as far
     * as the allowance goes.
     */
    private void startStreamAfterFinalBlock() {
        if (!ownsWindow()) {
            keepWindow();
        }
        int length = Math.min(history(), allowance);
        allowance -= (char) length;
        inflater.reset();
        int at = position();
        if (length <= at) {
            inflater.setDictionary(out, at - length, length);
        } else {
            byte[] dictionary = new byte[length];
            copyLatest(length, dictionary);
            inflater.setDictionary(dictionary);
        }
        fedSinceBoundary = false;
    }

    /** Moves the history out of a lent chunk into a window of the connection's own, oldest byte first. */
    private void keepWindow() {
        int length = history();
        byte[] window = new byte[WINDOW];
        copyLatest(length, window);
        releaseOutput();
        out = window;
        written = length;
    }

    /** Copies the ring's last {@code length} bytes (at most its history) to the start of {@code to}, oldest first. */
    private void copyLatest(int length, byte[] to) {
        int at = position();
        int older = Math.max(0, length - at);
        System.arraycopy(out, out.length - older, to, 0, older);
        System.arraycopy(out, at - (length - older), to, older, length - older);
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
