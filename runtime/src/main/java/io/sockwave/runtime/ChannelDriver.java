package io.sockwave.runtime;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLSession;

/**
 * One connection's life on its event loop: moves bytes between the socket (through its {@link Transport}) and the
 * current {@link Phase}, keeps its interest set and its one timer, and closes it.
 *
 * <p>A connection owns no read or write buffer: reads land in the loop's shared buffer and are handed over at once
 * (the protocol core keeps the few bytes of a cut frame header itself), and the {@link OutboundQueue} is borrowed
 * from the loop only while there is something to write.
 *
 * <p>Every way out (orderly close, lingering close, reset, timeout, error, loop shutdown) ends in
 * {@link #closeChannel}, which releases the channel and its key, the timer, the queue and the transport's state, and
 * unlinks the connection from its loop. Confined to the loop's thread.
 */
final class ChannelDriver extends TimerNode implements IoHandler {
    private static final byte OPEN = 0;
    /** Write what is queued, then close: the closing handshake is done, or an HTTP answer ends the connection. */
    private static final byte CLOSE_AFTER_FLUSH = 1;
    /** Output shut down; reading and discarding until the peer closes, so our last bytes are not lost to a reset. */
    private static final byte LINGERING = 2;
    private static final byte CLOSED = 3;

    private static final int NO_SHARED = -1;
    private static final int CONNECTED = 1;
    private static final int READ_PAUSED = 1 << 1;
    /** The peer ended its stream. */
    private static final int EOF = 1 << 2;
    private static final int PHASE_ENDED = 1 << 3;
    /** Closing after the flush does not wait for the peer's end of stream; see {@link #closeAfterClosingHandshake}. */
    private static final int NO_LINGER = 1 << 4;

    static {
        if (TurnFrames.CAPACITY > 1 << 16) {
            throw new AssertionError("a shared range's start and end must each fit in 16 bits");
        }
    }

    final EventLoop loop;
    private Transport transport;
    final SessionOptions options;
    private SelectionKey key;
    private Phase phase;
    private OutboundQueue out;
    /**
     * The frames of this turn's broadcasts this connection holds, as a range of its loop's {@link TurnFrames}
     * (start inclusive, end exclusive), written from there at the flush; {@link #NO_SHARED} when it holds none.
     * Only while its queue is empty: whatever else is queued first moves the range into the queue
     * ({@link #moveSharedToQueue}), so that the order of sends holds. Packed in one int, the start in the high 16
     * bits and the end less one in the low 16 ({@link TurnFrames#CAPACITY} is 64 KiB), and the flags below in one
     * byte, so that an idle connection's driver takes 72 bytes of heap rather than 80 (IdleConnectionHeapTest).
     */
    private int shared = NO_SHARED;
    private byte state = OPEN;
    /** The interest set last given to the key; selection keys use the low five bits only. */
    private byte interest;
    /** {@link #CONNECTED}, {@link #READ_PAUSED}, {@link #EOF}, {@link #PHASE_ENDED}, {@link #NO_LINGER}. */
    private byte flags;
    /** When a byte was last read or written, in the loop's clock: the idle timeout counts from here. */
    long lastActivity;

    boolean dirty;
    ChannelDriver prev;
    ChannelDriver next;

    ChannelDriver(EventLoop loop, Transport transport, SessionOptions options) {
        this.loop = loop;
        this.transport = transport;
        this.options = options;
        this.lastActivity = loop.now();
    }

    /**
     * Registers an accepted or connected channel and starts reading; on the loop's thread.
     *
     * @param channel the channel, from now on reached through its key
     * @param first the first phase
     * @throws IOException if the channel is already closed
     */
    void startConnected(SocketChannel channel, Phase first) throws IOException {
        this.phase = first;
        set(CONNECTED, true);
        interest = SelectionKey.OP_READ;
        key = loop.register(channel, interest, this);
        loop.add(this);
        if (transport.hasPendingOutput()) {
            loop.markDirty(this);
        }
    }

