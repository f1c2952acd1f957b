package io.sockwave;

import io.sockwave.protocol.Limits;
import io.sockwave.protocol.extension.ExtensionFactory;
import io.sockwave.runtime.SessionOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The settings that server and client sessions share: limits, timeouts, outbound buffer, callbacks. Inherited by
 * {@link Server.Builder} and {@link ClientOptions.Builder}; every method returns the builder, to chain calls.
 *
 * <p>A duration longer than {@link #LONGEST} (100 years) counts as {@code LONGEST}, here as in
 * {@link ClientOptions.Builder#connectTimeout}, {@link ReconnectPolicy.Builder} and the {@code shutdown} of
 * {@link Server#shutdown Server} and {@link Client#shutdown Client}: a timeout that cannot be turned off with
 * {@link Duration#ZERO} may be given one that never comes, such as {@code ChronoUnit.FOREVER.getDuration()}. A null
 * duration throws {@link NullPointerException} naming the parameter.
 *
 * @param <B> the concrete builder
 */
public abstract class SessionSettings<B extends SessionSettings<B>> {
    /**
     * The longest duration this API counts, 100 years: a longer one is taken as this. Deadlines are counted in
     * nanoseconds of {@link System#nanoTime()}, which a {@code long} holds for about 292 years.
     */
    public static final Duration LONGEST = Duration.ofDays(36_525);

    private Limits limits = Limits.DEFAULTS;
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ZERO;
    private Duration incompleteMessageTimeout = Duration.ofSeconds(60);
    private Duration closeTimeout = Duration.ofSeconds(5);
    private Duration pingInterval = Duration.ZERO;
    private Duration pongTimeout = Duration.ZERO;
    private Duration sendTimeout = Duration.ofSeconds(30);
    private int lowWatermark = 16 << 10;
    private int highWatermark = 64 << 10;
    private long outboundLimit = 4 << 20;
    private OutboundLimitPolicy limitPolicy = OutboundLimitPolicy.FAIL_SEND;
    private List<String> subprotocols = List.of();
    private List<ExtensionFactory> extensions = List.of();
    private boolean streaming;
    private boolean lendBinary;
    private boolean autoPong = true;
    private Executor callbackExecutor;

    SessionSettings() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * @param limits frame, message and handshake size limits; default {@link Limits#DEFAULTS}
     * @return this builder
     */
    public B limits(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        return self();
    }

    /**
     * How long the opening handshake may take, from TCP accept (server) or connect (client) to the 101 response,
     * TLS included. On a server this is the slowloris protection: a client that trickles its request is dropped; an
     * upgrade hook that has not decided by then, or an {@link HttpHandler} on the callback executor that has not
     * answered, leaves the client a 503. On
     * a client it counts again for each redirect's hop, within one bound for the whole opening: see
     * {@link ClientOptions.Builder#connectTimeout}.
     *
     * @param timeout positive; default 10 seconds
     * @return this builder
     */
    public B handshakeTimeout(Duration timeout) {
        this.handshakeTimeout = positive("handshakeTimeout", timeout);
        return self();
    }

    /**
     * How long a message that has begun may go without a byte more of it before the session is failed with 1008
     * (policy violation): a peer that sends the start of a large message and then nothing (or only pings) holds
     * memory of this server for no longer than this. The clock restarts with every byte of the message that
     * arrives, so a long message on a slow link is not cut short.
     *
     * @param timeout positive, or {@link Duration#ZERO} for none; default 60 seconds
     * @return this builder
     */
    public B incompleteMessageTimeout(Duration timeout) {
        this.incompleteMessageTimeout = notNegative("incompleteMessageTimeout", timeout);
        return self();
    }

    /**
     * How long a session may go without reading or writing a byte before it is closed with 1001 (going away). A
     * peer that takes none of the bytes queued for it for that long does not read, and would not take a close
     * queued behind them either: the close then goes ahead of the messages not yet begun, which are dropped (their
     * sends fail with an {@link java.io.IOException} naming the idle timeout), and the socket closes at most the
     * {@link #closeTimeout close timeout} later, well before the {@link #sendTimeout send timeout} would.
     *
     * @param timeout positive, or {@link Duration#ZERO} for none; default none
     * @return this builder
     */
    public B idleTimeout(Duration timeout) {
        this.idleTimeout = notNegative("idleTimeout", timeout);
        return self();
    }

    /**
     * How long to wait, once a close frame is sent, for the peer's close frame (and on a client, for the server to
     * close TCP) before closing the socket anyway. The close frame itself goes after the messages sent before it,
     * which a slow reader may take up to the {@link #sendTimeout send timeout} to receive (a peer that takes nothing
     * for the {@link #idleTimeout idle timeout} is closed at that instead).
     *
     * @param timeout positive; default 5 seconds
     * @return this builder
     */
    public B closeTimeout(Duration timeout) {
        this.closeTimeout = positive("closeTimeout", timeout);
        return self();
    }

    /**
     * Sends a ping every {@code interval}; a session whose peer does not answer with a pong within
     * {@code pongTimeout} is considered dead and its socket closed ({@link Listener#onError} gets a
     * {@link java.util.concurrent.TimeoutException}, {@link Listener#onClose} 1006).
     *
     * @param interval positive, or {@link Duration#ZERO} for no keepalive; default none
     * @param pongTimeout positive when {@code interval} is
     * @return this builder
     */
    public B keepAlive(Duration interval, Duration pongTimeout) {
        this.pingInterval = notNegative("interval", interval);
        this.pongTimeout = interval.isZero() ? Duration.ZERO : positive("pongTimeout", pongTimeout);
        return self();
    }

    /**
     * How long a send may wait to be handed to the socket. A peer that takes no bytes for that long is considered
     * dead: the send fails with {@link java.util.concurrent.TimeoutException}, as does every send queued behind it,
     * and the socket is closed. This is what keeps one stalled peer from holding memory and a broadcast's progress.
     *
     * @param timeout positive; default 30 seconds
     * @return this builder
     */
    public B sendTimeout(Duration timeout) {
        this.sendTimeout = positive("sendTimeout", timeout);
        return self();
    }

    /**
     * Bounds the bytes queued per session; see {@link Session} on backpressure.
     *
     * @param lowWatermark the queued bytes at or below which an unwritable session becomes writable again; default
     *     16 KiB
     * @param highWatermark the queued bytes at which a session becomes unwritable; default 64 KiB
     * @param limit the most bytes a session may queue; a send beyond is handled by the
     *     {@link #outboundLimitPolicy(OutboundLimitPolicy)}, but a message larger than the limit is taken when
     *     nothing else is queued, so that it can be sent at all (and a session amid a fragmented message of its own
     *     may queue up to twice the limit: see {@link Session}); default 4 MiB
     * @return this builder
     * @throws IllegalArgumentException unless {@code 0 <= lowWatermark < highWatermark <= limit}
     */
    public B outboundBuffer(int lowWatermark, int highWatermark, long limit) {
        if (lowWatermark < 0 || lowWatermark >= highWatermark || highWatermark > limit) {
            throw new IllegalArgumentException("need 0 <= lowWatermark < highWatermark <= limit, got "
                    + lowWatermark + ", " + highWatermark + ", " + limit);
        }
        this.lowWatermark = lowWatermark;
        this.highWatermark = highWatermark;
        this.outboundLimit = limit;
        return self();
    }

    /**
     * @param policy what a send beyond the outbound limit does; default {@link OutboundLimitPolicy#FAIL_SEND}
     * @return this builder
     */
    public B outboundLimitPolicy(OutboundLimitPolicy policy) {
        this.limitPolicy = Objects.requireNonNull(policy, "policy");
        return self();
    }

    /**
     * @param subprotocols the subprotocols spoken (server) or offered (client), most preferred first; default none
     * @return this builder
     */
    public B subprotocols(String... subprotocols) {
        this.subprotocols = List.of(subprotocols);
        return self();
    }

    /**
     * @param extensions the extensions to negotiate, such as permessage-deflate, most preferred first; default none.
     *     On a server, a factory that throws while accepting an offer is logged and the client answered with 500
     * @return this builder
     */
    public B extensions(ExtensionFactory... extensions) {
        this.extensions = List.of(extensions);
        return self();
    }

    /**
     * @param streaming whether data messages are delivered in pieces to {@link Listener#onFragment} as they arrive,
     *     instead of whole to {@link Listener#onText}/{@link Listener#onBinary}; default false
     * @return this builder
     */
    public B streaming(boolean streaming) {
        this.streaming = streaming;
        return self();
    }

    /**
     * Lends each whole binary message to {@link Listener#onBinary} instead of giving it: the buffer is read-only,
     * holds exactly the message, and is valid only until {@code onBinary} returns, after which its array is reused
     * for a later message, of this session or another; a listener that keeps the bytes copies them first (sending
     * them, with {@link Session#sendBinary}, copies them). This is the contract of uWebSockets' message handler,
     * and it saves an allocation the size of each message. A message whose callback has to wait, because callbacks
     * run on an executor or reading is suspended, is lent the same way but its array is never reused, so it stays
     * valid; with an executor every message waits, and lending saves nothing. Default false: the buffer belongs to
     * the listener, writable.
     *
     * @param lendBinary whether binary messages are lent
     * @return this builder
     */
    public B lendBinary(boolean lendBinary) {
        this.lendBinary = lendBinary;
        return self();
    }

    /**
     * @param autoPong whether pings are answered with a pong automatically (RFC 6455 §5.5.2); default true. When
     *     false the listener answers them itself with {@link Session#pong}.
     * @return this builder
     */
    public B autoPong(boolean autoPong) {
        this.autoPong = autoPong;
        return self();
    }

    /**
     * Runs listener callbacks on an executor instead of the event loop, keeping each session's callbacks in order
     * and never overlapping. Use it when callbacks block, for example with
     * {@code Executors.newVirtualThreadPerTaskExecutor()} on Java 21. A session whose callbacks fall behind stops
     * reading from its socket until they catch up, so the peer is pushed back rather than buffered. On a server, a
     * task the executor refuses (a bounded one that is full) is answered with 503 when it is a plain HTTP request or
     * an upgrade hook; a session's callbacks it refuses run on the event loop instead, in order, none lost. So do the
     * calls of a task it accepted and then dropped ({@code shutdownNow()} hands them back unrun), from the session's
     * next call due (at the latest its {@code onClose}), and their messages leave the message budget. The last calls
     * of a session that ended before (its {@code onClose} included) have no call due after them: they run once the
     * shut-down executor refuses its next task (another session's call, an upgrade hook, an HTTP request), on their
     * session's loop, and until then their messages stay counted in the budget. Shut it down with
     * {@code shutdown()}, which still runs what it accepted, for them to run on the executor.
     *
     * @param executor the executor, or null for the event loop (the default); not shut down by Sockwave
     * @return this builder
     */
    public B callbackExecutor(Executor executor) {
        this.callbackExecutor = executor;
        return self();
    }

    /** @return the settings as the runtime uses them */
    SessionOptions sessionOptions() {
        return new SessionOptions(limits, handshakeTimeout.toNanos(), idleTimeout.toNanos(), closeTimeout.toNanos(),
                pingInterval.toNanos(), pongTimeout.toNanos(), sendTimeout.toNanos(), lowWatermark, highWatermark,
                outboundLimit, limitPolicy == OutboundLimitPolicy.CLOSE, subprotocols, extensions, streaming, autoPong,
                callbackExecutor, incompleteMessageTimeout.toNanos(), lendBinary);
    }

    /** @return {@code d}, at most {@link #LONGEST} */
    static Duration positive(String name, Duration d) {
        if (Objects.requireNonNull(d, name).isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return atMostLongest(d);
    }

    /** @return {@code d}, at most {@link #LONGEST} */
    static Duration notNegative(String name, Duration d) {
        if (Objects.requireNonNull(d, name).isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
        return atMostLongest(d);
    }

    private static Duration atMostLongest(Duration d) {
        return d.compareTo(LONGEST) > 0 ? LONGEST : d;
    }
}
