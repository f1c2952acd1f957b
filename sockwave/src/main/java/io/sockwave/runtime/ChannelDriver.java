package io.sockwave.runtime;

import io.sockwave.tls.TlsAdapter;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Moves bytes between one socket and the connection's current {@link Phase}, through TLS when there is any.
 *
 * <p>Reads go into the loop's shared buffer and are handed over at once, so a connection owns no read buffer; the
 * protocol core keeps the few bytes of a cut frame header itself, and {@link TlsAdapter} the tail of a cut record.
 * Writes gather the {@link OutboundQueue} into the loop's direct buffer and go out in one call per turn. The queue is
 * borrowed from the loop only while there is something to write.
 *
 * <p>Every way out (orderly close, lingering close, reset, timeout, error, loop shutdown) ends in
 * {@link #closeChannel()}, which releases the channel, its key, its timer, its queue and TLS state, and unlinks the
 * connection from its loop. Confined to the loop's thread.
 */
final class ChannelDriver extends TimerNode implements IoHandler, TlsAdapter.Sink {
    private static final int OPEN = 0;
    /** Write what is queued, then close: the closing handshake is done, or an HTTP answer ends the connection. */
    private static final int CLOSE_AFTER_FLUSH = 1;
    /** Output shut down; reading and discarding until the peer closes, so our last bytes are not lost to a reset. */
    private static final int LINGERING = 2;
    private static final int CLOSED = 3;
    private static final int MAX_READS_PER_TURN = 4;
    private static final int MAX_WRITES_PER_TURN = 16;

    final EventLoop loop;
    final SocketChannel channel;
    private final TlsAdapter tls;
    private final long sendNanos;
    private final long lingerNanos;
    private SelectionKey key;
    private Phase phase;
    private OutboundQueue out;
    private int state = OPEN;
    private int interest;
    private boolean connected;
    private boolean readPaused;
    private boolean eof;
    private boolean phaseEnded;
    private long lingerDeadline;
    long lastActivity;

    boolean dirty;
    ChannelDriver prev;
    ChannelDriver next;

    ChannelDriver(EventLoop loop, SocketChannel channel, TlsAdapter tls, SessionOptions options) {
        this.loop = loop;
        this.channel = channel;
        this.tls = tls;
        this.sendNanos = options.sendNanos();
        this.lingerNanos = options.closeNanos();
        this.lastActivity = loop.now();
    }

    /**
     * Registers an accepted or connected channel and starts reading; on the loop's thread.
     *
     * @param first the first phase
     * @throws IOException if the channel is already closed
     */
    void startConnected(Phase first) throws IOException {
        this.phase = first;
        this.connected = true;
        interest = SelectionKey.OP_READ;
        key = loop.register(channel, interest, this);
        loop.add(this);
        if (tls != null && tls.wantsWrap()) {
            loop.markDirty(this);
        }
    }

    /**
     * Registers a channel whose connect is pending; on the loop's thread.
     *
     * @param first the first phase
     * @throws IOException if the channel is already closed
     */
    void startConnecting(Phase first) throws IOException {
        this.phase = first;
        interest = SelectionKey.OP_CONNECT;
        key = loop.register(channel, interest, this);
        loop.add(this);
    }

    /** @param next the phase that takes over the connection's bytes */
    void switchTo(Phase next) {
        this.phase = next;
    }

    /** Graceful server shutdown: the phase closes with 1001 or drops its handshake. */
    void goingAway() {
        if (state == OPEN) {
            phase.goingAway();
        }
    }

    /** @return the bytes queued and not yet written */
    long queuedBytes() {
        return out == null ? 0 : out.bytes();
    }

    boolean isOpen() {
        return state == OPEN;
    }

    InetSocketAddress remoteAddress() {
        try {
            return (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ events

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
            read();
        }
    }

    private void finishConnect() {
        try {
            if (!channel.finishConnect()) {
                return;
            }
        } catch (IOException e) {
            terminate(e);
            return;
        }
        connected = true;
        lastActivity = loop.now();
        updateInterest();
        phase.onConnected();
        loop.markDirty(this);
    }

    private void read() {
        try {
            if (tls == null) {
                readPlain();
            } else {
                readTls();
            }
        } catch (IOException e) {
            terminate(e);
        }
    }

    private void readPlain() throws IOException {
        ByteBuffer buffer = loop.readBuffer;
        for (int i = 0; i < MAX_READS_PER_TURN && state != CLOSED && !readPaused; i++) {
            buffer.clear();
            int n = channel.read(buffer);
            if (n < 0) {
                onEof();
                return;
            }
            if (n == 0) {
                return;
            }
            lastActivity = loop.now();
            buffer.flip();
            if (state == LINGERING) {
                continue;
            }
            phase.onData(buffer);
            if (n < buffer.capacity()) {
                return;
            }
        }
    }

    private void readTls() throws IOException {
        ByteBuffer net = loop.readBuffer;
        net.clear();
        int held = tls.heldBuffers();
        tls.restoreLeftover(net);
        int n = channel.read(net);
        if (n < 0) {
            loop.buffers += tls.heldBuffers() - held;
            onEof();
            return;
        }
        lastActivity = loop.now();
        net.flip();
        if (state == LINGERING) {
            loop.buffers += tls.heldBuffers() - held;
            return;
        }
        ByteBuffer plaintext = loop.tlsPlaintext(tls.plaintextBufferSize());
        boolean progress = tls.unwrap(net, plaintext, this);
        // A record may wait behind handshake bytes the engine must send first; after sending them, read it again.
        while (state != CLOSED) {
            if (tls.wantsWrap()) {
                flush();
            }
            if (tls.isInboundDone()) {
                loop.buffers += tls.heldBuffers() - held;
                onEof();
                return;
            }
            if (!progress || !tls.hasLeftover() || state == CLOSED) {
                break;
            }
            net.clear();
            tls.restoreLeftover(net);
            net.flip();
            progress = tls.unwrap(net, plaintext, this);
        }
        if (state != CLOSED) {
            loop.buffers += tls.heldBuffers() - held;
            if (out != null) {
                loop.markDirty(this);
            }
        }
    }

    @Override
    public void onPlaintext(ByteBuffer plaintext) {
        if (state != CLOSED && state != LINGERING) {
            phase.onData(plaintext);
        }
    }

    private void onEof() {
        eof = true;
        if (state == LINGERING) {
            closeChannel();
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
        if (state != CLOSED) {
            // Nothing more will be read: stop selecting for reads, which would report end of stream forever.
            readPaused = true;
            updateInterest();
        }
    }

    @Override
    void onTimer(long now) {
        if (state == CLOSED) {
            return;
        }
        if (state == LINGERING) {
            if (now - lingerDeadline >= 0) {
                closeChannel();
            } else {
                wakeBy(lingerDeadline);
            }
            return;
        }
        if (out != null && !out.isEmpty() && now - (out.oldestTime() + sendNanos) >= 0) {
            terminate(new TimeoutException("queued frames not written within "
                    + Duration.ofNanos(sendNanos) + ": the peer is not reading"));
            return;
        }
        long next = phase.onTimer(now);
        if (state == OPEN || state == CLOSE_AFTER_FLUSH) {
            if (out != null && !out.isEmpty()) {
                next = Math.min(next, out.oldestTime() + sendNanos);
            }
            if (next != Long.MAX_VALUE) {
                wakeBy(next);
            }
        }
    }

    /** @param when a deadline, in the loop's clock, by which the timer must fire */
    void wakeBy(long when) {
        if (state != CLOSED && (!isScheduled() || when - deadline < 0)) {
            loop.timers.schedule(this, when);
        }
    }

    // ------------------------------------------------------------------ reading control

    /** @param paused whether to stop selecting this channel for reading */
    void pauseReading(boolean paused) {
        if (readPaused != paused && !eof) {
            readPaused = paused;
            updateInterest();
        }
    }

    private void updateInterest() {
        if (state == CLOSED || !connected) {
            return;
        }
        boolean reading = !readPaused || state == LINGERING;
        boolean writing = state < LINGERING && hasPendingWrites();
        int ops = (reading && !eof ? SelectionKey.OP_READ : 0) | (writing ? SelectionKey.OP_WRITE : 0);
        if (ops != interest) {
            interest = ops;
            key.interestOps(ops);
        }
    }

    private boolean hasPendingWrites() {
        return out != null && !out.isEmpty() || tls != null && (tls.unwritten() != null || tls.wantsWrap());
    }

    // ------------------------------------------------------------------ writing

    private OutboundQueue queue() {
        if (out == null) {
            out = loop.takeQueue();
        }
        loop.markDirty(this);
        return out;
    }

    /**
     * Queues a data frame into this turn's batch.
     *
     * @param frame the frame
     * @return the batch's future
     */
    SendFuture sendBatched(ByteBuffer frame) {
        loop.queuedBytes += frame.remaining();
        return queue().addBatched(frame, loop.now());
    }

    /**
     * @param frame a data frame (or raw bytes, in the HTTP phase)
     * @param future completed when written; may be null
     */
    void send(ByteBuffer frame, SendFuture future) {
        loop.queuedBytes += frame.remaining();
        queue().addData(frame, future, loop.now());
    }

    /**
     * @param frame a control frame, to go ahead of data not yet begun
     * @param future completed when written; may be null
     */
    void sendControl(ByteBuffer frame, SendFuture future) {
        loop.queuedBytes += frame.remaining();
        queue().addControl(frame, future, loop.now());
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
        loop.queuedBytes += out.bytes() - before;
        return replaced;
    }

    /**
     * Drops queued data frames not yet begun; a close frame is about to go ahead of them.
     *
     * @param cause the failure their sends complete with
     */
    void dropUnstartedData(Throwable cause) {
        if (out != null) {
            long dropped = out.dropUnstartedData(cause);
            dequeued(dropped);
            out.settle();
        }
    }

    private void dequeued(long bytes) {
        if (bytes != 0) {
            loop.queuedBytes -= bytes;
            phase.onDequeued(bytes);
        }
    }

    /** Writes what is queued, as much as the socket takes; on the loop's thread, at the end of a turn. */
    void flush() {
        if (state == CLOSED || state == LINGERING || !connected) {
            return;
        }
        if (out != null) {
            out.closeBatch();
        }
        try {
            if (tls == null) {
                flushPlain();
            } else {
                int held = tls.heldBuffers();
                flushTls();
                loop.buffers += tls.heldBuffers() - held;
            }
        } catch (IOException e) {
            terminate(e);
            return;
        }
        afterFlush();
    }

    private void flushPlain() throws IOException {
        ByteBuffer buffer = loop.writeBuffer;
        ByteBuffer[] frames = loop.gather;
        for (int round = 0; round < MAX_WRITES_PER_TURN && out != null && !out.isEmpty(); round++) {
            buffer.clear();
            int count = out.gather(frames);
            for (int i = 0; i < count; i++) {
                ByteBuffer frame = frames[i];
                frames[i] = null;
                int n = Math.min(frame.remaining(), buffer.remaining());
                buffer.put(buffer.position(), frame, frame.position(), n);
                buffer.position(buffer.position() + n);
            }
            buffer.flip();
            int written = channel.write(buffer);
            if (written > 0) {
                lastActivity = loop.now();
                out.written(written, true);
                dequeued(written);
                out.settle();
            }
            if (buffer.hasRemaining()) {
                return;
            }
        }
    }

    private void flushTls() throws IOException {
        ByteBuffer net = loop.writeBuffer;
        ByteBuffer[] frames = loop.gather;
        for (int round = 0; round < MAX_WRITES_PER_TURN && state != CLOSED; round++) {
            ByteBuffer unwritten = tls.unwritten();
            if (unwritten != null) {
                channel.write(unwritten);
                if (unwritten.hasRemaining()) {
                    return;
                }
                tls.clearUnwritten();
            }
            net.clear();
            int count = out == null ? 0 : out.gather(frames);
            long consumed = tls.wrap(frames, count, net);
            java.util.Arrays.fill(frames, 0, count, null);
            if (consumed > 0) {
                out.written(consumed, false);
                dequeued(consumed);
                out.settle();
            }
            net.flip();
            if (!net.hasRemaining()) {
                return;
            }
            lastActivity = loop.now();
            channel.write(net);
            if (net.hasRemaining()) {
                tls.holdUnwritten(net);
                return;
            }
        }
    }

    private void afterFlush() {
        if (state == CLOSED) {
            return;
        }
        if (out != null && out.isEmpty()) {
            loop.releaseQueue(out);
            out = null;
        }
        if (out != null) {
            wakeBy(out.oldestTime() + sendNanos);
        }
        updateInterest();
        if (state == CLOSE_AFTER_FLUSH && !hasPendingWrites()) {
            linger();
        }
    }

    // ------------------------------------------------------------------ closing

    /** Closes once everything queued is written: the closing handshake is complete, or an HTTP answer is final. */
    void closeAfterFlush() {
        if (state == OPEN) {
            state = CLOSE_AFTER_FLUSH;
            loop.markDirty(this);
        }
    }

    /**
     * Ends the phase and shuts down output, then waits (at most the close timeout) for the peer to close, reading
     * and discarding: closing at once with unread bytes would send a reset, which can destroy the close frame or
     * HTTP answer just written before the peer reads it.
     */
    private void linger() {
        endPhase(null);
        if (state == CLOSED) {
            return;
        }
        if (eof) {
            closeChannel();
            return;
        }
        state = LINGERING;
        try {
            if (tls != null) {
                tls.closeOutbound();
                int held = tls.heldBuffers();
                ByteBuffer net = loop.writeBuffer;
                net.clear();
                tls.wrap(loop.gather, 0, net);
                net.flip();
                channel.write(net);
                loop.buffers += tls.heldBuffers() - held;
            }
            channel.shutdownOutput();
        } catch (IOException e) {
            closeChannel();
            return;
        }
        readPaused = false;
        updateInterest();
        lingerDeadline = loop.now() + lingerNanos;
        wakeBy(lingerDeadline);
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
        closeChannel();
        endPhase(cause);
    }

    @Override
    public void abort(String reason) {
        terminate(new IOException(reason));
    }

    private void endPhase(Throwable cause) {
        if (!phaseEnded) {
            phaseEnded = true;
            phase.onEnd(cause);
        }
    }

    private void closeChannel() {
        if (state == CLOSED) {
            return;
        }
        state = CLOSED;
        loop.timers.cancel(this);
        try {
            channel.close();
        } catch (IOException e) {
            EventLoop.LOG.log(Level.DEBUG, "closing a channel failed", e);
        }
        if (out != null) {
            long dropped = out.failAll(new IOException("connection closed before the frame was written"));
            dequeued(dropped);
            out.settle();
            loop.releaseQueue(out);
            out = null;
        }
        if (tls != null) {
            loop.buffers -= tls.heldBuffers();
            tls.release();
        }
        loop.remove(this);
    }
}
