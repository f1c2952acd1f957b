package io.sockwave.runtime;

import io.sockwave.PreparedMessage;
import io.sockwave.ServerStats;
import io.sockwave.protocol.ConnectionConfig;
import io.sockwave.tls.TlsAdapter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One selector thread serving many connections. It reads every ready channel into one shared buffer, so that an
 * idle connection holds no buffer of its own; runs tasks handed to it from other threads; fires deadlines from its
 * {@link Timers}; and at the end of each turn writes what the turn queued, so that several messages sent in one turn
 * leave in one system call.
 *
 * <p>Everything a connection owns is touched only from its loop's thread, which is why none of it is locked.
 */
final class EventLoop implements Executor, Runnable {
    static final Logger LOG = System.getLogger("io.sockwave");
    private static final int BUFFER_SIZE = 64 << 10;
    /** Reads up to this size are handed over from {@link #smallReads}. */
    static final int SMALL_READ = 4 << 10;
    private static final int TASKS_PER_TURN = 4096;
    /**
     * Outbound queues kept free for reuse: enough for a broadcast to a thousand sessions, each of which takes a queue
     * for the turn, to take none new (a new queue per subscriber was most of a delivery's garbage). About 340 KB
     * once that many queues of 4 frames were in use at the same time; more, up to about 1.5 MB, if they had grown to
     * the largest size {@link OutboundQueue#isPoolable} keeps.
     */
    private static final int POOLED_QUEUES = 1024;
    /**
     * How often the loop lets go of pooled memory that went unused meanwhile ({@link FreeList#trim}): what a burst
     * left behind is gone within two periods of calm, while steady traffic keeps what it uses.
     */
    static final long TRIM_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How long the loop waits after a turn failed as a whole, so that a failure that repeats cannot spin. */
    private static final long FAILURE_PAUSE_MILLIS = 100;
    /** Room for a turn's publishes kept across trims; more, grown by a burst, is let go at the next trim. */
    private static final int PUBLISHED_KEPT = 1024;

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** False while the loop is about to sleep or sleeping: a task added then must wake it. */
    private final AtomicBoolean awake = new AtomicBoolean(true);
    private final Consumer<SelectionKey> onSelected = this::onSelected;
    private final BiConsumer<TimerNode, Throwable> onTimerFailed = this::onTimerFailed;
    private final ArrayList<ChannelDriver> dirty = new ArrayList<>();
    private final FreeList<OutboundQueue> queuePool = new FreeList<>(POOLED_QUEUES);
    private final long trimNanos;
    private long lastTrim = System.nanoTime();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    final Timers timers = new Timers();
    /**
     * Plaintext (or TLS records) read from any channel. Direct, so that the kernel's bytes land here with no copy
     * through a temporary buffer of the JDK; the protocol core unmasks a payload as it copies it out. In the
     * machine's byte order, so that unmasking in place (for an extension, which reads a payload where it lies) needs
     * no byte swap per word.
     */
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(BUFFER_SIZE).order(ByteOrder.nativeOrder());
    /**
     * A heap copy of a small read, handed to the connection instead of {@link #readBuffer}: the protocol core decodes
     * a text message that lies whole in an array straight from it, where from a direct buffer it first copies the
     * message into an array of its own. Copying a few hundred bytes costs less than allocating that array per
     * message, which is the garbage an echo of short messages would otherwise make besides its String.
     */
    final ByteBuffer smallReads = ByteBuffer.allocate(SMALL_READ).order(ByteOrder.nativeOrder());
    /** Bytes on their way to any channel: frames are copied here and written in one call. */
    final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
    /** The most frames one write takes from a queue. */
    static final int FRAMES_PER_WRITE = 64;
    /** The frames a TLS write wraps at once. */
    final ByteBuffer[] gather = new ByteBuffer[FRAMES_PER_WRITE];
    /** A gathering write's sources: runs of {@link #writeBuffer} between the pooled frames of a plain write. */
    final ByteBuffer[] iovecs = new ByteBuffer[2 * FRAMES_PER_WRITE + 1];
    /** The shared frames this turn's broadcasts queued, one copy each, written from there to their subscribers. */
    final TurnFrames turnFrames = new TurnFrames();
    /** What topics and broadcasts gave this loop's sessions in the middle of their own fragmented messages. */
    final HeldDeliveries heldDeliveries = new HeldDeliveries();
    /**
     * The messages published to topics with members on this loop and not yet handed to them, in the order they were
     * published here, with the topic's members on this loop each belongs to: handed out at the end of the turn, so
     * that each member takes a turn's run of one topic's messages in one visit ({@link TopicShard}).
     */
    private TopicShard[] publishedTo = new TopicShard[16];
    private PreparedMessage[] publishedMessages = new PreparedMessage[16];
    private int published;
    private boolean handingOut;
    /** What waits for the hand-out under way to end: see {@link #afterHandOut}. */
    private final ArrayDeque<Runnable> afterHandOut = new ArrayDeque<>();
    /**
     * Set once the loop's turns are over: no turn would hand out a message published from then on, and its members
     * are closed, so it is dropped rather than held for as long as the topic lives.
     */
    private volatile boolean publishesEnded;
    /** The buffers of this loop's large outgoing frames. */
    final FramePool frames = new FramePool();
    /** The arrays of this loop's incoming messages. */
    final LoopArrays arrays = new LoopArrays();
    /** The parser of the request heads this loop's server connections read. */
    final RequestParsers requestParsers = new RequestParsers();
    private ByteBuffer tlsPlaintext;
    private ByteBuffer tlsDirectPlaintext;
    private ByteBuffer tlsStaging;
    private ByteBuffer tlsHeapIn;
    private ByteBuffer tlsHeapOut;
    private ConnectionConfig adoptedBase;
    private ConnectionConfig adopted;

