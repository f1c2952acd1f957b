package io.sockwave.runtime;

import io.sockwave.PreparedMessage;
import io.sockwave.protocol.CloseCode;
import io.sockwave.protocol.Connection;
import io.sockwave.protocol.ConnectionConfig;
import io.sockwave.protocol.EventHandler;
import io.sockwave.protocol.Opcode;
import io.sockwave.protocol.ProtocolException;
import io.sockwave.protocol.Role;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * The WebSocket phase of a connection, on its event loop: feeds bytes to the protocol {@link Connection}, turns its
 * events into listener calls, queues the frames it owes and the frames the application sends, and keeps the
 * session's deadlines (close, idle, keepalive). Confined to the loop's thread; {@link WebSocketSession} hops here
 * from other threads.
 */
final class Framing implements Phase, EventHandler {
    static final int TEXT = 0;
    static final int BINARY = 1;
    static final int TEXT_PIECE = 2;
    static final int BINARY_PIECE = 3;
    static final int PREPARED = 4;
    static final int PING = 5;
    static final int PONG = 6;
    static final int CLOSE = 7;

    /** Held message bytes at which reading stops until the callbacks catch up, and where it starts again. */
    private static final long BACKLOG_HIGH = 1 << 20;
    private static final long BACKLOG_LOW = 256 << 10;
    private static final ByteBuffer NO_PAYLOAD = ByteBuffer.allocate(0);
    /**
     * What a held listener call costs beyond its payload (the call and the view of its bytes), counted in the
     * backlog: a flood of pings, empty messages or 1-byte fragments is then bounded by the memory it holds like any
     * other traffic, where counting payloads alone would let millions of empty ones wait.
     */
    private static final long CALLBACK_OVERHEAD = 64;

    /** The code and reason of a close the application asked for. */
    record CloseRequest(int code, String reason) {
    }

    private final ChannelDriver driver;
    private final WebSocketSession session;
    private final Connection connection;
    /**
     * Whether a prepared message's shared frame fits this session as it is: a server's, which sends unmasked, with
     * no extension to transform it. Fixed by the handshake; kept here so that a broadcast does not reach for the
     * connection's configuration on every subscriber.
     */
    private final boolean takesSharedFrames;
    private CallbackQueue callbacks;
    private boolean fragmenting;
    private boolean ended;
    /**
     * The close code onClose reports, when known before the end: the peer's, or the one this end closed with on a
     * failure of its own; -1 when neither (an abnormal closure, whose reason {@link #endReason} may then hold).
     */
    private int endCode = -1;
    private String endReason;
    /** Whether {@link #endCode} is the peer's, which wins over any failure found after its close frame. */
    private boolean peerClosed;
    private long closeDeadline = Long.MAX_VALUE;
    /** When the next keepalive ping is due or, while {@link #awaitingPong}, when its pong is. */
    private long keepaliveDeadline = Long.MAX_VALUE;
    private boolean awaitingPong;
    /** {@code onWritable} calls owed and not yet made, when callbacks run on the loop. */
    private int writableOwed;
    /** Bytes of the message in progress when last seen, or -1 between messages. */
    private long messageProgress = -1;
    /** When the message in progress fails if no byte more of it arrives. */
    private long stallDeadline = Long.MAX_VALUE;
    /**
     * Bytes queued before the session opened (the 101), written or dropped before any of the session's. An int: a
     * handshake's answer is a few hundred bytes, and the 4 bytes saved hold {@link #topics} in the same object size.
     */
    private int notSessions;
    /** The topics this session is a member of on this loop; null when none. */
    private Membership topics;
    /**
     * Bytes read but not decoded, because reading paused in the middle of a read (the application suspended it, or
     * its callbacks fell behind); decoded before anything read later. Null when there are none.
     */
    private ByteBuffer undecoded;
    /** Whether the connection is decoding: bytes kept in {@link #undecoded} are then not decoded from within. */
    private boolean decoding;
    /** The peer ended its stream after the bytes in {@link #undecoded}, which are decoded first. */
    private boolean eofAfterUndecoded;
    /**
     * Whether a listener call is running, set by {@link Callback#invoke}. Read on the loop, where it matters only
     * while the calls run there too: a call due from inside another (onClose after an abort in onText) is held.
     */
    private boolean inCallback;
    volatile boolean backlogPaused;