    /**
     * Registers a channel whose connect is pending; on the loop's thread.
     *
     * @param channel the channel, from now on reached through its key
     * @param first the first phase
     * @throws IOException if the channel is already closed
     */
    void startConnecting(SocketChannel channel, Phase first) throws IOException {
        this.phase = first;
        interest = SelectionKey.OP_CONNECT;
        key = loop.register(channel, interest, this);
        loop.add(this);
    }

    /**
     * Puts TLS over a tunnel a proxy just opened. Only while nothing is queued or held: the tunnel's phase calls it
     * after reading the proxy's whole answer, to which nothing was sent after the request.
     *
     * @param next the transport for every byte from now on
     */
    void useTransport(Transport next) {
        this.transport = next;
    }

    /** @param next the phase that takes over the connection's bytes */
    void switchTo(Phase next) {
        this.phase = next;
    }

    /** Graceful shutdown of the server or client: the phase closes with 1001, or ends or answers its handshake. */
    void goingAway() {
        if (state == OPEN) {
            phase.goingAway();
        }
    }

    /** @return the channel; once started (its key holds it, so that the connection needs no field of its own) */
    SocketChannel channel() {
        return (SocketChannel) key.channel();
    }

    boolean isOpen() {
        return state == OPEN;
    }

    boolean isClosed() {
        return state == CLOSED;
    }

