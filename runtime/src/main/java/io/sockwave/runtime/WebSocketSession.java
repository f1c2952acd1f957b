package io.sockwave.runtime;

import io.sockwave.AttributeKey;
import io.sockwave.Listener;
import io.sockwave.OutboundLimitExceededException;
import io.sockwave.PreparedMessage;
import io.sockwave.Session;
import io.sockwave.protocol.Connection;
import io.sockwave.protocol.Role;
import io.sockwave.protocol.extension.Extension;
import io.sockwave.protocol.extension.ExtensionOffer;
import io.sockwave.protocol.handshake.HttpHeaders;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Session} the application holds. Its methods may be called from any thread: on the session's event loop
 * they act at once, from elsewhere they hop to the loop as a task, which keeps one thread on the protocol state and
 * the order of sends. Outbound bytes are counted here, atomically, so the limit holds whatever thread sends.
 */
final class WebSocketSession implements Session {
    private static final VarHandle QUEUED;
    private static final VarHandle WRITABLE_FUTURE;
    private static final VarHandle ATTRIBUTES;
    private static final VarHandle HOPS;
    private static final VarHandle CLOSING;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            QUEUED = lookup.findVarHandle(WebSocketSession.class, "queued", long.class);
            WRITABLE_FUTURE = lookup.findVarHandle(WebSocketSession.class, "writableFuture", CompletableFuture.class);
            ATTRIBUTES = lookup.findVarHandle(WebSocketSession.class, "attributes", Map.class);
            HOPS = lookup.findVarHandle(WebSocketSession.class, "hops", int.class);
            CLOSING = lookup.findVarHandle(WebSocketSession.class, "closing", byte.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final byte OPEN = 0;
    private static final byte OUTPUT_CLOSED = 1;
    private static final byte ENDED = 2;

    /** A frame header is at most 14 bytes; sends are counted with it before they are encoded. */
    private static final long HEADER_ALLOWANCE = 14;

    /** The limit judges a send by all the queued bytes. */
    private static final int ALL = 0;
    /**
     * The limit judges a fragment by the queued bytes but the messages held behind its message or on their way to
     * be ({@link HeldDeliveries#excusedFor}): they cannot leave before it.
     */
    private static final int EXCUSED = 1;
    /**
     * The limit judges a message that is or may be held behind a fragmented message by the queued bytes but the
     * fragments on their way to the loop ({@link HeldDeliveries#piecesFor}).
     */
    private static final int PIECES = 2;

    /** The connection on its loop; its loop and options are the session's. */
    final ChannelDriver driver;
    private final Listener listener;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    /** The request target and headers, packed: see {@link CompactHeaders}. */
    private final byte[] handshake;
    private final String subprotocol;
    /** Shared by the sessions of one server or client; with {@link #idNumber}, makes {@link #id()}. */
    private final String idPrefix;
    private final long idNumber;
    private final Map<String, String> pathParams;
    private Framing framing;

    private volatile long queued;
    private volatile boolean writable = true;
    /**
     * How far the session has closed, as any thread sees it: {@link #OPEN}, {@link #OUTPUT_CLOSED} (a close frame
     * sent or received, or {@link #close(int, String)} called) or {@link #ENDED} (or {@link #abort()} called). Only
     * forward: the loop writes it, and a close or an abort called off the loop moves it from OPEN only, atomically.
     */
    private volatile byte closing = OPEN;
    private volatile boolean readingSuspended;
    /** A callback threw: no message is delivered any more, including those already held. */
    private volatile boolean callbackFailed;
    private volatile CompletableFuture<Void> writableFuture;
    private volatile Map<AttributeKey<?>, Object> attributes;
    /**
     * Sends made off the loop whose task has not run yet. While there are any, a send made on the loop queues behind
     * them instead of going first, so that sends keep the order in which the application made them.
     */
    private volatile int hops;

    /**
     * @param identity where the session's id comes from
     * @param pathParams the values of the route pattern's parameters; empty on a client
     */
    WebSocketSession(ChannelDriver driver, Listener listener, String target, HttpHeaders requestHeaders,
                     String subprotocol, SessionIds identity, Map<String, String> pathParams) {
        this.driver = driver;
        this.listener = listener;
        this.remote = driver.remoteAddress();
        this.local = driver.localAddress();
        this.handshake = CompactHeaders.pack(target, requestHeaders);
        this.subprotocol = subprotocol;
        this.idPrefix = identity.prefix();
        this.idNumber = identity.next();
        this.pathParams = pathParams;
    }

    /** @param framing the loop side of this session; set once, before the session is handed out */
    void attach(Framing framing) {
        this.framing = framing;
    }

    Listener listener() {
        return listener;
    }

    // ------------------------------------------------------------------ sending

    @Override
    public CompletableFuture<Void> sendText(CharSequence text) {
        return sendData(Framing.TEXT, text, true, text.length() + HEADER_ALLOWANCE);
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer data) {
        return sendData(Framing.BINARY, data, true, data.remaining() + HEADER_ALLOWANCE);
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence fragment, boolean last) {
        return sendData(Framing.TEXT_PIECE, fragment, last, fragment.length() + HEADER_ALLOWANCE);
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer fragment, boolean last) {
        return sendData(Framing.BINARY_PIECE, fragment, last, fragment.remaining() + HEADER_ALLOWANCE);
    }

    @Override
    public CompletableFuture<Void> send(PreparedMessage message) {
        // Reserved exactly: a server queues the prepared frame itself, so the loop has no difference to settle.
        return sendData(Framing.PREPARED, message, true, Prepared.access().sharedFrame(message).remaining());
    }

    @Override
    public CompletableFuture<Void> ping(ByteBuffer payload) {
        return sendControl(Framing.PING, SendArguments.controlPayload(payload));
    }

    @Override
    public CompletableFuture<Void> pong(ByteBuffer payload) {
        return sendControl(Framing.PONG, SendArguments.controlPayload(payload));
    }

    @Override
    public CompletableFuture<Void> close(int code, String reason) {
        SendArguments.closeArguments(code, reason);
        CompletableFuture<Void> sent = sendControl(Framing.CLOSE, new Framing.CloseRequest(code, reason));
        // Called off the loop, the close is on its way there and every send made after it will fail there: say so
        // now, to isOpen() and to those sends, rather than when the loop gets to it.
        CLOSING.compareAndSet(this, OPEN, OUTPUT_CLOSED);
        return sent;
    }

    /** @param needed the bytes to reserve: the frame's, or the payload's and a header's when not yet encoded */
    private CompletableFuture<Void> sendData(int kind, Object payload, boolean last, long needed) {
        boolean piece = kind == Framing.TEXT_PIECE || kind == Framing.BINARY_PIECE;
        long onItsWay = 0;
        if (piece && driver.loop.inLoop()) {
            // What this loop's thread published before is handed out before the fragment is counted: it came first.
            framing.handOutTopicsFirst();
        } else if (piece) {
            // Counted as on its way before it is counted as queued, so that a message held (or on its way to be)
            // meanwhile is never judged with it counted as queued only (see HeldDeliveries).
            onItsWay = needed;
            driver.loop.heldDeliveries.pieceOnItsWay(this, onItsWay);
        }
        Exception refused = refusal(needed, piece ? EXCUSED : ALL);
        if (refused != null) {
            driver.loop.heldDeliveries.pieceArrived(this, onItsWay);
            return SendFuture.failed(refused);
        }
        return dispatch(kind, payload, last, needed, onItsWay);
    }

    /**
     * Queues a prepared message without a future, for a broadcast, which only counts what was queued: its
     * thousand sessions then cost no future each. A refusal the loop finds later (a close it has not published
     * yet) drops the message, as it fails a send's future.
     *
     * <p>Off the loop, the loop alone knows whether the message will be held behind a fragmented message of this
     * session's own, so it is judged as one that may be: excused, then reserved without the fragments on their way
     * (the two steps of {@link HeldDeliveries}). Neither that message nor those fragments then costs the other its
     * room, whichever is counted first, and the loop never refuses what was accepted here.
     *
     * @param message the message
     * @return null if the message was queued or is on its way to the loop, else why it was refused
     */
    Throwable offer(PreparedMessage message) {
        long needed = Prepared.access().sharedFrame(message).remaining();
        if (driver.loop.inLoop() && hops == 0) {
            return offerOnLoop(message, needed);
        }
        HeldDeliveries held = driver.loop.heldDeliveries;
        held.excuse(this, needed);
        Exception refused = refusal(needed, PIECES);
        if (refused != null) {
            held.unexcuse(this, needed);
            return refused;
        }
        HOPS.getAndAdd(this, 1);
        driver.loop.execute(() -> {
            HOPS.getAndAdd(this, -1);
            offerArrived(message, needed);
        });
        return null;
    }

    /**
     * Judges and queues (or holds) a broadcast's message on the loop, where the session's state is known. Something
     * unexpected thrown there (an extension's encoder is the application's code) closes this session, as a failure
     * writing to its channel would, and goes no further: the broadcast goes on to the sessions after this one.
     *
     * @return null if queued or held, else why not
     */
    private Throwable offerOnLoop(PreparedMessage message, long needed) {
        try {
            // What this loop's thread published before is handed out before the message is counted: it came first.
            framing.handOutTopicsFirst();
            Exception closed = closedCause();
            if (closed != null) {
                return closed;
            }
            if (framing.holdsDeliveries()) {
                return holdWithinLimit(message, needed);
            }
            Exception refused = overLimit(needed);
            return refused != null ? refused : framing.queuePrepared(message, needed);
        } catch (RuntimeException | Error e) {
            return failedOnLoop(e);
        }
    }

    /**
     * Queues (or holds) on the loop a broadcast's message accepted, excused and reserved off it. Unless held, it is
     * no longer excused, whatever happens to it: queued now, ahead of any fragment sent after, it counts against
     * them from here on, and dropped it counts no more.
     */
    private void offerArrived(PreparedMessage message, long needed) {
        HeldDeliveries held = driver.loop.heldDeliveries;
        boolean holding = false;
        try {
            framing.handOutTopicsFirst();
            if (framing.holdsDeliveries()) {
                held.hold(this, message, needed);
                holding = true;
                return;
            }
            framing.queuePrepared(message, needed);
        } catch (RuntimeException | Error e) {
            failedOnLoop(e);
        } finally {
            if (!holding) {
                held.unexcuse(this, needed);
            }
        }
    }

    private Throwable failedOnLoop(Throwable e) {
        LoopLog.log(Level.ERROR, "unexpected failure queuing a broadcast's message for a session; closing it", e);
        driver.abort("internal error: " + e);
        return e;
    }

    /**
     * Queues a message a topic hands to this member, without a future; on the loop's thread. Refused as a send would
     * be when it was published: closed or closing, over the outbound limit (and closed then under
     * {@code OutboundLimitPolicy.CLOSE}).
     *
     * @param message the message
     */
    void deliver(PreparedMessage message) {
        long needed = Prepared.access().sharedFrame(message).remaining();
        if (framing.holdsDeliveries()) {
            holdWithinLimit(message, needed);
            return;
        }
        // Not closedCause(): a close called off the loop after the publish says so at once, but is queued behind it.
        if (overLimit(needed) == null) {
            framing.queuePrepared(message, needed);
        }
    }

    /**
     * Holds a message behind this session's open fragmented message, unless it is over the limit without the
     * fragments of that message still on their way ({@link HeldDeliveries#piecesFor}). Excused before it is counted
     * as queued, so that a fragment checked meanwhile on another thread never counts it as queued only. Not refused
     * for a close called off the loop and not yet run: a topic's message published before it still goes ahead of it.
     *
     * @return null if held, else why not
     */
    private Exception holdWithinLimit(PreparedMessage message, long needed) {
        HeldDeliveries held = driver.loop.heldDeliveries;
        held.excuse(this, needed);
        Exception refused = overLimit(needed, PIECES);
        if (refused != null) {
            held.unexcuse(this, needed);
            return refused;
        }
        held.hold(this, message, needed);
        return null;
    }

    /**
     * Takes a run of a topic's frames as a range of the loop's {@link TurnFrames}, in one step, when the session
     * takes shared frames as they are, its connection holds nothing else (or holds the turn's frames right before),
     * and the run fits under the outbound limit; on the loop's thread.
     *
     * @param start the run's first byte in the turn's buffer
     * @param end past its last
     * @return whether it was taken; if not, nothing changed, and the caller delivers the messages one by one
     */
    boolean takeShared(int start, int end) {
        if (!framing.takesSharedNow() || !driver.canHoldShared(start)) {
            return false;
        }
        long n = end - start;
        if (!reserveWithinLimit(n)) {
            return false;
        }
        driver.holdShared(start, end);
        return true;
    }

    // ------------------------------------------------------------------ topics (their state is the loop side's)

    /** @return whether the session ended, on the loop's thread: a topic it joins now would never see it leave */
    boolean hasEnded() {
        return framing.hasEnded();
    }

    /** @param shard a topic's members on this loop @return whether this session is one of them; on the loop */
    boolean isMemberOf(TopicShard shard) {
        return framing.isMemberOf(shard);
    }

    /** @param shard a topic's members on this loop, which this session just joined; on the loop */
    void joined(TopicShard shard) {
        framing.joined(shard);
    }

    /** @param shard a topic's members on this loop, which this session just left; on the loop */
    void left(TopicShard shard) {
        framing.left(shard);
    }

    /**
     * @param shard a topic's members on this loop, of which this session is one
     * @return its membership, which holds its slot there; on the loop
     */
    Membership membership(TopicShard shard) {
        return framing.membership(shard);
    }

    /** @return null with {@code needed} bytes reserved, or why a data frame cannot be sent now */
    private Exception refusal(long needed) {
        return refusal(needed, ALL);
    }

    /**
     * @param counted which of the queued bytes the limit judges this send by: {@link #ALL}, {@link #EXCUSED} or
     *     {@link #PIECES}
     * @return null with {@code needed} bytes reserved, or why a data frame cannot be sent now
     */
    private Exception refusal(long needed, int counted) {
        Exception closed = closedCause();
        return closed != null ? closed : overLimit(needed, counted);
    }

    /** @return null with {@code needed} bytes reserved, or why not: they would take the queue past its limit */
    private Exception overLimit(long needed) {
        return overLimit(needed, ALL);
    }

    private Exception overLimit(long needed, int counted) {
        if (reserve(needed, counted) < 0) {
            long current = queued;
            if (driver.options.closeOnLimit()) {
                driver.loop.afterHandOut(framing::outboundLimitReached);
            }
            return new OutboundLimitExceededException(current, needed, driver.options.outboundLimit());
        }
        return null;
    }

    /** Control frames and closes are never refused for lack of room: they are small and must not be dropped. */
    private CompletableFuture<Void> sendControl(int kind, Object payload) {
        Exception closed = closedCause();
        if (closed instanceof IllegalStateException && kind == Framing.PING) {
            closed = new IllegalStateException(Connection.PING_AFTER_CLOSE);
        }
        // After this end's close a pong may still be owed (RFC 6455 §5.5.2), until the peer's close arrives, which
        // the loop knows of: it decides.
        if (closed != null && !(closed instanceof IllegalStateException && kind == Framing.PONG)) {
            return SendFuture.failed(closed);
        }
        adjust(HEADER_ALLOWANCE);
        return dispatch(kind, payload, true, HEADER_ALLOWANCE, 0);
    }

    /**
     * Refuses a send at once when the session is known to be closed or closing, so that a caller (a broadcast, say)
     * sees it without waiting for the loop; the loop checks again, for a close it has not published yet.
     *
     * @return null if the session is open, else the failure its sends get
     */
    private Exception closedCause() {
        if (closing == ENDED) {
            return new IOException("the session is closed");
        }
        if (closing != OPEN) {
            return new IllegalStateException("the connection is closing: a close frame was already sent");
        }
        return null;
    }

    /**
     * @param onItsWay the bytes counted for a fragment in {@link HeldDeliveries#pieceOnItsWay}, 0 if none: no
     *     longer on its way once the loop has queued it
     */
    private CompletableFuture<Void> dispatch(int kind, Object payload, boolean last, long reserved, long onItsWay) {
        if (driver.loop.inLoop() && hops == 0) {
            return framing.send(kind, payload, last, null, reserved);
        }
        Object stable = stableCopy(payload);
        SendFuture future = new SendFuture();
        HOPS.getAndAdd(this, 1);
        driver.loop.execute(() -> {
            HOPS.getAndAdd(this, -1);
            try {
                framing.send(kind, stable, last, future, reserved);
            } finally {
                driver.loop.heldDeliveries.pieceArrived(this, onItsWay);
            }
        });
        return future;
    }

    /** The caller may change its buffer or builder once the call returns; the loop encodes later. */
    private static Object stableCopy(Object payload) {
        if (payload instanceof ByteBuffer buffer) {
            ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
            copy.put(buffer.duplicate()).flip();
            return copy;
        }
        if (payload instanceof CharSequence text && !(text instanceof String)) {
            return text.toString();
        }
        return payload;
    }

    /** Runs the action on this session's loop: at once when called there, else as a task of the loop. */
    void onLoop(Runnable action) {
        if (driver.loop.inLoop()) {
            action.run();
        } else {
            driver.loop.execute(action);
        }
    }

    // ------------------------------------------------------------------ accounting

    /**
     * Reserves {@code n} bytes only if the count stays within the limit, an empty queue included: a topic's run of
     * several messages is then taken whole or delivered message by message, each as the limit allows.
     *
     * @return whether reserved
     */
    private boolean reserveWithinLimit(long n) {
        long limit = driver.options.outboundLimit();
        while (true) {
            long current = queued;
            if (current + n > limit) {
                return false;
            }
            if (QUEUED.compareAndSet(this, current, current + n)) {
                if (current + n >= driver.options.highWatermark()) {
                    writable = false;
                }
                return true;
            }
        }
    }

    /**
     * @param counted which of the queued bytes the limit judges this reservation by
     * @return the count before, or -1 if {@code n} more would exceed the limit
     */
    private long reserve(long n, int counted) {
        long limit = driver.options.outboundLimit();
        while (true) {
            long current = queued;
            // Read after the count, which bytes join only once they are excused or on their way: a message or a
            // fragment seen in the count is seen as such, and whichever is counted first, neither is judged by the
            // other (HeldDeliveries).
            long judged = current - leftOut(counted);
            // An empty queue takes one message of any size: the caller already holds it in memory, and refusing
            // it would make a message larger than the limit impossible to send at all.
            if (judged > 0 && judged + n > limit) {
                return -1;
            }
            if (QUEUED.compareAndSet(this, current, current + n)) {
                if (current + n >= driver.options.highWatermark()) {
                    writable = false;
                }
                return current;
            }
        }
    }

    /** @return the queued bytes the limit leaves out: none, the excused ones, or the fragments on their way */
    private long leftOut(int counted) {
        return switch (counted) {
            case EXCUSED -> driver.loop.heldDeliveries.excusedFor(this);
            case PIECES -> driver.loop.heldDeliveries.piecesFor(this);
            default -> 0;
        };
    }

    /** @param delta bytes now queued (positive) or no longer queued (negative), counted without a limit */
    void adjust(long delta) {
        if (delta > 0) {
            long now = (long) QUEUED.getAndAdd(this, delta) + delta;
            if (now >= driver.options.highWatermark()) {
                writable = false;
            }
        } else if (delta < 0) {
            release(-delta);
        }
    }

    /** @param n bytes written or dropped; on the loop's thread */
    void release(long n) {
        long now = (long) QUEUED.getAndAdd(this, -n) - n;
        if (!writable && now <= driver.options.lowWatermark()) {
            writable = true;
            if (closing == ENDED) {
                // A send still on its way to the loop when the session ended: no callback comes any more, but the
                // state must not stay unwritable for good.
                return;
            }
            if (queued >= driver.options.highWatermark()) {
                // A sender on another thread took the queue past the high watermark meanwhile: still unwritable, and
                // its bytes, released in turn, bring the onWritable this turn would have made.
                writable = false;
                return;
            }
            @SuppressWarnings("unchecked")
            CompletableFuture<Void> waiting = (CompletableFuture<Void>) WRITABLE_FUTURE.getAndSet(this, null);
            if (waiting != null) {
                waiting.complete(null);
            }
            framing.writableAgain();
        }
    }

    @Override
    public long queuedBytes() {
        return queued;
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public CompletableFuture<Void> whenWritable() {
        if (writable) {
            return CompletableFuture.completedFuture(null);
        }
        if (closing == ENDED) {
            return CompletableFuture.failedFuture(new IOException("the session is closed"));
        }
        CompletableFuture<Void> waiting = writableFuture;
        if (waiting == null || waiting.isDone()) {
            // A done future here was completed by an earlier call (below) after the loop had looked: stale. Handed
            // out again, it would tell a sender the session is writable while the queue grows to the limit.
            CompletableFuture<Void> created = new CompletableFuture<>();
            waiting = WRITABLE_FUTURE.compareAndSet(this, waiting, created) ? created : writableFuture;
        }
        // The loop may have turned writable or ended meanwhile without seeing this future.
        if (writable) {
            if (waiting != null) {
                WRITABLE_FUTURE.compareAndSet(this, waiting, null);
                waiting.complete(null);
            }
        } else if (closing == ENDED && waiting != null) {
            waiting.completeExceptionally(new IOException("the session is closed"));
        }
        return waiting == null ? CompletableFuture.completedFuture(null) : waiting;
    }

    // ------------------------------------------------------------------ state

    void markOutputClosed() {
        // Atomically: an abort off the loop may have moved it to ENDED meanwhile, and it only moves forward.
        CLOSING.compareAndSet(this, OPEN, OUTPUT_CLOSED);
    }

    void markEnded() {
        closing = ENDED;
        @SuppressWarnings("unchecked")
        CompletableFuture<Void> waiting = (CompletableFuture<Void>) WRITABLE_FUTURE.getAndSet(this, null);
        if (waiting != null) {
            waiting.completeExceptionally(new IOException("the session is closed"));
        }
    }

    /**
     * A callback threw: logged, reported to {@code onError} (unless that is what threw), and the session closes
     * with 1011.
     *
     * @param type the kind of callback that threw
     * @param error what it threw
     */
    void callbackFailed(int type, Throwable error) {
        callbackFailed = true;
        EventLoop.LOG.log(Level.WARNING, "listener failed on a session with " + remote + "; closing it with 1011",
                error);
        if (type != Callback.ERROR && type != Callback.CLOSE) {
            try {
                listener.onError(this, error);
            } catch (RuntimeException | Error e) {
                EventLoop.LOG.log(Level.WARNING, "listener.onError failed too", e);
            }
        }
        onLoop(() -> framing.callbackFailed());
    }

    /**
     * @param running whether a listener call is running from now on; see {@link Framing#isInCallback}
     * @return whether one was running before
     */
    boolean inCallback(boolean running) {
        return framing.inCallback(running);
    }

    /** @return whether a callback threw, after which messages are no longer delivered */
    boolean hasFailedCallback() {
        return callbackFailed;
    }

    /** @param backlog bytes still held by the callback queue; called by it after running some */
    void backlogShrunk(long backlog) {
        if (framing.backlogPaused && backlog <= Framing.backlogLowWatermark()) {
            onLoop(() -> framing.backlogRelieved());
        }
    }

    @Override
    public void abort() {
        onLoop(() -> framing.abort());
        // As close(): called off the loop, the abort is on its way there; isOpen() and later sends see it now.
        CLOSING.compareAndSet(this, OPEN, ENDED);
    }

    @Override
    public boolean isOpen() {
        return closing == OPEN;
    }

    @Override
    public void suspendReading() {
        if (!readingSuspended) {
            readingSuspended = true;
            onLoop(() -> framing.updateReading());
        }
    }

    @Override
    public void resumeReading() {
        if (readingSuspended) {
            readingSuspended = false;
            onLoop(() -> framing.updateReading());
        }
    }

    @Override
    public boolean isReadingSuspended() {
        return readingSuspended;
    }

    // ------------------------------------------------------------------ handshake facts

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public String path() {
        String target = CompactHeaders.target(handshake);
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        return path.isEmpty() ? "/" : path;
    }

    @Override
    public String query() {
        String target = CompactHeaders.target(handshake);
        int q = target.indexOf('?');
        return q < 0 ? null : target.substring(q + 1);
    }

    @Override
    public HttpHeaders requestHeaders() {
        return CompactHeaders.headers(handshake);
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public List<ExtensionOffer> extensions() {
        List<Extension> negotiated = framing.connection().config().extensions();
        List<ExtensionOffer> offers = new ArrayList<>(negotiated.size());
        for (Extension extension : negotiated) {
            offers.add(extension.negotiated());
        }
        return offers;
    }

    @Override
    public boolean isClient() {
        return framing.connection().config().role() == Role.CLIENT;
    }

    @Override
    public String id() {
        return idPrefix + idNumber;
    }

    @Override
    public String pathParam(String name) {
        return pathParams.get(name);
    }

    @Override
    public Map<String, String> pathParams() {
        return pathParams;
    }

    @Override
    public Map<String, List<String>> queryParams() {
        return QueryParameters.parse(query());
    }

    @Override
    public <T> T attribute(AttributeKey<T> key) {
        Map<AttributeKey<?>, Object> map = attributes;
        return map == null ? null : key.type().cast(map.get(key));
    }

    @Override
    public <T> T setAttribute(AttributeKey<T> key, T value) {
        if (value == null) {
            Map<AttributeKey<?>, Object> map = attributes;
            return map == null ? null : key.type().cast(map.remove(key));
        }
        return key.type().cast(attributes().put(key, key.type().cast(value)));
    }

    @Override
    public <T> T setAttributeIfAbsent(AttributeKey<T> key, T value) {
        return key.type().cast(attributes().putIfAbsent(key, key.type().cast(Objects.requireNonNull(value, "value"))));
    }

    private Map<AttributeKey<?>, Object> attributes() {
        Map<AttributeKey<?>, Object> map = attributes;
        if (map == null) {
            ConcurrentHashMap<AttributeKey<?>, Object> created = new ConcurrentHashMap<>(4);
            map = ATTRIBUTES.compareAndSet(this, null, created) ? created : attributes;
        }
        return map;
    }

    @Override
    public String toString() {
        return (isClient() ? "client" : "server") + " session " + id() + " " + path() + " with " + remote;
    }
}