    Framing(ChannelDriver driver, WebSocketSession session, Connection connection) {
        this.driver = driver;
        this.session = session;
        this.connection = connection;
        ConnectionConfig config = connection.config();
        this.takesSharedFrames = config.role() == Role.SERVER && config.extensions().isEmpty();
        if (driver.options.executor() != null) {
            callbacks = new CallbackQueue(session, driver.options.executor(), connection.config().messageBudget());
        }
    }

    Connection connection() {
        return connection;
    }

    /** @return whether a listener call of this session is running; meaningful on the loop when calls run there */
    boolean isInCallback() {
        return inCallback;
    }

    /**
     * @param running whether a listener call is running from now on
     * @return whether one was running before
     */
    boolean inCallback(boolean running) {
        boolean before = inCallback;
        inCallback = running;
        return before;
    }

    /**
     * Takes over the connection from the opening handshake: calls {@code onOpen}, then reads what followed the
     * handshake.
     *
     * @param afterOpen runs in callback order right after {@code onOpen} (a client completes its connect future
     *     there), or null
     * @param leftover bytes read after the handshake's head, or null
     */
    void open(Runnable afterOpen, ByteBuffer leftover) {
        driver.switchTo(this);
        driver.loop.countSessions(1);
        // The 101 (and on a client nothing) is queued ahead of the session's frames, but is not the session's: an
        // empty queue takes a message of any size, and the session's queue is empty until it sends.
        notSessions = Math.toIntExact(driver.queuedBytes());
        long now = driver.loop.now();
        if (driver.options.pingNanos() > 0) {
            keepaliveDeadline = now + driver.options.pingNanos();
            driver.wakeBy(keepaliveDeadline);
        }
        if (driver.options.idleNanos() > 0) {
            driver.wakeBy(now + driver.options.idleNanos());
        }
        boolean opened = deliver(Callback.OPEN, null, 0, false, 0);
        if (afterOpen != null && opened) {
            // Right after onOpen, ahead of the calls it held if it ended the session (an abort in onOpen).
            Callback.invoke(session, Callback.TASK, afterOpen, 0, false);
        } else if (afterOpen != null) {
            deliver(Callback.TASK, afterOpen, 0, false, 0);
        }
        if (leftover != null && leftover.hasRemaining() && driver.isOpen()) {
            onData(leftover);
        }
    }

    // ------------------------------------------------------------------ receiving

    @Override
    public void onData(ByteBuffer in) {
        if (undecoded == null) {
            decode(in);
            return;
        }
        // Read after bytes still waiting to be decoded (under TLS, a record after the one where reading paused;
        // or a read that came before the task that decodes them): they go behind them.
        ByteBuffer both = ByteBuffer.allocate(undecoded.remaining() + in.remaining());
        undecoded = both.put(undecoded).put(in).flip();
        decode(undecoded);
    }

    /**
     * Decodes, until done or until reading pauses ({@link #wantsMore}), and keeps what is left: so a session whose
     * callbacks wait holds at most one message past the backlog's high watermark, and the rest of the read as the
     * peer sent it, where decoding it all could inflate a read of 64 KiB into gigabytes of messages.
     */
    private void decode(ByteBuffer in) {
        decoding = true;
        try {
            connection.receive(in, this);
        } finally {
            decoding = false;
        }
        if (!in.hasRemaining() || ended) {
            undecoded = null;
        } else if (in != undecoded) {
            undecoded = ByteBuffer.allocate(in.remaining()).put(in).flip();
        }
        if (driver.options.stallNanos() > 0) {
            watchIncompleteMessage();
        }
        afterProtocolStep();
        if (undecoded == null && eofAfterUndecoded) {
            eofAfterUndecoded = false;
            endOfInput();
        }
    }

    /** Decodes the bytes kept when reading paused, now that it no longer is; a task of the loop's own. */
    private void decodeUndecoded() {
        if (undecoded != null && !decoding && !ended && !driver.isReadingPaused()) {
            decode(undecoded);
        }
    }

    @Override
    public boolean wantsMore() {
        return !driver.isReadingPaused();
    }

    /** Restarts the stall clock whenever a message in progress grows; stops it between messages. */
    private void watchIncompleteMessage() {
        long bytes = connection.incompleteMessageBytes();
        if (bytes == messageProgress) {
            return;
        }
        messageProgress = bytes;
        if (bytes < 0) {
            stallDeadline = Long.MAX_VALUE;
        } else {
            stallDeadline = driver.loop.now() + driver.options.stallNanos();
            driver.wakeBy(stallDeadline);
        }
    }

