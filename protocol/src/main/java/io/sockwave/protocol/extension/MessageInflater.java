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
 * <p>Output goes to the connection's {@link PayloadSink} in chunks of {@value #CHUNK} bytes, so a decompression bomb
 * is stopped by the message size limit after at most one chunk more than the limit has been inflated, and never
 * allocates what it claims to expand to.
 */
final class MessageInflater {
    static final int CHUNK = 16 * 1024;
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private final ZlibPool pool;
    private final boolean peerResetsContext;
    private Inflater inflater;
    private byte[] chunk;
    private boolean streamEnded;

    /**
     * @param pool where inflaters come from
     * @param peerResetsContext whether the peer compresses without context takeover, so that no state needs to
     *     outlive a message
     */
    MessageInflater(ZlibPool pool, boolean peerResetsContext) {
        this.pool = pool;
        this.peerResetsContext = peerResetsContext;
    }

    void decode(ByteBuffer payload, boolean endOfMessage, PayloadSink out) {
        if (chunk == null) {
            // A message starts: what it needs is lent for its duration, so that an idle connection holds no array
            // and, without context takeover, no zlib stream.
            chunk = pool.borrowChunk();
            if (inflater == null) {
                inflater = peerResetsContext ? pool.borrowInflater() : pool.newInflater();
            }
        }
        inflate(payload, out);
        if (endOfMessage) {
            inflate(ByteBuffer.wrap(TAIL), out);
            streamEnded = false;
            pool.returnChunk(chunk);
            chunk = null;
            if (peerResetsContext) {
                pool.returnInflater(inflater);
                inflater = null;
            }
        }
    }

    private void inflate(ByteBuffer input, PayloadSink out) {
        if (streamEnded) {
            // §7.2.3.4: after a block with BFINAL set, the rest of the message carries no data.
            return;
        }
        inflater.setInput(input);
        try {
            while (true) {
                int n = inflater.inflate(chunk);
                if (n > 0) {
                    out.write(chunk, 0, n);
                }
                if (inflater.finished()) {
                    // The peer ended its DEFLATE stream; the next message starts a new one.
                    inflater.reset();
                    streamEnded = true;
                    return;
                }
                if (n == 0) {
                    if (inflater.needsDictionary()) {
                        throw new ProtocolException(CloseCode.INVALID_PAYLOAD_DATA, "compressed data needs a dictionary");
                    }
                    return;
                }
            }
        } catch (DataFormatException e) {
            throw new ProtocolException(CloseCode.INVALID_PAYLOAD_DATA, "invalid compressed data");
        }
    }

    /** Ends or returns the inflater, and returns a message's array; idempotent. */
    void close() {
        if (chunk != null) {
            pool.returnChunk(chunk);
            chunk = null;
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
