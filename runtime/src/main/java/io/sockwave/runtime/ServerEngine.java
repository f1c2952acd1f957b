package io.sockwave.runtime;

import io.sockwave.BroadcastResult;
import io.sockwave.OutboundLimitExceededException;
import io.sockwave.PreparedMessage;
import io.sockwave.ServerStats;
import io.sockwave.Session;
import io.sockwave.protocol.ArrayPool;
import io.sockwave.protocol.ConnectionConfig;
import io.sockwave.protocol.FrameAllocator;
import io.sockwave.protocol.MaskKeySource;
import io.sockwave.protocol.Role;
import io.sockwave.tls.TlsAdapter;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/** The running part of {@link io.sockwave.Server}: its loops, listening socket and lifecycle. */
public final class ServerEngine {
    private static final ThrottledLog TLS_PARAMETERS_FAILURES = new ThrottledLog();

    private static final AtomicInteger SERVERS = new AtomicInteger();
    private static final int BACKLOG = 1024;

    private final ServerSpec spec;
    private final ConnectionConfig connectionConfig;
    private final int number = SERVERS.incrementAndGet();
    private final SessionIds sessionIds = new SessionIds("s" + number + "-");
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile LoopGroup loops;
    private volatile Acceptor acceptor;
    private volatile InetSocketAddress address;

    /** @param spec what the builder configured */
    public ServerEngine(ServerSpec spec) {
        this.spec = spec;
        SessionOptions options = spec.session();
        this.connectionConfig = new ConnectionConfig(Role.SERVER, options.limits(), List.of(), options.autoPong(),
                options.streaming(), MaskKeySource.secure(), FrameAllocator.HEAP, spec.messageBudget(), ArrayPool.HEAP,
                options.lendBinary());
    }

    ServerSpec spec() {
        return spec;
    }

    /**
     * @return the configuration of a connection without extensions, shared by all of them; each loop builds the
     *     frames of its connections in its own pool ({@link EventLoop#adopt})
     */
    ConnectionConfig connectionConfig() {
        return connectionConfig;
    }

    SessionIds sessionIds() {
        return sessionIds;
    }