    /** Queues what the protocol owes the peer and follows the closing handshake's progress. */
    private void afterProtocolStep() {
        if (ended) {
            // A callback ended the session (an abort) while the read was decoded: what the protocol still owes the
            // peer, such as the pong to a ping decoded before, would be queued on a closed connection, counted in
            // the stats for good, or written after the 101 that an abort before it leaves alone on the wire.
            return;
        }
        ByteBuffer owed;
        while ((owed = connection.pollOutput()) != null) {
            int opcode = owed.get(0) & 0x0F;
            session.adjust(owed.remaining());
            if (opcode == Opcode.CLOSE.code() && connection.failure() == null) {
                answerClose(owed);
            } else if (opcode == Opcode.CLOSE.code()) {
                failConnection(owed);
            } else if (opcode != Opcode.PONG.code()) {
                driver.sendControl(owed, null);
            } else {
                queuePong(owed);
            }
        }
        if (!connection.isOutputOpen()) {
            session.markOutputClosed();
            updateReading();
            if (connection.failure() != null) {
                // The close that fails the connection goes ahead of what the socket did not take (§7.1.7).
                startCloseTimer();
            }
        }
        if (connection.shouldCloseTransport() && connection.failure() == null) {
            driver.closeAfterClosingHandshake();
        } else if (connection.shouldCloseTransport()) {
            driver.closeAfterFlush();
        }
    }

    /**
     * Queues the close that fails the connection (RFC 6455 §7.1.7). What the application sent before the violation
     * was read, such as the echo of a valid message that arrived together with the bad frame, is written first, as
     * far as the socket takes it now: a peer that reads gets those messages, then the close. Data the socket does
     * not take at once is dropped and the close goes ahead of it, so the close never waits on a peer that has
     * stopped reading; only a frame already partly written is finished first (§5.4).
     *
     * @param close the close frame the protocol owes
     */
    private void failConnection(ByteBuffer close) {
        if (driver.isOpen()) {
            driver.flush();
        }
        if (!driver.isOpen()) {
            // The write failed and ended the connection: there is no one left to send the close to.
            session.adjust(-close.remaining());
            return;
        }
        driver.dropUnstartedData(new IOException("the connection is closing"));
        driver.sendControl(close, null);
    }

    /**
     * Answers the peer's close (RFC 6455 §5.5.1): as soon as practical, and with no data frame after it. What the
     * socket takes now is written first, as for a failure's close; then the message being written, if one is, is
     * finished (§5.5.1 lets an endpoint send the rest of its current message first), the whole messages not yet
     * begun are dropped and their sends failed, and the close follows. Waiting for a long burst to be written would
     * hold the peer's closing handshake for as long as the peer takes to read it all.
     *
     * @param close the close frame the protocol owes
     */
    private void answerClose(ByteBuffer close) {
        if (driver.isOpen()) {
            driver.flush();
        }
        if (!driver.isOpen()) {
            // The write failed and ended the connection: there is no one left to send the close to.
            session.adjust(-close.remaining());
            return;
        }
        if (driver.queuedBytes() != 0) {
            // Only then: the failure is made for the sends it fails, not for every closing handshake.
            driver.dropMessagesNotBegun(new IOException(
                    "the peer closed the session before this message was sent (RFC 6455 §5.5.1): dropped"));
        }
        queueClose(close);
    }

    /**
     * Queues an automatic pong, or lets it replace one not yet sent (RFC 6455 §5.5.3). A replacement changes the
     * queue by the difference of the two frames, which the session's count must follow: it was counted with this
     * pong's full size, and the one replaced was counted when it was queued.
     */
    private void queuePong(ByteBuffer pong) {
        long before = driver.queuedBytes();
        if (driver.replaceAutoPong(pong)) {
            session.adjust(driver.queuedBytes() - before - pong.remaining());
        } else {
            driver.sendControl(pong, null);
        }
    }

    /** @return false when the listener will be called later, and so may still need the value's bytes */
    private boolean message(int type, Object value, int code, boolean last, long bytes) {
        return session.hasFailedCallback() || deliver(type, value, code, last, bytes + CALLBACK_OVERHEAD);
    }

