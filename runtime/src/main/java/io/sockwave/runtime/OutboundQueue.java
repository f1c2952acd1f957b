package io.sockwave.runtime;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The frames a connection has yet to write, in two lanes: control frames (pongs, pings, the closes the protocol
 * owes) go ahead of data, but never into the middle of a data frame already partly written. Each frame may carry the
 * future of the sends it completes and remembers when it was queued, for the send timeout.
 *
 * <p>Sends made on the event loop in one turn share a future: the batch is written together, and one future per
 * batch instead of per message keeps the echo path free of allocation beyond the frames themselves. Queues are
 * borrowed from the loop's pool while a connection has something to write and returned when empty, so an idle
 * connection holds none. Every frame that leaves the queue, written or dropped, goes back to the loop's
 * {@link FramePool}, which keeps the direct ones for reuse. Confined to the loop's thread.
 */
final class OutboundQueue {
    /** Automatic pongs that may wait unsent before newer ones replace the newest (a ping flood stays bounded). */
    static final int MAX_UNSENT_PONGS = 32;

    /**
     * Room for the frames of a broadcast or two before the arrays grow: a broadcast to a thousand sessions takes a
     * thousand queues at once, so a queue starts small (about 330 bytes) and grows only where a session queues more.
     */
    static final int INITIAL_CAPACITY = 4;
    /** Queues that grew past this many data frames are left to the garbage collector instead of pooled. */
    private static final int MAX_POOLED_CAPACITY = 64;

    private ByteBuffer[] data = new ByteBuffer[INITIAL_CAPACITY];
    private SendFuture[] dataFutures = new SendFuture[INITIAL_CAPACITY];
    private long[] dataTimes = new long[INITIAL_CAPACITY];
    /**
     * Whether a data frame is shared with other queues (read-only when queued: a prepared message's frame), so that
     * its position must never move; a view this queue made of one is its own.
     */
    private boolean[] dataShared = new boolean[INITIAL_CAPACITY];
    private int dataHead;
    private int dataCount;

    private ByteBuffer[] control = new ByteBuffer[2];
    private SendFuture[] controlFutures = new SendFuture[2];
    private long[] controlTimes = new long[2];
    private int controlHead;
    private int controlCount;

    private final FramePool pool;
    private long bytes;
    private SendFuture openBatch;
    /** Whether the data head was partly written when the frames were last gathered for a writer that consumes them. */
    private boolean headStartedWhenGathered;

    /** Futures whose frames were written or dropped, completed by {@link #settle()} once the queue is consistent. */
    private SendFuture[] settled = new SendFuture[4];
    private Throwable[] settledCauses = new Throwable[4];
    private int settledCount;
    private boolean settling;

    /** @param pool where frames go once they leave the queue */
    OutboundQueue(FramePool pool) {
        this.pool = pool;
    }

    /** @return bytes not yet written */
    long bytes() {
        return bytes;
    }

    boolean isEmpty() {
        return dataCount == 0 && controlCount == 0;
    }

    /** @return whether the arrays are still small enough to be worth pooling */
    boolean isPoolable() {
        return data.length <= MAX_POOLED_CAPACITY && control.length <= 16;
    }

    /**
     * Queues a data frame with its own future.
     *
     * @param frame the frame, positioned at its start
     * @param future completed when the frame is written; may be null
     * @param now the loop's clock
     */
    void addData(ByteBuffer frame, SendFuture future, long now) {
        if (dataCount == data.length) {
            growData();
        }
        int slot = (dataHead + dataCount++) & (data.length - 1);
        data[slot] = frame;
        dataFutures[slot] = future;
        dataTimes[slot] = now;
        dataShared[slot] = frame.isReadOnly();
        bytes += frame.remaining();
    }

    /**
     * Queues a data frame into the open batch, whose shared future completes when its last frame is written.
     *
     * @param frame the frame
     * @param now the loop's clock
     * @return the batch's future
     */
    SendFuture addBatched(ByteBuffer frame, long now) {
        SendFuture batch = openBatch;
        int last = (dataHead + dataCount - 1) & (data.length - 1);
        if (batch != null && dataCount > 0 && dataFutures[last] == batch) {
            // The batch's future moves to its new last frame.
            dataFutures[last] = null;
        } else {
            // A frame of another send came between (or the batch's frames are all written): a future shared
            // across it would complete when the earlier frames are written, before this one.
            batch = openBatch = new SendFuture();
        }
        addData(frame, batch, now);
        return batch;
    }