    private ChannelDriver first;
    private boolean clockStale = true;
    private long now = System.nanoTime();
    private volatile boolean stopping;
    private CompletableFuture<Void> drained;

    // Counters for ServerStats, kept by the loop's thread alone. They are not read as they change: a connection's
    // close counts it out before its session, so that a reader could see more sessions than connections. The loop
    // copies them at points where they agree (publishStats) under a sequence number that readers check.
    private int connections;
    private int sessions;
    private int buffers;
    private long queuedBytes;

    /** Odd while the loop copies the counters below; readers retry until they read them under one even value. */
    private int statsVersion;
    private int publishedConnections;
    private int publishedSessions;
    private int publishedBuffers;
    private int publishedTimers;
    private long publishedQueued;

    private static final VarHandle STATS_VERSION;
    private static final VarHandle CONNECTIONS;
    private static final VarHandle SESSIONS;
    private static final VarHandle BUFFERS;
    private static final VarHandle TIMERS;
    private static final VarHandle QUEUED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATS_VERSION = lookup.findVarHandle(EventLoop.class, "statsVersion", int.class);
            CONNECTIONS = lookup.findVarHandle(EventLoop.class, "publishedConnections", int.class);
            SESSIONS = lookup.findVarHandle(EventLoop.class, "publishedSessions", int.class);
            BUFFERS = lookup.findVarHandle(EventLoop.class, "publishedBuffers", int.class);
            TIMERS = lookup.findVarHandle(EventLoop.class, "publishedTimers", int.class);
            QUEUED = lookup.findVarHandle(EventLoop.class, "publishedQueued", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    EventLoop(String name, boolean daemon) {
        this(name, daemon, TRIM_NANOS);
    }

    /** @param trimNanos how often pooled memory that went unused is let go; tests shorten it */
    EventLoop(String name, boolean daemon, long trimNanos) {
        this.trimNanos = trimNanos;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.thread = new Thread(this, name);
        thread.setDaemon(daemon);
    }

    void start() {
        thread.start();
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** @return the loop's clock, read once per turn, in {@link System#nanoTime()} units */
    long now() {
        if (clockStale) {
            clockStale = false;
            now = System.nanoTime();
        }
        return now;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (terminated.isDone()) {
            runTasks(Integer.MAX_VALUE);
        } else if (!inLoop() && awake.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /**
     * Runs turns until {@link #stop()}. No failure ends the loop: each connection's, task's and timer's failure is
     * caught where it happens and costs only that connection; what escapes a turn anyway (the selector failing) is
     * logged, and the loop pauses briefly before the next turn so that a failure that repeats cannot spin.
     */
    @Override
    public void run() {
        try {
            while (!stopping && selector.isOpen()) {
                try {
                    turn();
                } catch (Throwable t) {
                    LoopLog.log(Level.ERROR, "event loop " + thread.getName() + " turn failed; going on", t);
                    pauseAfterFailure();
                }
            }
        } finally {
            closeEverything();
        }
    }

    private void turn() throws IOException {
        select();
        clockStale = true;
        runTasks(TASKS_PER_TURN);
        timers.runExpired(now(), onTimerFailed);
        if (now() - lastTrim >= trimNanos) {
            trimPools();
        }
        // Before the writes too: a peer that reads what this turn wrote finds the stats that go with it.
        handOutPublished();
        publishStats();
        flushDirty();
        publishStats();
    }

    private static void pauseAfterFailure() {
        try {
            Thread.sleep(FAILURE_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void onTimerFailed(TimerNode node, Throwable failure) {
        LoopLog.log(Level.ERROR, "unexpected failure in a timer; closing its connection", failure);
        if (node instanceof IoHandler handler) {
            abortQuietly(handler, failure);
        }
    }

    /** Aborts a connection after an unexpected failure; a failure of the abort itself is logged, not thrown. */
    private static void abortQuietly(IoHandler handler, Throwable cause) {
        try {
            handler.abort("internal error: " + cause);
        } catch (RuntimeException | Error e) {
            LoopLog.log(Level.ERROR, "aborting a connection failed", e);
        }
    }

    private void select() throws IOException {
        awake.set(false);
        if (!tasks.isEmpty() || !dirty.isEmpty() || published > 0) {
            selector.selectNow(onSelected);
        } else {
            long next = timers.nextDeadline();
            if (holdsFreeMemory() && (next == Long.MAX_VALUE || next - (lastTrim + trimNanos) > 0)) {
                // Wake for the trim even when nothing else is due: an idle loop is where the memory is wasted.
                next = lastTrim + trimNanos;
            }
            if (next == Long.MAX_VALUE) {
                selector.select(onSelected, 0);
            } else {
                long millis = TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime() + 999_999);
                if (millis <= 0) {
                    selector.selectNow(onSelected);
                } else {
                    selector.select(onSelected, millis);
                }
            }
        }
        awake.set(true);
    }

    private void onSelected(SelectionKey key) {
        clockStale = true;
        IoHandler handler = (IoHandler) key.attachment();
        try {
            handler.onReady(key);
        } catch (RuntimeException | Error e) {
            // An OutOfMemoryError too: what one connection asked for costs that connection, not its loop.
            LoopLog.log(Level.ERROR, "unexpected failure handling a channel; closing it", e);
            abortQuietly(handler, e);
        }
    }

    private void runTasks(int max) {
        for (int i = 0; i < max; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LoopLog.log(Level.ERROR, "event loop task failed", e);
            }
        }
    }

    /** Writes what this turn queued; connections marked dirty while flushing wait for the next turn. */
    private void flushDirty() {
        int n = dirty.size();
        for (int i = 0; i < n; i++) {
            ChannelDriver driver = dirty.get(i);
            driver.dirty = false;
            try {
                driver.flush();
            } catch (RuntimeException | Error e) {
                LoopLog.log(Level.ERROR, "unexpected failure writing to a channel; closing it", e);
                abortQuietly(driver, e);
            }
        }
        if (dirty.size() == n) {
            dirty.clear();
        } else {
            dirty.subList(0, n).clear();
        }
    }

    /**
     * Holds a message published to a topic's members on this loop until the end of the turn, or until something else
     * is about to be queued on one of them ({@link #handOutPublished}); on the loop's thread, or on any once the loop
     * has stopped, which drops it.
     *
     * @param shard the topic's members on this loop
     * @param message the message
     */
    void publish(TopicShard shard, PreparedMessage message) {
        if (publishesEnded) {
            return;
        }
        if (published == publishedTo.length) {
            publishedTo = Arrays.copyOf(publishedTo, published * 2);
            publishedMessages = Arrays.copyOf(publishedMessages, published * 2);
        }
        publishedTo[published] = shard;
        publishedMessages[published] = message;
        published++;
    }

    /**
     * Hands the messages published since the last call to their topics' members, each run of consecutive messages
     * to one topic in one visit per member. Called at the end of the turn, and before anything else is queued on a
     * member, joins or leaves a topic, so that a member's messages keep the order in which they were published and
     * sent. Messages published while this runs (from a callback it caused) are handed out by this call too.
     */
    void handOutPublished() {
        if (published == 0 || handingOut) {
            return;
        }
        handingOut = true;
        try {
            int from = 0;
            while (from < published) {
                TopicShard shard = publishedTo[from];
                int to = from + 1;
                while (to < published && publishedTo[to] == shard) {
                    to++;
                }
                shard.handOut(publishedMessages, from, to);
                from = to;
            }
        } finally {
            Arrays.fill(publishedTo, 0, published, null);
            Arrays.fill(publishedMessages, 0, published, null);
            published = 0;
            handingOut = false;
            runAfterHandOut();
        }
    }

    /**
     * Runs what waited for the hand-out, each action on its own: one that throws is logged, and costs neither the
     * actions after it (a member's close under {@code OutboundLimitPolicy.CLOSE}, which would otherwise wait for the
     * next hand-out, maybe for ever) nor the hand-out's caller, which may be a send the application made.
     */
    private void runAfterHandOut() {
        for (Runnable action = afterHandOut.poll(); action != null; action = afterHandOut.poll()) {
            try {
                action.run();
            } catch (RuntimeException | Error e) {
                LoopLog.log(Level.ERROR, "an action waiting for a topic's hand-out failed; going on", e);
            }
        }
    }

    /**
     * Runs an action on this loop: after the hand-out under way, if one is, else now, or as a task when called off
     * the loop. For what may complete the futures of sends (a close that drops the queue, under
     * {@code OutboundLimitPolicy.CLOSE}): their dependents are application code, which may send to a member the
     * hand-out has not visited yet, and would then go ahead of the messages published before that send.
     *
     * @param action the action
     */
    void afterHandOut(Runnable action) {
        if (!inLoop()) {
            execute(action);
        } else if (handingOut) {
            afterHandOut.add(action);
        } else {
            action.run();
        }
    }

    /** @return whether the loop's thread has ended: a topic forgets its members on such a loop */
    boolean isTerminated() {
        return terminated.isDone();
    }

    /** @param driver a connection with frames to write at the end of this turn */
    void markDirty(ChannelDriver driver) {
        if (!driver.dirty) {
            driver.dirty = true;
            dirty.add(driver);
        }
    }

    /**
     * Registers a channel with this loop's selector; on the loop's thread.
     *
     * @param channel a non-blocking channel
     * @param ops the interest set
     * @param handler the attachment
     * @return the key
     * @throws IOException if the channel is closed
     */
    SelectionKey register(SelectableChannel channel, int ops, IoHandler handler) throws IOException {
        return channel.register(selector, ops, handler);
    }

    void add(ChannelDriver driver) {
        driver.next = first;
        if (first != null) {
            first.prev = driver;
        }
        first = driver;
        connections++;
    }

    void remove(ChannelDriver driver) {
        if (driver.prev != null) {
            driver.prev.next = driver.next;
        } else if (first == driver) {
            first = driver.next;
        }
        if (driver.next != null) {
            driver.next.prev = driver.prev;
        }
        driver.prev = null;
        driver.next = null;
        connections--;
        if (connections == 0 && drained != null) {
            drained.complete(null);
        }
    }

    /** @param action applied to every connection of this loop; on the loop's thread */
    void forEachConnection(Consumer<ChannelDriver> action) {
        for (ChannelDriver d = first; d != null; ) {
            ChannelDriver next = d.next;
            action.accept(d);
            d = next;
        }
    }

    /** @return completes once this loop holds no connection; call on the loop's thread */
    CompletableFuture<Void> whenDrained() {
        if (drained == null) {
            drained = new CompletableFuture<>();
        }
        if (connections == 0) {
            drained.complete(null);
        }
        return drained;
    }

    OutboundQueue takeQueue() {
        countBuffers(1);
        OutboundQueue q = queuePool.poll();
        return q != null ? q : new OutboundQueue(frames);
    }

    void releaseQueue(OutboundQueue q) {
        countBuffers(-1);
        if (q.isPoolable()) {
            queuePool.offer(q);
        }
    }

    private void trimPools() {
        lastTrim = now();
        if (publishedTo.length > PUBLISHED_KEPT && published == 0) {
            // A burst of publishes grew them; a quiet period lets them go, as the pools.
            publishedTo = new TopicShard[16];
            publishedMessages = new PreparedMessage[16];
        }
        queuePool.trim();
        frames.trim();
        arrays.trim();
    }

    /** @return whether a pool holds free memory that a trim may let go, so that the loop must wake for it */
    boolean holdsFreeMemory() {
        return queuePool.size() > 0 || arrays.freeBytes() > 0 || frames.holdsFree();
    }

    /** @param delta change in the buffers held by this loop's connections */
    void countBuffers(int delta) {
        buffers += delta;
    }

    /** @param delta change in the open sessions of this loop */
    void countSessions(int delta) {
        sessions += delta;
    }

    /** @param delta change in the bytes queued by this loop's connections */
    void countQueued(long delta) {
        queuedBytes += delta;
    }

    /**
     * Copies the counters for {@link #stats}; on the loop's thread, at a point where they agree: between two steps of
     * a turn, once a connection is closed and its session ended, or once a session ended ahead of its connection's
     * close, before its listener is told. A seqlock (release fence after the odd number, release store of the even
     * one) costs the loop no atomic instruction.
     */
    void publishStats() {
        int version = statsVersion;
        STATS_VERSION.setOpaque(this, version + 1);
        VarHandle.releaseFence();
        CONNECTIONS.setOpaque(this, connections);
        SESSIONS.setOpaque(this, sessions);
        BUFFERS.setOpaque(this, buffers);
        TIMERS.setOpaque(this, timers.size());
        QUEUED.setOpaque(this, queuedBytes);
        STATS_VERSION.setRelease(this, version + 2);
    }

    /** @return this loop's share of the server's {@link ServerStats}, as last published, read whole */
    ServerStats stats() {
        while (true) {
            int version = (int) STATS_VERSION.getAcquire(this);
            int connected = (int) CONNECTIONS.getOpaque(this);
            int open = (int) SESSIONS.getOpaque(this);
            int held = (int) BUFFERS.getOpaque(this);
            int pending = (int) TIMERS.getOpaque(this);
            long queued = (long) QUEUED.getOpaque(this);
            VarHandle.acquireFence();
            if ((version & 1) == 0 && (int) STATS_VERSION.getOpaque(this) == version) {
                return new ServerStats(connected, open, queued, pending, held);
            }
            Thread.onSpinWait();
        }
    }

    /**
     * @param base a configuration shared by connections on several loops
     * @return the same, building frames in this loop's {@link #frames} and messages in its {@link #arrays}; one
     *     instance per base, so that the
     *     connections of a server share it and an idle connection holds no configuration of its own
     */
    ConnectionConfig adopt(ConnectionConfig base) {
        if (base != adoptedBase) {
            adoptedBase = base;
            adopted = base.withFrames(frames).withArrays(arrays);
        }
        return adopted;
    }

    /**
     * @param minimum the size the TLS engine asks for
     * @param heap as for {@link #tlsNetIn}: a native engine writes plaintext into a direct buffer in place, and
     *     into a heap one through a direct buffer of its own
     * @return the loop's buffer for decrypted bytes
     */
    ByteBuffer tlsPlaintext(int minimum, boolean heap) {
        if (!heap) {
            if (tlsDirectPlaintext == null || tlsDirectPlaintext.capacity() < minimum) {
                tlsDirectPlaintext = ByteBuffer.allocateDirect(Math.max(minimum, BUFFER_SIZE))
                        .order(ByteOrder.nativeOrder());
            }
            return tlsDirectPlaintext;
        }
        if (tlsPlaintext == null || tlsPlaintext.capacity() < minimum) {
            tlsPlaintext = ByteBuffer.allocate(Math.max(minimum, BUFFER_SIZE));
        }
        return tlsPlaintext;
    }

    /**
     * @param heap as for {@link #tlsNetIn}
     * @return null for an engine that works on arrays; for a native one, the loop's direct buffer through which
     *     frames reach the engine (see {@link TlsAdapter#wrap})
     */
    ByteBuffer tlsStaging(boolean heap) {
        if (heap) {
            return null;
        }
        if (tlsStaging == null) {
            tlsStaging = ByteBuffer.allocateDirect(TlsAdapter.RECORD_PLAINTEXT);
        }
        return tlsStaging;
    }

    /**
     * @param heap whether the engine works on arrays (the JDK's: it would copy a direct buffer's bytes into arrays
     *     of its own, record by record, and leave them to the collector)
     * @return the loop's buffer for ciphertext read from a channel: the direct read buffer, or a heap one
     */
    ByteBuffer tlsNetIn(boolean heap) {
        if (!heap) {
            return readBuffer;
        }
        tlsHeapIn = orNewHeap(tlsHeapIn);
        return tlsHeapIn;
    }

    /**
     * @param heap as for {@link #tlsNetIn}
     * @return the loop's buffer for ciphertext to write: the direct write buffer, or a heap one
     */
    ByteBuffer tlsNetOut(boolean heap) {
        if (!heap) {
            return writeBuffer;
        }
        tlsHeapOut = orNewHeap(tlsHeapOut);
        return tlsHeapOut;
    }

    private static ByteBuffer orNewHeap(ByteBuffer buffer) {
        return buffer != null ? buffer : ByteBuffer.allocate(BUFFER_SIZE);
    }

    /** Stops the loop: every connection is aborted, then the thread ends. Returns at once. */
    void stop() {
        stopping = true;
        selector.wakeup();
    }

    /**
     * @param nanos how long to wait
     * @return whether the loop's thread ended in time (true at once when called from that thread)
     */
    boolean awaitTermination(long nanos) {
        if (inLoop()) {
            return true;
        }
        try {
            terminated.get(nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return terminated.isDone();
        }
    }

    private void closeEverything() {
        publishesEnded = true;
        publishedTo = new TopicShard[0];
        publishedMessages = new PreparedMessage[0];
        published = 0;
        forEachConnection(d -> d.abort("event loop stopped"));
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof IoHandler handler) {
                handler.abort("event loop stopped");
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            LoopLog.log(Level.DEBUG, "closing a selector failed", e);
        }
        publishStats();
        // The calls of sessions this closed that were held (messages read while reading was suspended, then
        // onClose) run before the loop reports itself finished: Server.close() waits for the loop's thread.
        runTasks(Integer.MAX_VALUE);
        terminated.complete(null);
        // Tasks that arrive from now on run on their caller's thread: they only find closed sessions to fail.
        runTasks(Integer.MAX_VALUE);
    }
}