    /**
     * Makes a listener call at once when it may, else holds it. A call due while another of the session's runs on
     * the loop (onClose after the application aborted in onText, or stopped the server) is held and made when that
     * one returns: Listener promises that calls never overlap.
     *
     * @return whether the call was made at once, rather than queued
     */
    private boolean deliver(int type, Object value, int code, boolean last, long bytes) {
        boolean nested = isInCallback();
        if (callbacks == null && !session.isReadingSuspended() && !nested) {
            Callback.invoke(session, type, value, code, last);
            return true;
        }
        if (driver.options.executor() == null && heldCalls().isEmpty() && !session.isReadingSuspended() && !nested) {
            Callback.invoke(session, type, value, code, last);
            return true;
        }
        if (type == Callback.TEXT) {
            // Measured only now that it waits: a text delivered at once is never scanned.
            bytes += heldBytes((String) value);
        }
        if (bytes > 0 && !connection.config().messageBudget().tryReserve(bytes)) {
            // A whole message waiting for the application holds memory as one still arriving does: the connection
            // whose message would cross the budget is failed with 1009, as the protocol core fails an unfinished one.
            throw new ProtocolException(CloseCode.MESSAGE_TOO_BIG,
                    "no memory left for messages the application has not taken yet");
        }
        callbacks.add(new Callback(type, value, code, last, bytes));
        if (bytes > 0 && !backlogPaused && callbacks.backlog() > BACKLOG_HIGH) {
            backlogPaused = true;
            // The executor may have drained the backlog between the check and the flag, and seen no pause to
            // lift: looked at again now that the flag is up, so that reading cannot stay paused for good.
            if (callbacks.backlog() <= BACKLOG_LOW) {
                backlogPaused = false;
            }
            updateReading();
        }
        return false;
    }

    /** @return the queue of calls held, created on first use on the loop when callbacks run there */
    private CallbackQueue heldCalls() {
        if (callbacks == null) {
            callbacks = new CallbackQueue(session, driver.loop, connection.config().messageBudget());
        }
        return callbacks;
    }

    @Override
    public void onText(String text) {
        // Its size is added by deliver, if it has to wait (heldBytes).
        message(Callback.TEXT, text, 0, false, 0);
    }