    /**
     * Binds and starts the loops.
     *
     * @throws IOException if the address cannot be bound
     * @throws IllegalStateException if the server was started or closed before
     */
    public void start() throws IOException {
        if (closed.get()) {
            // A closed server is over: loops started now would have no close left to stop them.
            throw new IllegalStateException("the server was closed");
        }
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the server was started already");
        }
        LoopLog.warmUp();
        LoopGroup group = new LoopGroup("sockwave-server-" + number, spec.eventLoops(), false);
        ServerSocketChannel listening = null;
        try {
            listening = spec.family() == null ? ServerSocketChannel.open() : ServerSocketChannel.open(spec.family());
            listening.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (spec.bind().isUnresolved()) {
                throw new java.net.UnknownHostException("cannot resolve host " + spec.bind().getHostString());
            }
            listening.bind(spec.bind(), BACKLOG);
            listening.configureBlocking(false);
            address = (InetSocketAddress) listening.getLocalAddress();
        } catch (IOException | RuntimeException e) {
            if (listening != null) {
                listening.close();
            }
            group.stop();
            throw e;
        }
        Acceptor accepting = new Acceptor(listening, this, group.first());
        this.acceptor = accepting;
        this.loops = group;
        if (closed.get()) {
            // A close() that ran while this bound found no loops to stop; it is done here instead.
            group.stop();
            listening.close();
            throw new IllegalStateException("the server was closed");
        }
        ServerSocketChannel bound = listening;
        group.first().execute(() -> {
            try {
                group.first().register(bound, SelectionKey.OP_ACCEPT, accepting);
            } catch (IOException | ClosedSelectorException e) {
                // Closed before the loop got to this (a close right after start): the socket is closed all the same,
                // or the port would stay bound with nothing to ever close it.
                if (!closed.get()) {
                    LoopLog.log(Level.ERROR, "cannot register the listening socket", e);
                }
                accepting.close();
            }
        });
    }

    /** @return the bound address; after close, the one it was bound to (the field is never cleared) */
    public InetSocketAddress address() {
        InetSocketAddress bound = address;
        if (bound == null) {
            throw new IllegalStateException("the server is not started");
        }
        return bound;
    }

    /** @param channel an accepted connection, given to the next loop */
    void adopt(SocketChannel channel) {
        EventLoop loop = loops.next();
        if (loop.inLoop()) {
            register(loop, channel);
        } else {
            loop.execute(() -> register(loop, channel));
        }
    }

    private void register(EventLoop loop, SocketChannel channel) {
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Transport transport = PlainTransport.INSTANCE;
            if (spec.tls() != null) {
                SSLEngine engine = spec.tls().createSSLEngine();
                engine.setUseClientMode(false);
                // Without a customizer the engine keeps the context's parameters: reading and setting them back
                // would only cost (for a native engine, calls into the library for every connection).
                if (spec.tlsParameters() != null) {
                    SSLParameters parameters = engine.getSSLParameters();
                    try {
                        spec.tlsParameters().accept(parameters);
                    } catch (RuntimeException e) {
                        // The application's code, failing for every connection: said once in a while, not at DEBUG.
                        TLS_PARAMETERS_FAILURES.warn("the tlsParameters customizer failed; closing the connection",
                                e);
                        throw e;
                    }
                    engine.setSSLParameters(parameters);
                }
                transport = new TlsTransport(new TlsAdapter(engine, loop.arrays));
            }
            ChannelDriver driver = new ChannelDriver(loop, transport, spec.session());
            driver.startConnected(channel, new ServerUpgrade(driver, this));
        } catch (IOException | RuntimeException | Error e) {
            // An Error too (out of memory for this connection's objects): it costs this connection, not the loop.
            LoopLog.log(Level.DEBUG, "cannot set up an accepted connection: " + e, null);
            try {
                channel.close();
            } catch (IOException ignored) {
                // It is being dropped anyway.
            }
        }
    }

    /** @return the sum of the loops' counters */
    public ServerStats stats() {
        LoopGroup group = loops;
        return group == null ? new ServerStats(0, 0, 0, 0, 0) : group.stats();
    }

    /**
     * Stops accepting, closes every session with 1001, waits for them, then closes.
     *
     * @param nanos how long to wait
     * @return whether every connection closed in time
     */
    public boolean shutdown(long nanos) {
        LoopGroup group = loops;
        if (group == null || closed.get()) {
            close();
            return true;
        }
        group.requireOutsideLoops();
        long deadline = System.nanoTime() + nanos;
        CompletableFuture<Void> drained = new CompletableFuture<>();
        group.first().execute(() -> {
            acceptor.close();
            // Posted from the accepting loop once it accepts no more: a connection it handed to another loop just
            // before is registered there ahead of the going-away, and so gets its 1001 too.
            group.goAway().thenRun(() -> drained.complete(null));
        });
        boolean clean;
        try {
            drained.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            clean = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            clean = false;
        } catch (Exception e) {
            clean = false;
        }
        close();
        return clean;
    }

    /** Closes the listening socket and every connection, and stops the loops. */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LoopGroup group = loops;
        if (group != null) {
            if (!group.stop()) {
                EventLoop.LOG.log(Level.WARNING, "an event loop did not stop in time: a callback may be blocking it");
            }
            // Closed by its loop as it stopped, unless the loop stopped before the socket was registered with it:
            // the port is free once this returns either way.
            acceptor.closeSocket();
        }
    }

    /**
     * @param sessions the recipients
     * @param message the message
     * @return how many sessions queued it, and which did not and why
     */
    public static BroadcastResult broadcast(Collection<? extends Session> sessions, PreparedMessage message) {
        int queued = 0;
        List<BroadcastResult.Skipped> skipped = null;
        for (Session session : sessions) {
            Throwable cause = session instanceof WebSocketSession own ? own.offer(message) : sendNow(session, message);
            if (cause == null) {
                queued++;
                continue;
            }
            if (skipped == null) {
                skipped = new ArrayList<>();
            }
            skipped.add(new BroadcastResult.Skipped(session, reason(session, cause), cause));
        }
        return new BroadcastResult(queued, skipped == null ? List.of() : skipped);
    }

    /**
     * A session of the application's own making (a wrapper, say). What its send throws (or its future, if it gives
     * none) is its refusal: the broadcast goes on to the sessions after it.
     *
     * @return null if not refused at once
     */
    private static Throwable sendNow(Session session, PreparedMessage message) {
        try {
            CompletableFuture<Void> sent = session.send(message);
            if (!sent.isCompletedExceptionally()) {
                return null;
            }
            Throwable cause = sent.handle((ignored, failure) -> failure).join();
            return cause instanceof CompletionException wrapped && wrapped.getCause() != null ? wrapped.getCause()
                    : cause;
        } catch (RuntimeException e) {
            EventLoop.LOG.log(Level.WARNING, "a broadcast skipped a session whose send threw: "
                    + session.getClass().getName(), e);
            return e;
        }
    }

    private static BroadcastResult.Reason reason(Session session, Throwable cause) {
        if (cause instanceof OutboundLimitExceededException) {
            return BroadcastResult.Reason.OUTBOUND_LIMIT;
        }
        // A send during the closing handshake fails with IllegalStateException; the session is not open then.
        if (cause instanceof IOException || !isOpen(session)) {
            return BroadcastResult.Reason.CLOSED;
        }
        return BroadcastResult.Reason.REFUSED;
    }

    /** @return whether the session says it is open; one of the application's own that throws is taken as open */
    private static boolean isOpen(Session session) {
        try {
            return session.isOpen();
        } catch (RuntimeException e) {
            return true;
        }
    }
}