    InetSocketAddress remoteAddress() {
        try {
            return (InetSocketAddress) channel().getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** @return the TLS session, or null for a plain connection */
    SSLSession sslSession() {
        return transport.sslSession();
    }

    InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel().getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ reading

    @Override
    public void onReady(SelectionKey selected) {
        int ready = selected.readyOps();
        if ((ready & SelectionKey.OP_CONNECT) != 0) {
            finishConnect();
            return;
        }
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            flush();
        }
        if ((ready & SelectionKey.OP_READ) != 0 && state != CLOSED) {
            try {
                transport.read(this);
            } catch (IOException e) {
                terminate(e);
            }
        }
    }

    private void finishConnect() {
        try {
            if (!channel().finishConnect()) {
                return;
            }
        } catch (IOException e) {
            terminate(e);
            return;
        }
        set(CONNECTED, true);
        lastActivity = loop.now();
        updateInterest();
        phase.onConnected();
        loop.markDirty(this);
    }

    /** @return whether the transport should read on: open, and not paused (a lingering close reads to discard) */
    boolean acceptsReads() {
        return state != CLOSED && (!is(READ_PAUSED) || state == LINGERING);
    }

    /** @return whether bytes read go to the phase rather than being discarded */
    boolean acceptsData() {
        return (state == OPEN || state == CLOSE_AFTER_FLUSH) && !is(PHASE_ENDED);
    }

    /** @param bytes read from the socket (decrypted, under TLS); all consumed */
    void received(ByteBuffer bytes) {
        lastActivity = loop.now();
        if (acceptsData()) {
            phase.onData(bytes);
        }
        bytes.position(bytes.limit());
    }

    /** The peer ended its side of the stream. */
    void endOfStream() {
        set(EOF, true);
        if (state == LINGERING) {
            closeChannel(null);
            return;
        }
        if (state == CLOSE_AFTER_FLUSH) {
            if (hasPendingWrites()) {
                updateInterest();
            } else {
                linger();
            }
            return;
        }
        phase.onEof();
        // Nothing more will be read: stop selecting for reads, which would report end of stream forever.
        updateInterest();
    }

    /** @param paused whether to stop selecting this channel for reading */
    /** @return whether the phase paused reading ({@link #pauseReading}) */
    boolean isReadingPaused() {
        return is(READ_PAUSED);
    }

    void pauseReading(boolean paused) {
        if (is(READ_PAUSED) != paused) {
            set(READ_PAUSED, paused);
            updateInterest();
        }
    }

    private void updateInterest() {
        if (state == CLOSED || !is(CONNECTED)) {
            return;
        }
        boolean reading = !is(EOF) && (!is(READ_PAUSED) || state == LINGERING);
        boolean writing = state < LINGERING && (transport.hasPendingOutput()
                || out != null && !out.isEmpty() && !transport.awaitsPeer());
        int ops = (reading ? SelectionKey.OP_READ : 0) | (writing ? SelectionKey.OP_WRITE : 0);
        if (ops != interest) {
            interest = (byte) ops;
            key.interestOps(ops);
        }
    }

    /** @return whether bytes wait to be written: queued frames, shared frames held, or the transport's own */
    boolean hasPendingWrites() {
        return out != null && !out.isEmpty() || shared != NO_SHARED || transport.hasPendingOutput();
    }

    // ------------------------------------------------------------------ deadlines

    @Override
    void onTimer(long now) {
        if (state == CLOSED) {
            return;
        }
        if (state == LINGERING) {
            // Lingering has one deadline, scheduled exactly when lingering began.
            closeChannel(null);
            return;
        }
        if (out != null && !out.isEmpty() && reached(now, sendDeadline())) {
            terminate(new TimeoutException("queued frames not written within "
                    + Durations.readable(options.sendNanos()) + ": the peer is not reading"));
            return;
        }
        // A phase ended ahead of the close (endAfterFirstControl) has no deadline left: only the send timeout's.
        long next = is(PHASE_ENDED) ? Long.MAX_VALUE : phase.onTimer(now);
        if (state == OPEN || state == CLOSE_AFTER_FLUSH) {
            if (out != null && !out.isEmpty()) {
                next = Math.min(next, sendDeadline());
            }
            if (next != Long.MAX_VALUE) {
                wakeBy(next);
            }
        }
    }

    private long sendDeadline() {
        return out.oldestTime() + options.sendNanos();
    }

    /** @param when a deadline, in the loop's clock, by which the timer must fire */
    void wakeBy(long when) {
        if (state < LINGERING && (!isScheduled() || when - deadline < 0)) {
            loop.timers.schedule(this, when);
        }
    }

    // ------------------------------------------------------------------ writing

    /** @return the queue, or null when nothing is queued */
    OutboundQueue queue() {
        return out;
    }

    private OutboundQueue queueToSend() {
        if (shared != NO_SHARED) {
            moveSharedToQueue(sharedStart());
        }
        if (out == null) {
            out = loop.takeQueue();
        }
        loop.markDirty(this);
        return out;
    }

    /** @return the bytes queued and not yet written */
    long queuedBytes() {
        return (out == null ? 0 : out.bytes()) + (shared == NO_SHARED ? 0 : sharedEnd() - sharedStart());
    }

    /**
     * Queues a broadcast's shared frame: as a range of this turn's {@link TurnFrames} when the connection is plain
     * and holds nothing else but this turn's earlier frames right before it, else into the queue.
     *
     * @param frame a prepared message's frame, shared and read-only
     */
    void sendShared(ByteBuffer frame) {
        if (transport == PlainTransport.INSTANCE && state == OPEN && (out == null || out.isEmpty())) {
            int start = loop.turnFrames.append(frame);
            if (start >= 0 && canHoldShared(start)) {
                holdShared(start, start + frame.remaining());
                return;
            }
        }
        send(frame, null);
    }

    /**
     * @param start where a run of this turn's frames starts in the loop's {@link TurnFrames}
     * @return whether the connection can hold it as a range: plain, open, nothing queued, and no range held but one
     *     that ends where this one starts
     */
    boolean canHoldShared(int start) {
        return transport == PlainTransport.INSTANCE && state == OPEN && (out == null || out.isEmpty())
                && (shared == NO_SHARED || sharedEnd() == start);
    }

    /**
     * Holds a run of this turn's frames as a range, after {@link #canHoldShared} said it can.
     *
     * @param start the run's first byte
     * @param end past its last
     */
    void holdShared(int start, int end) {
        if (shared == NO_SHARED) {
            shared = start << 16;
            loop.turnFrames.hold();
            loop.markDirty(this);
        }
        shared = shared & ~0xFFFF | end - 1;
        loop.countQueued(end - start);
    }

    /**
     * Writes the range of this turn's frames the connection holds, straight from the loop's {@link TurnFrames}; what
     * the socket does not take moves to the queue.
     *
     * @throws IOException when the socket fails
     */
    private void writeShared() throws IOException {
        int start = sharedStart();
        int length = sharedEnd() - start;
        int written = channel().write(loop.turnFrames.range(start, start + length));
        if (written < length) {
            moveSharedToQueue(start + written);
        } else {
            shared = NO_SHARED;
            loop.turnFrames.release();
        }
        if (written > 0) {
            lastActivity = loop.now();
            dequeued(written);
        }
    }

    /**
     * Copies the frames of the range the connection holds into its queue, one entry per frame as if each had been
     * queued itself, and lets the range go.
     *
     * @param from the first byte not yet written; a frame partly written is queued with its position past it
     */
    private void moveSharedToQueue(int from) {
        TurnFrames turn = loop.turnFrames;
        int at = sharedStart();
        int end = sharedEnd();
        shared = NO_SHARED;
        if (out == null) {
            out = loop.takeQueue();
        }
        long now = loop.now();
        while (at < end) {
            int length = turn.frameLength(at);
            if (at + length > from) {
                ByteBuffer frame = loop.frames.allocate(length);
                turn.copy(at, frame);
                out.addData(frame.position(Math.max(0, from - at)), null, now);
            }
            at += length;
        }
        turn.release();
    }

    /**
     * Queues a data frame into this turn's batch.
     *
     * @param frame the frame
     * @return the batch's future
     */
    SendFuture sendBatched(ByteBuffer frame) {
        loop.countQueued(frame.remaining());
        return queueToSend().addBatched(frame, loop.now());
    }

    /**
     * @param frame a data frame (or raw bytes, in the HTTP phase)
     * @param future completed when written; may be null
     */
    void send(ByteBuffer frame, SendFuture future) {
        loop.countQueued(frame.remaining());
        queueToSend().addData(frame, future, loop.now());
    }

    /**
     * @param frame a control frame, to go ahead of data not yet begun
     * @param future completed when written; may be null
     */
    void sendControl(ByteBuffer frame, SendFuture future) {
        loop.countQueued(frame.remaining());
        queueToSend().addControl(frame, future, loop.now());
    }

    /**
     * @param pong an automatic pong
     * @return whether it replaced one not yet sent (RFC 6455 §5.5.3)
     */
    boolean replaceAutoPong(ByteBuffer pong) {
        if (out == null) {
            return false;
        }
        long before = out.bytes();
        boolean replaced = out.replaceAutoPong(pong);
        loop.countQueued(out.bytes() - before);
        return replaced;
    }

    /**
     * Drops queued data frames not yet begun; a close frame is about to go ahead of them.
     *
     * @param cause the failure their sends complete with
     */
    void dropUnstartedData(Throwable cause) {
        if (shared != NO_SHARED) {
            moveSharedToQueue(sharedStart());
        }
        if (out != null) {
            dataDropped(out, out.dropUnstartedData(cause));
        }
    }

    /**
     * Drops the queued messages not yet begun; the close frame that answers the peer's is about to follow the one
     * being written, if any.
     *
     * @param cause the failure their sends complete with
     */
    void dropMessagesNotBegun(Throwable cause) {
        if (shared != NO_SHARED) {
            moveSharedToQueue(sharedStart());
        }
        if (out != null) {
            dataDropped(out, out.dropMessagesNotBegun(cause));
        }
    }

    /** @param queue the queue they left: completing whenWritable() may run code that closes and returns it */
    private void dataDropped(OutboundQueue queue, long dropped) {
        if (dropped != 0) {
            loop.countQueued(-dropped);
            if (!is(PHASE_ENDED)) {
                phase.onDataDropped(dropped);
            }
        }
        queue.settle();
    }

    /**
     * Accounts for bytes handed to the socket; called by the transport.
     *
     * @param n plaintext bytes written
     * @param advance whether the frames' positions must be moved past them
     */
    void wrote(long n, boolean advance) {
        lastActivity = loop.now();
        // Completing whenWritable() in dequeued runs the application's code, which may close the channel and
        // return the queue: settle the one that was written.
        OutboundQueue queue = out;
        queue.written(n, advance);
        dequeued(n);
        queue.settle();
    }

    private void dequeued(long bytes) {
        if (bytes != 0) {
            loop.countQueued(-bytes);
            if (!is(PHASE_ENDED)) {
                phase.onDequeued(bytes);
            }
        }
    }

    /** Has what was queued in this turn written at its end. */
    void flushLater() {
        if (out != null && state != CLOSED) {
            loop.markDirty(this);
        }
    }

    /** Writes what is queued, as much as the socket takes; on the loop's thread, at the end of a turn. */
    void flush() {
        if (state == CLOSED || state == LINGERING || !is(CONNECTED)) {
            return;
        }
        if (out != null) {
            out.closeBatch();
        }
        try {
            if (shared != NO_SHARED) {
                writeShared();
            }
            transport.write(this, out);
        } catch (IOException e) {
            terminate(e);
            return;
        }
        if (state == CLOSED) {
            return;
        }
        if (out != null && out.isEmpty()) {
            loop.releaseQueue(out);
            out = null;
        }
        if (out != null) {
            wakeBy(sendDeadline());
        }
        updateInterest();
        if (state == CLOSE_AFTER_FLUSH && !hasPendingWrites()) {
            linger();
        }
    }

    // ------------------------------------------------------------------ closing

    /**
     * Closes once everything queued is written, then lingers: an HTTP answer is final, or the connection failed, and
     * the peer may still be sending.
     */
    void closeAfterFlush() {
        if (state == OPEN) {
            state = CLOSE_AFTER_FLUSH;
            loop.markDirty(this);
        }
    }

    /**
     * Ends the phase now, drops everything queued but the first control frame, and closes (lingering) once that one
     * is written: a server session aborted before its 101 was written still completes the handshake the hooks
     * decided (RFC 6455 §4.2.2), and the client sees an opened connection cut without a close frame rather than a
     * failed handshake. What is read meanwhile is discarded; the send timeout bounds the wait.
     */
    void endAfterFirstControl() {
        if (state != OPEN) {
            terminate(null);
            return;
        }
        if (shared != NO_SHARED) {
            moveSharedToQueue(sharedStart());
        }
        if (out != null) {
            dequeued(out.dropAllButFirstControl(new IOException("the session was aborted")));
            out.settle();
        }
        endPhase(null);
        closeAfterFlush();
    }

    /**
     * Closes once everything queued is written, without lingering: the closing handshake is complete, the peer sent
     * its close frame and sends nothing after it (RFC 6455 §5.5.1), so no unread byte turns the close into a reset
     * (a peer that sends more anyway meets one). The FIN follows the close frame at once and the kernel answers the peer's FIN: the loop is not woken
     * for it (an {@code epoll_wait}, a {@code read} and a {@code shutdown} less per connection), nor does the peer's
     * side of the kernel have to wake the loop, which on loopback the peer's CPU pays for (bench/peers/README.md).
     * Under TLS the peer answers our close_notify, so that transport lingers.
     */
    void closeAfterClosingHandshake() {
        if (state == OPEN) {
            set(NO_LINGER, !transport.peerAnswersClose());
            closeAfterFlush();
        }
    }

    /**
     * Ends the phase and shuts down output, then waits (at most the close timeout) for the peer to close, reading
     * and discarding: closing at once with unread bytes would send a reset, which can destroy the close frame or
     * HTTP answer just written before the peer reads it. Closes at once when the peer already ended its stream, or
     * has nothing left to send ({@link #closeAfterClosingHandshake}); the server still closes first (§7.1.1).
     */
    private void linger() {
        endPhase(null);
        if (state == CLOSED) {
            return;
        }
        if (is(EOF) || is(NO_LINGER)) {
            closeChannel(null);
            return;
        }
        state = LINGERING;
        try {
            transport.closeOutput(this);
            channel().shutdownOutput();
        } catch (IOException e) {
            closeChannel(null);
            return;
        }
        updateInterest();
        loop.timers.schedule(this, loop.now() + options.closeNanos());
    }

    /**
     * Closes at once, failing what is queued, and ends the phase.
     *
     * @param cause what went wrong, or null for an abnormal but unremarkable end (such as a close timeout)
     */
    void terminate(Throwable cause) {
        if (state == CLOSED) {
            return;
        }
        if (cause instanceof IOException) {
            EventLoop.LOG.log(Level.DEBUG, "connection to {0} failed: {1}", remoteAddress(), cause.toString());
        }
        closeChannel(cause);
        endPhase(cause);
        loop.publishStats();
    }

    @Override
    public void abort(String reason) {
        terminate(new IOException(reason));
    }

    private boolean is(int flag) {
        return (flags & flag) != 0;
    }

    private void set(int flag, boolean on) {
        flags = (byte) (on ? flags | flag : flags & ~flag);
    }

    /** @return where the range of this turn's frames the connection holds starts; only while it holds one */
    private int sharedStart() {
        return shared >>> 16;
    }

    /** @return past the range's last byte */
    private int sharedEnd() {
        return (shared & 0xFFFF) + 1;
    }

    private void endPhase(Throwable cause) {
        if (!is(PHASE_ENDED)) {
            set(PHASE_ENDED, true);
            phase.onEnd(cause);
        }
    }

    /**
     * Says goodbye at the transport's level before the socket closes, as far as the socket takes it at once: TLS
     * sends its close_notify (RFC 8446 §6.1: each party MUST before closing its write side), also when the peer's
     * came first, which a TLS 1.3 engine does not answer by itself.
     */
    private void closeOutputQuietly() {
        try {
            transport.closeOutput(this);
        } catch (IOException | RuntimeException e) {
            // The peer is gone or the engine failed: the socket closes all the same.
            EventLoop.LOG.log(Level.DEBUG, "no close_notify to {0}: {1}", remoteAddress(), e.toString());
        }
    }

    /** @param cause what queued sends fail with; null for a plain "connection closed" */
    private void closeChannel(Throwable cause) {
        if (state == CLOSED) {
            return;
        }
        boolean outputOpen = state != LINGERING;
        state = CLOSED;
        loop.timers.cancel(this);
        if (outputOpen) {
            closeOutputQuietly();
        }
        try {
            channel().close();
        } catch (IOException e) {
            EventLoop.LOG.log(Level.DEBUG, "closing a channel failed", e);
        }
        if (shared != NO_SHARED) {
            // Nothing waits on these frames: they are only counted out.
            long dropped = sharedEnd() - sharedStart();
            shared = NO_SHARED;
            loop.turnFrames.release();
            dequeued(dropped);
        }
        if (out != null) {
            OutboundQueue queue = out;
            out = null;
            dequeued(queue.failAll(cause != null ? cause
                    : new IOException("connection closed before the frame was written")));
            queue.settle();
            loop.releaseQueue(queue);
        }
        transport.release(loop);
        loop.remove(this);
        if (is(PHASE_ENDED)) {
            // Its session, if it had one, was counted out before: the counts agree again (terminate publishes after
            // ending the phase otherwise).
            loop.publishStats();
        }
    }
}