    /**
     * The memory a String holds for its characters, which the budget and the backlog count while it waits: one byte
     * each while every character is Latin-1 (a compact string), two as soon as one is not. Counting characters would
     * count Cyrillic or CJK text at half of what it holds.
     */
    static long heldBytes(String text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            if (text.charAt(i) > 0xFF) {
                return 2L * n;
            }
        }
        return n;
    }

    @Override
    public void onBinary(ByteBuffer data) {
        message(Callback.BINARY, data, 0, false, data.remaining());
    }

    /** A lent message whose call has to wait keeps its array, which the loop's pool then never sees again. */
    @Override
    public boolean onBinaryLent(ByteBuffer data) {
        return message(Callback.BINARY, data, 0, false, data.remaining());
    }

    @Override
    public void onFragment(Opcode type, ByteBuffer data, boolean last) {
        message(Callback.FRAGMENT, data, type == Opcode.TEXT ? 1 : 0, last, data.remaining());
    }

    @Override
    public void onPing(ByteBuffer payload) {
        message(Callback.PING, payload, 0, false, payload.remaining());
    }

    @Override
    public void onPong(ByteBuffer payload) {
        if (driver.options.pingNanos() > 0) {
            awaitingPong = false;
            keepaliveDeadline = driver.loop.now() + driver.options.pingNanos();
            driver.wakeBy(keepaliveDeadline);
        }
        message(Callback.PONG, payload, 0, false, payload.remaining());
    }

    @Override
    public void onClose(int code, String reason) {
        endCode = code;
        endReason = reason;
        peerClosed = true;
    }

    @Override
    public void onFailure(ProtocolException error) {
        deliver(Callback.ERROR, error, 0, false, 0);
    }

    @Override
    public void onEof() {
        if (undecoded != null) {
            // What the peer sent before its end of stream is decoded first, as reading resumes.
            eofAfterUndecoded = true;
            decodeUndecoded();
            return;
        }
        endOfInput();
    }

    private void endOfInput() {
        if (ended) {
            // A callback ended the session while the bytes before the end of stream were decoded: the connection is
            // released, and refuses to be told of the end.
            return;
        }
        if (connection.receiveEof()) {
            driver.closeAfterFlush();
        } else {
            abnormalEnd("connection closed without a close frame");
            driver.terminate(null);
        }
    }

    // ------------------------------------------------------------------ sending

    /**
     * Encodes and queues a frame; on the loop's thread.
     *
     * @param kind what to send: {@link #TEXT}, {@link #BINARY}, ...
     * @param payload the message, piece, payload or {@link CloseRequest}
     * @param last for a piece, whether it ends its message
     * @param future the caller's future when it called from another thread; null on the loop, which batches
     * @param reserved the bytes the caller counted as queued before encoding
     * @return completes when the frame is written
     */
    CompletableFuture<Void> send(int kind, Object payload, boolean last, SendFuture future, long reserved) {
        handOutTopicsFirst();
        ByteBuffer frame;
        try {
            frame = encodeReserved(kind, payload, last, reserved);
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            if (future == null) {
                return SendFuture.failed(e);
            }
            future.fail(e);
            return future;
        }
        if (kind == PING || kind == PONG) {
            SendFuture f = future != null ? future : new SendFuture();
            driver.sendControl(frame, f);
            return f;
        }
        if (kind == CLOSE) {
            session.markOutputClosed();
            updateReading();
        }
        SendFuture sent = future;
        if (sent == null) {
            sent = driver.sendBatched(frame);
        } else {
            driver.send(frame, sent);
        }
        if (kind == CLOSE) {
            // Nothing can follow a close, so the batch it joined completes when the close frame is written.
            startCloseTimerOnceWritten(sent);
            dropHeld();
        } else if ((kind == TEXT_PIECE || kind == BINARY_PIECE) && !fragmenting) {
            sendHeld();
        }
        return sent;
    }

    /** The session's fragmented message ended: what topics and broadcasts gave it meanwhile follows it now. */
    private void sendHeld() {
        ArrayDeque<PreparedMessage> held = driver.loop.heldDeliveries.take(session);
        if (held != null) {
            Prepared.Access access = Prepared.access();
            for (PreparedMessage message : held) {
                // A failure releases the message's bytes, and goes unreported, as for a message queued at once.
                queuePrepared(message, access.sharedFrame(message).remaining());
            }
        }
    }

    /** The session's output closed amid a fragmented message, which never ends: what waited for it goes nowhere. */
    private void dropHeld() {
        long bytes = driver.loop.heldDeliveries.drop(session);
        if (bytes > 0) {
            session.adjust(-bytes);
        }
    }

    /**
     * @return whether a message given to this session now waits in {@link HeldDeliveries}: it is in the middle of
     *     sending a fragmented message, between whose fragments no data frame of another may go (RFC 6455 §5.4),
     *     and can still end it
     */
    boolean holdsDeliveries() {
        return fragmenting && !ended && connection.isOutputOpen() && !driver.isClosed();
    }

    /**
     * Queues a prepared message of a broadcast or a topic, not held; on the loop's thread.
     *
     * @param message the message
     * @param reserved the bytes the caller counted as queued
     * @return null if queued, else why not
     */
    Exception queuePrepared(PreparedMessage message, long reserved) {
        try {
            ByteBuffer frame = encodeReserved(PREPARED, message, true, reserved);
            if (takesSharedFrames) {
                driver.sendShared(frame);
            } else {
                driver.send(frame, null);
            }
            return null;
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            return e;
        }
    }

    /**
     * Hands out what this loop's topics were published before anything else is queued on a member: a member gets
     * its topics' messages and its own sends in the order they were made.
     */
    void handOutTopicsFirst() {
        if (topics != null) {
            driver.loop.handOutPublished();
        }
    }

    /** @param shard a topic's members on this loop @return whether this session is one of them */
    boolean isMemberOf(TopicShard shard) {
        return membership(shard) != null;
    }

    /** @param shard a topic's members on this loop, which this session just joined */
    void joined(TopicShard shard) {
        topics = new Membership(shard, topics);
    }

    /** @param shard a topic's members on this loop, which this session just left */
    void left(TopicShard shard) {
        if (topics.shard == shard) {
            topics = topics.next;
            return;
        }
        Membership before = topics;
        while (before.next.shard != shard) {
            before = before.next;
        }
        before.next = before.next.next;
    }

    /**
     * @param shard a topic's members on this loop
     * @return this session's membership of them, which holds its slot there; null if it is not a member
     */
    Membership membership(TopicShard shard) {
        for (Membership m = topics; m != null; m = m.next) {
            if (m.shard == shard) {
                return m;
            }
        }
        return null;
    }

    /** The session ended: it leaves every topic, which then holds nothing of it. */
    private void leaveTopics() {
        // Each shard finds the session's slot through its membership, so the list goes only once all have left.
        for (Membership m = topics; m != null; m = m.next) {
            m.shard.ended(session);
        }
        topics = null;
    }

    /** @return whether a prepared message's shared frame can be queued as it is now: no fragmented message open */
    boolean takesSharedNow() {
        return takesSharedFrames && !fragmenting && !ended && connection.isOutputOpen() && !driver.isClosed();
    }

    /** @return whether the session ended; on the loop's thread */
    boolean hasEnded() {
        return ended;
    }

    /** Encodes a frame and settles the session's count of queued bytes with what the caller reserved for it. */
    private ByteBuffer encodeReserved(int kind, Object payload, boolean last, long reserved) throws IOException {
        try {
            // A send made while the channel closes (a future's dependent, or onWritable as the queue is failed)
            // comes before the phase has ended: nothing would write or release its frame.
            if (ended || driver.isClosed()) {
                throw new IOException("the session is closed");
            }
            ByteBuffer frame = encode(kind, payload, last);
            session.adjust(frame.remaining() - reserved);
            return frame;
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            session.adjust(-reserved);
            throw e;
        }
    }

    private ByteBuffer encode(int kind, Object payload, boolean last) {
        return switch (kind) {
            case TEXT -> connection.sendText((CharSequence) payload);
            case BINARY -> connection.sendBinary((ByteBuffer) payload);
            case TEXT_PIECE -> piece(connection.sendFragment((CharSequence) payload, last), last);
            case BINARY_PIECE -> piece(connection.sendFragment(Opcode.BINARY, (ByteBuffer) payload, last), last);
            case PREPARED -> prepared((PreparedMessage) payload);
            case PING -> connection.ping((ByteBuffer) payload);
            case PONG -> connection.pong((ByteBuffer) payload);
            case CLOSE -> {
                CloseRequest close = (CloseRequest) payload;
                yield connection.close(close.code(), close.reason());
            }
            default -> throw new IllegalArgumentException("unknown send kind " + kind);
        };
    }

    private ByteBuffer piece(ByteBuffer frame, boolean last) {
        fragmenting = !last;
        return frame;
    }

    private ByteBuffer prepared(PreparedMessage message) {
        Prepared.Access access = Prepared.access();
        if (!takesSharedFrames) {
            ByteBuffer payload = access.payload(message);
            return message.isText()
                    ? connection.sendText(StandardCharsets.UTF_8.decode(payload))
                    : connection.sendBinary(payload);
        }
        if (!connection.isOutputOpen()) {
            throw new IllegalStateException("the connection is closing: a close frame was already sent");
        }
        if (fragmenting) {
            throw new IllegalStateException("a fragmented message is in progress; finish it first");
        }
        return access.sharedFrame(message);
    }

    /**
     * Closes on the runtime's own initiative, if no close frame was sent yet.
     *
     * @param code the close code
     * @param reason the reason
     * @param urgent whether the close goes ahead of queued messages, which are dropped
     */
    void closeSelf(int code, String reason, boolean urgent) {
        if (ended || !connection.isOutputOpen()) {
            return;
        }
        handOutTopicsFirst();
        ByteBuffer frame = connection.close(code, reason);
        session.adjust(frame.remaining());
        session.markOutputClosed();
        dropHeld();
        updateReading();
        if (urgent) {
            driver.dropUnstartedData(new IOException("the session is closing: " + reason));
            driver.sendControl(frame, null);
            // A peer that does not read may never take the close either.
            startCloseTimer();
        } else {
            queueClose(frame);
        }
    }

    @Override
    public void goingAway() {
        closeSelf(CloseCode.GOING_AWAY, connection.config().role() == Role.SERVER ? "server shutting down"
                : ClientEngine.GOING_AWAY_REASON, false);
    }

    /** A callback threw: close with 1011. */
    void callbackFailed() {
        localEnd(CloseCode.INTERNAL_ERROR, "internal error");
        closeSelf(CloseCode.INTERNAL_ERROR, "internal error", false);
    }

    /** A send met the outbound limit under the CLOSE policy: close with 1008 ahead of the queued messages. */
    void outboundLimitReached() {
        localEnd(CloseCode.POLICY_VIOLATION, "outbound limit exceeded");
        closeSelf(CloseCode.POLICY_VIOLATION, "outbound limit exceeded", true);
    }

    /**
     * The session fell to its low watermark after reaching the high one. The call is not a message: it never waits
     * for suspended reading, nor behind the messages a suspension holds, since resuming is what it is often for. On
     * the loop it runs as a task of its own, never from inside the write or send that released the bytes: the
     * application may send, resume or abort there, and a send that turns the session unwritable and writable
     * again (a compressible message is counted at its full size until encoded) must not recurse.
     */
    void writableAgain() {
        if (callbacks != null && driver.options.executor() != null) {
            callbacks.addWritable();
            return;
        }
        writableOwed++;
        driver.loop.execute(this::deliverOwedWritable);
    }

    /** Makes one owed {@code onWritable} call, if one is still owed: {@link #onEnd} makes them all before onClose. */
    private void deliverOwedWritable() {
        if (writableOwed > 0) {
            writableOwed--;
            Callback.invoke(session, Callback.WRITABLE, null, 0, false);
        }
    }

    /**
     * The application aborted: close the socket now, and deliver nothing more than the session's end. A server's 101
     * not yet written (an abort from {@code onOpen} on the loop) is written first, alone.
     */
    void abort() {
        abnormalEnd("aborted");
        if (callbacks != null) {
            callbacks.dropMessages();
        }
        if (ended) {
            // Over already, the socket closing on bounded terms of its own: an abort before this one may have left
            // the 101 to write, which cutting now would turn into a failed handshake.
            return;
        }
        if (notSessions > 0) {
            // The frames dropped behind the 101 are the session's, whatever the order in which they leave the queue.
            notSessions = 0;
            driver.endAfterFirstControl();
        } else {
            driver.terminate(null);
        }
    }

    /** Records the close this end starts on a failure of its own, unless a close code is known already. */
    private void localEnd(int code, String reason) {
        if (endCode < 0) {
            endCode = code;
            endReason = reason;
        }
    }

    /** Records why the connection ends without a close code, unless one is known. */
    private void abnormalEnd(String reason) {
        if (endCode < 0) {
            endReason = reason;
        }
    }

    /** Queues a close frame behind the messages sent before it, and times the close from its writing. */
    private void queueClose(ByteBuffer frame) {
        if (driver.queuedBytes() == 0) {
            // Nothing ahead of it: it goes out with this turn's writes, and needs no future to say so.
            driver.send(frame, null);
            startCloseTimer();
            return;
        }
        SendFuture written = new SendFuture();
        driver.send(frame, written);
        startCloseTimerOnceWritten(written);
    }

    /**
     * Starts the close timer once the close frame is written: the messages queued ahead of it go first, however
     * slowly a peer reads them (bounded by the send timeout), and the close timeout counts from the close frame, as
     * it says (RFC 6455 §7.1.2, §5.5.1).
     */
    private void startCloseTimerOnceWritten(CompletableFuture<Void> written) {
        written.thenRun(this::startCloseTimer);
    }

    private void startCloseTimer() {
        if (closeDeadline == Long.MAX_VALUE && !ended) {
            closeDeadline = driver.loop.now() + driver.options.closeNanos();
            driver.wakeBy(closeDeadline);
        }
    }

    // ------------------------------------------------------------------ reading control

    /**
     * Applies the application's suspension and the callback backlog to the socket; on the loop's thread. Once this
     * end's close is queued, the suspension no longer stops reading: the peer's close must be read for the closing
     * handshake to end (RFC 6455 §7.1.2), and what comes before it is held like any message read while suspended.
     */
    void updateReading() {
        if (!ended) {
            boolean suspended = session.isReadingSuspended() && connection.isOutputOpen();
            boolean paused = suspended || backlogPaused;
            if (driver.isReadingPaused() && !paused) {
                restartPeerDeadlines();
            }
            driver.pauseReading(paused);
            if (!paused && undecoded != null && !decoding) {
                // As its own task: this may run inside a send or close of the application's, which a callback made
                // from here would re-enter.
                driver.loop.execute(this::decodeUndecoded);
            }
            if (callbacks != null && !session.isReadingSuspended()) {
                callbacks.schedule();
            }
        }
    }

    /**
     * Reading resumes: the peer gets the time it is owed from now on for a message in progress and for the pong to a
     * keepalive ping, since whatever it sent meanwhile waited unread on this end's side.
     */
    private void restartPeerDeadlines() {
        long now = driver.loop.now();
        if (stallDeadline != Long.MAX_VALUE) {
            stallDeadline = now + driver.options.stallNanos();
            driver.wakeBy(stallDeadline);
        }
        if (driver.options.pingNanos() > 0) {
            if (awaitingPong) {
                keepaliveDeadline = now + driver.options.pongNanos();
            }
            // A ping that fell due meanwhile goes now.
            driver.wakeBy(keepaliveDeadline);
        }
    }

    /** The callbacks caught up: read again if the backlog was what stopped reading; on the loop's thread. */
    void backlogRelieved() {
        if (backlogPaused && (callbacks == null || callbacks.backlog() <= BACKLOG_LOW)) {
            backlogPaused = false;
            updateReading();
        }
    }

    static long backlogLowWatermark() {
        return BACKLOG_LOW;
    }

    // ------------------------------------------------------------------ deadlines and end

    @Override
    public long onTimer(long now) {
        if (TimerNode.reached(now, closeDeadline)) {
            abnormalEnd("no close frame from the peer within " + Durations.readable(driver.options.closeNanos()));
            driver.terminate(null);
            return Long.MAX_VALUE;
        }
        // While this end does not read (suspended, or callbacks behind), the peer cannot be late: its deadlines wait
        // and restart with reading (restartPeerDeadlines).
        boolean notReading = driver.isReadingPaused();
        if (!notReading && TimerNode.reached(now, stallDeadline)) {
            stallDeadline = Long.MAX_VALUE;
            connection.fail(new ProtocolException(CloseCode.POLICY_VIOLATION, "message incomplete: no byte of it for "
                    + Durations.readable(driver.options.stallNanos())), this);
            afterProtocolStep();
            return closeDeadline;
        }
        long next = notReading ? closeDeadline : Math.min(closeDeadline, stallDeadline);
        if (connection.isOutputOpen() && driver.options.idleNanos() > 0) {
            long idleAt = driver.lastActivity + driver.options.idleNanos();
            if (TimerNode.reached(now, idleAt)) {
                // Bytes that waited the whole idle timeout are a peer that does not read: a close queued behind
                // them would wait for the send timeout. It goes ahead of what the peer has not begun to take.
                closeSelf(CloseCode.GOING_AWAY, "idle timeout", driver.hasPendingWrites());
                return closeDeadline;
            }
            next = Math.min(next, idleAt);
        }
        if (connection.isOutputOpen() && driver.options.pingNanos() > 0) {
            if (awaitingPong && notReading) {
                // The pong may wait unread, so it is not late (its deadline restarts with reading); the pings go
                // on at their interval, for whatever keeps an idle path open.
                if (TimerNode.reached(now, keepaliveDeadline)) {
                    ping();
                    keepaliveDeadline = now + driver.options.pingNanos();
                }
                return Math.min(next, keepaliveDeadline);
            }
            if (awaitingPong && TimerNode.reached(now, keepaliveDeadline)) {
                driver.terminate(new TimeoutException("no pong within "
                        + Durations.readable(driver.options.pongNanos()) + " of a keepalive ping"));
                return Long.MAX_VALUE;
            }
            if (!awaitingPong && TimerNode.reached(now, keepaliveDeadline)) {
                ping();
                keepaliveDeadline = now + driver.options.pongNanos();
                awaitingPong = true;
            }
            next = Math.min(next, keepaliveDeadline);
        }
        return next;
    }

    private void ping() {
        ByteBuffer ping = connection.ping(NO_PAYLOAD);
        session.adjust(ping.remaining());
        driver.sendControl(ping, null);
    }

    @Override
    public void onDequeued(long bytes) {
        long theirs = Math.min(notSessions, bytes);
        notSessions -= theirs;
        session.release(bytes - theirs);
    }

    @Override
    public void onDataDropped(long bytes) {
        // The session's frames: counted against the 101 ahead of them, they would leave the session counting the 101
        // as its own and make an abort think the 101 written, and cut it.
        session.release(bytes);
    }

    @Override
    public void onEnd(Throwable cause) {
        ended = true;
        undecoded = null;
        driver.loop.countSessions(-1);
        // The counts agree here (a closed connection was counted out before its phase ended), and a thread the
        // calls below tell of the end must find it in the stats, however long they run.
        driver.loop.publishStats();
        connection.release();
        session.markEnded();
        leaveTopics();
        dropHeld();
        if (writableOwed > 0 && isInCallback()) {
            // Held with the calls that end the session, ahead of them, rather than made inside the running one.
            for (; writableOwed > 0; writableOwed--) {
                heldCalls().addWritable();
            }
        }
        while (writableOwed > 0) {
            deliverOwedWritable();
        }
        if (cause != null) {
            deliver(Callback.ERROR, cause, 0, false, 0);
        }
        int code;
        String reason;
        ProtocolException failure = connection.failure();
        if (peerClosed) {
            code = endCode;
            reason = endReason;
        } else if (failure != null && failure.closeCode() != CloseCode.ABNORMAL_CLOSURE) {
            code = failure.closeCode();
            reason = failure.getMessage();
        } else if (endCode >= 0) {
            code = endCode;
            reason = endReason;
        } else {
            code = CloseCode.ABNORMAL_CLOSURE;
            reason = endReason != null ? endReason : cause != null ? String.valueOf(cause.getMessage())
                    : "connection closed without a close frame";
        }
        deliver(Callback.CLOSE, reason, code, false, 0);
        if (callbacks != null) {
            callbacks.end();
        }
    }
}