    /** Ends the open batch: the frames are about to be written, and later sends get a new future. */
    void closeBatch() {
        openBatch = null;
    }

    /**
     * Queues a control frame ahead of the data not yet begun.
     *
     * @param frame the frame
     * @param future completed when the frame is written; may be null
     * @param now the loop's clock
     */
    void addControl(ByteBuffer frame, SendFuture future, long now) {
        if (controlCount == control.length) {
            int n = control.length;
            control = unwrap(control, controlHead, controlCount, n * 2);
            controlFutures = unwrap(controlFutures, controlHead, controlCount, n * 2);
            controlTimes = unwrap(controlTimes, controlHead, controlCount, n * 2);
            controlHead = 0;
        }
        int slot = (controlHead + controlCount++) & (control.length - 1);
        // The runtime makes its control frames itself; one that were read-only (shared) gets a view of its own.
        control[slot] = frame.isReadOnly() ? frame.duplicate() : frame;
        controlFutures[slot] = future;
        controlTimes[slot] = now;
        bytes += frame.remaining();
    }

    /**
     * Bounds what a peer that pings without reading can queue. A burst of pings gets a pong each, but once
     * {@value #MAX_UNSENT_PONGS} automatic pongs wait unsent, a newer one replaces the newest of them, as RFC 6455
     * §5.5.3 allows an endpoint to answer only the latest of the pings it has not answered yet.
     *
     * @param pong the new automatic pong
     * @return whether a queued one was replaced; when false the caller queues it
     */
    boolean replaceAutoPong(ByteBuffer pong) {
        int unsent = 0;
        int newest = -1;
        for (int i = 0; i < controlCount; i++) {
            int slot = (controlHead + i) & (control.length - 1);
            ByteBuffer queued = control[slot];
            if (controlFutures[slot] == null && queued.position() == 0 && isPong(queued)) {
                unsent++;
                newest = slot;
            }
        }
        if (unsent < MAX_UNSENT_PONGS) {
            return false;
        }
        bytes += pong.remaining() - control[newest].remaining();
        pool.release(control[newest]);
        control[newest] = pong;
        return true;
    }

    private static boolean isPong(ByteBuffer frame) {
        return (frame.get(0) & 0x0F) == 0xA;
    }

    /** @return the {@link System#nanoTime()} at which the oldest unwritten frame was queued; MAX_VALUE if none */
    long oldestTime() {
        long oldest = Long.MAX_VALUE;
        if (controlCount > 0) {
            oldest = controlTimes[controlHead];
        }
        if (dataCount > 0 && (oldest == Long.MAX_VALUE || dataTimes[dataHead] - oldest < 0)) {
            oldest = dataTimes[dataHead];
        }
        return oldest;
    }

    /** A data frame partly written finishes before any control frame (RFC 6455 §5.4: no frame inside a frame). */
    private boolean dataHeadStarted() {
        return dataCount > 0 && data[dataHead].position() > 0;
    }

    /** @return how many frames wait, in both lanes */
    int size() {
        return dataCount + controlCount;
    }

    /**
     * One frame in the order they go on the wire ({@link #gather}'s), for a writer that reads it without moving its
     * position and reports what it wrote to {@link #written} with {@code advance}. Read in place, so that the frames
     * of a write need no array of their own: storing each in one (an old object, the frames mostly young) costs the
     * collector's write barrier a memory fence per frame, which a broadcast pays on every subscriber.
     *
     * @param i the frame's place on the wire, below {@link #size()}
     * @return the frame
     */
    ByteBuffer wireFrame(int i) {
        if (controlCount == 0) {
            return data[(dataHead + i) & (data.length - 1)];
        }
        int fromData = dataHeadStarted() ? 1 : 0;
        if (i < fromData) {
            return data[dataHead];
        }
        if (i - fromData < controlCount) {
            return control[(controlHead + i - fromData) & (control.length - 1)];
        }
        return data[(dataHead + i - controlCount) & (data.length - 1)];
    }

    /**
     * Lists the frames in the order they go on the wire, for a writer that reads them without moving their positions
     * and reports what it wrote to {@link #written} with {@code advance}. A shared frame is listed as it is,
     * although other queues hold the same one: a broadcast queues a prepared message's frame on every session
     * without a view per session.
     *
     * @param out receives the frames, as many as fit
     * @return how many were put in {@code out}
     */
    int gather(ByteBuffer[] out) {
        int n = Math.min(size(), out.length);
        for (int i = 0; i < n; i++) {
            out[i] = wireFrame(i);
        }
        return n;
    }

