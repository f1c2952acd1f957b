package io.sockwave.protocol.extension;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Idle zlib streams shared by the connections of one {@link PerMessageDeflate} factory. A direction without context
 * takeover needs a stream only while a message passes, so its connections borrow one per message instead of each
 * holding some 300 KB of native memory for its whole life. The pool is bounded; a stream returned to a full pool
 * is ended at once.
 *
 * <p>It also lends the 16 KiB arrays that inflaters write into, in either mode: one is needed only while a message
 * is inflated, so an idle connection need not keep one, nor a connection without context takeover allocate and
 * zero one for every message.
 */
final class ZlibPool {
    private static final int MAX_IDLE = 4 * Runtime.getRuntime().availableProcessors();

    private final int level;
    private final ConcurrentLinkedQueue<Deflater> deflaters = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Inflater> inflaters = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<byte[]> chunks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleChunks = new AtomicInteger();
    private final AtomicInteger idleDeflaters = new AtomicInteger();
    private final AtomicInteger idleInflaters = new AtomicInteger();
    /** Streams made and not yet ended, idle ones included: what {@link #streamsInUse()} is counted from. */
    private final AtomicInteger live = new AtomicInteger();

    ZlibPool(int level) {
        this.level = level;
    }

    /** @return a deflater with an empty history, raw (no zlib header), at the pool's level */
    Deflater newDeflater() {
        live.incrementAndGet();
        return new Deflater(level, true);
    }

    /** @return an inflater with an empty history, raw (no zlib header) */
    Inflater newInflater() {
        live.incrementAndGet();
        return new Inflater(true);
    }

    /** Ends a stream made by this pool, freeing its native memory. */
    void end(Deflater d) {
        live.decrementAndGet();
        d.end();
    }

    /** Ends a stream made by this pool, freeing its native memory. */
    void end(Inflater i) {
        live.decrementAndGet();
        i.end();
    }

    /** @return the streams connections hold now: made and not ended, less the idle ones kept for reuse */
    int streamsInUse() {
        return live.get() - idleDeflaters.get() - idleInflaters.get();
    }

    Deflater borrowDeflater() {
        Deflater d = deflaters.poll();
        if (d == null) {
            return newDeflater();
        }
        idleDeflaters.decrementAndGet();
        return d;
    }

    void returnDeflater(Deflater d) {
        d.reset();
        if (idleDeflaters.incrementAndGet() <= MAX_IDLE) {
            deflaters.add(d);
        } else {
            idleDeflaters.decrementAndGet();
            end(d);
        }
    }

    Inflater borrowInflater() {
        Inflater i = inflaters.poll();
        if (i == null) {
            return newInflater();
        }
        idleInflaters.decrementAndGet();
        return i;
    }

    /** @return an array of {@link MessageInflater#CHUNK} bytes for inflated output, its contents unspecified */
    byte[] borrowChunk() {
        byte[] chunk = chunks.poll();
        if (chunk == null) {
            return new byte[MessageInflater.CHUNK];
        }
        idleChunks.decrementAndGet();
        return chunk;
    }

    void returnChunk(byte[] chunk) {
        if (idleChunks.incrementAndGet() <= MAX_IDLE) {
            chunks.add(chunk);
        } else {
            idleChunks.decrementAndGet();
        }
    }

    void returnInflater(Inflater i) {
        i.reset();
        if (idleInflaters.incrementAndGet() <= MAX_IDLE) {
            inflaters.add(i);
        } else {
            idleInflaters.decrementAndGet();
            end(i);
        }
    }
}