    /**
     * Lists the frames as {@link #gather} does, for a writer that consumes them itself (TLS wrapping moves its
     * sources' positions): each shared frame is first replaced by a view of its own, once.
     *
     * @param out receives the frames, as many as fit
     * @return how many were put in {@code out}
     */
    int gatherToConsume(ByteBuffer[] out) {
        int n = Math.min(dataCount, out.length);
        for (int i = 0; i < n; i++) {
            int slot = (dataHead + i) & (data.length - 1);
            if (dataShared[slot]) {
                data[slot] = data[slot].duplicate();
                dataShared[slot] = false;
            }
        }
        // The writer moves the data head's position as it consumes it: written must know where it stood before.
        headStartedWhenGathered = dataHeadStarted();
        return gather(out);
    }

    /**
     * Accounts for bytes handed to the socket, completing the futures of frames written whole.
     *
     * @param n bytes written, in the order of {@link #gather}
     * @param advance whether to move the frames' positions past them; false when the writer already did (TLS
     *     wrapping consumes its sources itself, from {@link #gatherToConsume})
     */
    void written(long n, boolean advance) {
        bytes -= n;
        if (advance ? dataHeadStarted() : headStartedWhenGathered) {
            n = take(data, dataShared, dataHead, n, advance);
            if (n < 0) {
                return;
            }
            popData();
        }
        while (controlCount > 0) {
            n = take(control, null, controlHead, n, advance);
            if (n < 0) {
                return;
            }
            popControl();
        }
        while (dataCount > 0) {
            n = take(data, dataShared, dataHead, n, advance);
            if (n < 0) {
                return;
            }
            popData();
        }
    }

    /**
     * Moves a lane's frame past the bytes written. A shared frame's position never moves: the first partial write
     * gives this queue a view of its own, which later writes move as any other frame.
     *
     * @param shared the lane's shared flags, or null for a lane that holds none
     * @return what is left of {@code n} past the frame, or -1 if the frame is not written whole
     */
    private static long take(ByteBuffer[] lane, boolean[] shared, int slot, long n, boolean advance) {
        ByteBuffer frame = lane[slot];
        if (!advance) {
            return frame.hasRemaining() ? -1 : n;
        }
        int k = (int) Math.min(n, frame.remaining());
        boolean whole = k == frame.remaining();
        if (shared == null || !shared[slot]) {
            frame.position(frame.position() + k);
        } else if (!whole && k > 0) {
            lane[slot] = frame.duplicate().position(frame.position() + k);
            shared[slot] = false;
        }
        return whole ? n - k : -1;
    }

    private void popData() {
        SendFuture future = dataFutures[dataHead];
        if (!dataShared[dataHead]) {
            // A shared frame is never the pool's: no need to ask it.
            pool.release(data[dataHead]);
        }
        data[dataHead] = null;
        dataFutures[dataHead] = null;
        dataHead = (dataHead + 1) & (data.length - 1);
        dataCount--;
        settleLater(future, null);
    }

    private void popControl() {
        SendFuture future = controlFutures[controlHead];
        popControlSilently();
        settleLater(future, null);
    }

    private void settleLater(SendFuture future, Throwable cause) {
        if (future == null) {
            return;
        }
        if (settledCount == settled.length) {
            settled = Arrays.copyOf(settled, settledCount * 2);
            settledCauses = Arrays.copyOf(settledCauses, settledCount * 2);
        }
        settled[settledCount] = future;
        settledCauses[settledCount++] = cause;
    }

    /**
     * Completes the futures of the frames written or dropped since the last call. Kept apart from the bookkeeping
     * because completing a future runs its dependents, which may send again and so change the queue.
     */
    void settle() {
        if (settling || settledCount == 0) {
            return;
        }
        settling = true;
        try {
            // A dependent may settle more futures meanwhile: they are appended and completed by this same loop.
            for (int i = 0; i < settledCount; i++) {
                SendFuture future = settled[i];
                Throwable cause = settledCauses[i];
                settled[i] = null;
                settledCauses[i] = null;
                if (cause == null) {
                    future.succeed();
                } else {
                    future.fail(cause);
                }
            }
        } finally {
            settledCount = 0;
            settling = false;
        }
    }

    /**
     * Drops the data frames not yet begun, failing their futures: a close frame is going ahead of them, and nothing
     * may follow a close frame (RFC 6455 §5.5.1).
     *
     * @param cause why they were dropped
     * @return the bytes dropped
     */
    long dropUnstartedData(Throwable cause) {
        return dropDataAfter(dataHeadStarted() ? 1 : 0, cause);
    }

    /**
     * Drops the whole messages not yet begun, failing their futures: the peer's close came, and this end's goes
     * after the message it is sending (RFC 6455 §5.5.1). That message is the data head once partly written, and the
     * continuation frames after it, which are its rest (a message's frames are queued together, in order).
     *
     * @param cause why they were dropped
     * @return the bytes dropped
     */
    long dropMessagesNotBegun(Throwable cause) {
        int keep = dataHeadStarted() ? 1 : 0;
        while (keep < dataCount && isContinuation(data[(dataHead + keep) & (data.length - 1)])) {
            keep++;
        }
        return dropDataAfter(keep, cause);
    }

    private static boolean isContinuation(ByteBuffer frame) {
        return (frame.get(0) & 0x0F) == 0;
    }

    /** Drops the data frames after the first {@code keep}, failing their futures; @return the bytes dropped */
    private long dropDataAfter(int keep, Throwable cause) {
        long dropped = 0;
        while (dataCount > keep) {
            int slot = (dataHead + dataCount - 1) & (data.length - 1);
            dropped += data[slot].remaining();
            SendFuture future = dataFutures[slot];
            pool.release(data[slot]);
            data[slot] = null;
            dataFutures[slot] = null;
            dataCount--;
            settleLater(future, cause);
        }
        openBatch = null;
        bytes -= dropped;
        return dropped;
    }

    /**
     * Drops every frame but the first control frame, failing their futures: the connection ends once that one (a
     * server's 101, queued before anything else) is written. While it is not written whole no data frame has begun,
     * since data waits behind the control lane unless it began first.
     *
     * @param cause why the others were dropped
     * @return the bytes dropped
     */
    long dropAllButFirstControl(Throwable cause) {
        long dropped = dropUnstartedData(cause);
        while (controlCount > 1) {
            int slot = (controlHead + controlCount - 1) & (control.length - 1);
            dropped += control[slot].remaining();
            bytes -= control[slot].remaining();
            SendFuture future = controlFutures[slot];
            pool.release(control[slot]);
            control[slot] = null;
            controlFutures[slot] = null;
            controlCount--;
            settleLater(future, cause);
        }
        return dropped;
    }

    /**
     * Empties the queue, failing every future once {@link #settle()} is called; leaves it ready for reuse.
     *
     * @param cause why nothing more will be written
     * @return the bytes dropped
     */
    long failAll(Throwable cause) {
        long dropped = bytes;
        while (controlCount > 0) {
            SendFuture future = controlFutures[controlHead];
            popControlSilently();
            settleLater(future, cause);
        }
        while (dataCount > 0) {
            SendFuture future = dataFutures[dataHead];
            pool.release(data[dataHead]);
            data[dataHead] = null;
            dataFutures[dataHead] = null;
            dataHead = (dataHead + 1) & (data.length - 1);
            dataCount--;
            settleLater(future, cause);
        }
        openBatch = null;
        bytes = 0;
        dataHead = 0;
        controlHead = 0;
        return dropped;
    }

    private void popControlSilently() {
        pool.release(control[controlHead]);
        control[controlHead] = null;
        controlFutures[controlHead] = null;
        controlHead = (controlHead + 1) & (control.length - 1);
        controlCount--;
    }

    private void growData() {
        int n = data.length * 2;
        data = unwrap(data, dataHead, dataCount, n);
        dataFutures = unwrap(dataFutures, dataHead, dataCount, n);
        dataTimes = unwrap(dataTimes, dataHead, dataCount, n);
        dataShared = unwrap(dataShared, dataHead, dataCount, n);
        dataHead = 0;
    }

    private static <T> T[] unwrap(T[] ring, int head, int count, int capacity) {
        T[] out = Arrays.copyOf(ring, capacity);
        for (int i = 0; i < count; i++) {
            out[i] = ring[(head + i) & (ring.length - 1)];
        }
        Arrays.fill(out, count, capacity, null);
        return out;
    }

    private static boolean[] unwrap(boolean[] ring, int head, int count, int capacity) {
        boolean[] out = new boolean[capacity];
        for (int i = 0; i < count; i++) {
            out[i] = ring[(head + i) & (ring.length - 1)];
        }
        return out;
    }

    private static long[] unwrap(long[] ring, int head, int count, int capacity) {
        long[] out = new long[capacity];
        for (int i = 0; i < count; i++) {
            out[i] = ring[(head + i) & (ring.length - 1)];
        }
        return out;
    }
}
