package io.sockwave.runtime;

import io.sockwave.Listener;
import io.sockwave.Proxy;
import io.sockwave.ServerStats;
import io.sockwave.Session;
import io.sockwave.protocol.handshake.ClientHandshake;
import io.sockwave.protocol.handshake.HttpHeaders;
import io.sockwave.tls.TlsAdapter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The running part of {@link io.sockwave.Client}: its loops, its {@link ResolverPool resolver threads}, and the start
 * of each connection.
 */
public final class ClientEngine {
    private static final AtomicInteger CLIENTS = new AtomicInteger();
    /** Why a connect fails once a graceful shutdown has begun. */
    public static final String SHUTTING_DOWN = "the client is shutting down";
    /** Why a connect fails once the client is closed. */
    public static final String CLOSED = "the client is closed";
    /** The reason of the 1001 a graceful shutdown closes each session with. */
    public static final String GOING_AWAY_REASON = "client shutting down";
    private static final String PROXY_AUTHORIZATION = "Proxy-Authorization";

    private final LoopGroup loops;
    private final ResolverPool resolvers;
    private final SessionIds sessionIds;
    private volatile boolean closed;
    /** Set when a graceful shutdown begins: no connection starts from then on. */
    private volatile boolean stopping;

    /** @param eventLoops how many loops to run */
    public ClientEngine(int eventLoops) {
        this(eventLoops, HostResolver.SYSTEM);
    }

    /**
     * @param eventLoops how many loops to run
     * @param resolver looks host names up, on the engine's resolver threads
     */
    public ClientEngine(int eventLoops, HostResolver resolver) {
        int number = CLIENTS.incrementAndGet();
        String name = "sockwave-client-" + number;
        this.sessionIds = new SessionIds("c" + number + "-");
        this.loops = new LoopGroup(name, eventLoops, true);
        this.resolvers = new ResolverPool(name, resolver);
    }

    SessionIds sessionIds() {
        return sessionIds;
    }

    /**
     * @param uri a ws or wss URI
     * @param spec how to connect
     * @param listener the session's listener
     * @return completes with the open session
     */
    public CompletableFuture<Session> connect(URI uri, ClientSpec spec, Listener listener) {
        String refusal = refusal();
        if (refusal != null) {
            throw new IllegalStateException(refusal);
        }
        ClientHandshake handshake = handshake(uri, spec);
        CompletableFuture<Session> result = new CompletableFuture<>();
        long now = System.nanoTime();
        Chain chain = new Chain(spec.maxRedirects(), 0, now + spec.connectNanos() + spec.session().handshakeNanos(),
                null);
        start(uri, spec, listener, result, chain, handshake, now);
        return result;
    }

    /**
     * What the hops of one connect share, from the call to connect to the last redirect.
     *
     * @param redirectsLeft redirects still to follow
     * @param followed redirects followed so far
     * @param deadline when the whole opening must be done, in {@link System#nanoTime()} units: the connect timeout
     *     plus the handshake timeout after the call to connect, so that no chain of redirects outlasts one opening
     * @param proxy the proxy of the current hop once chosen; on the way to the next hop, the one that redirected;
     *     null before the first hop's is chosen
     */
    record Chain(int redirectsLeft, int followed, long deadline, Proxy proxy) {
        /** @return the chain for the hop a redirect leads to; it keeps this hop's proxy, to compare with its own */
        Chain redirected() {
            return new Chain(redirectsLeft - 1, followed + 1, deadline, proxy);
        }

        /** @return the earlier of {@code hopDeadline} and the chain's deadline */
        long bound(long hopDeadline) {
            return hopDeadline - deadline < 0 ? hopDeadline : deadline;
        }

        /** @return whether the chain's deadline, rather than one hop's own timeout, is what {@code hopDeadline} met */
        boolean bounds(long hopDeadline) {
            return hopDeadline - deadline >= 0;
        }
    }

    /**
     * @param uri where to connect
     * @param spec how
     * @return the opening handshake for that URI with those options
     * @throws IllegalArgumentException if they make no valid request: not a ws or wss URI with a host, a
     *     subprotocol that is not a token or is offered twice, a header the handshake writes itself
     */
    public static ClientHandshake handshake(URI uri, ClientSpec spec) {
        return new ClientHandshake(uri, spec.headers(), spec.session().subprotocols(), spec.session().extensions());
    }

    /**
     * Refuses what {@link #connect(URI, ClientSpec, Listener)} would refuse before trying, without trying.
     *
     * @param uri where to connect
     * @param spec how
     * @throws IllegalArgumentException as {@link #handshake} does, or when the URI's host is a name too long for the
     *     SOCKS5 proxy chosen for it; a chooser that throws is left for the connect to report
     */
    public static void requireConnectable(URI uri, ClientSpec spec) {
        handshake(uri, spec);
        Proxy proxy;
        try {
            proxy = spec.proxies().choose(uri);
        } catch (RuntimeException e) {
            return;
        }
        if (proxy != null) {
            Socks5Tunnel.requireSendable(proxy, hostWithoutZone(uri));
        }
    }

    /** Connects again after a redirect, failing the future rather than throwing. */
    void connect(URI uri, ClientSpec spec, Listener listener, CompletableFuture<Session> result, Chain chain) {
        ClientHandshake handshake;
        try {
            handshake = handshake(uri, spec);
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(e);
            return;
        }
        start(uri, spec, listener, result, chain, handshake, System.nanoTime());
    }

    private void start(URI uri, ClientSpec spec, Listener listener, CompletableFuture<Session> result,
                       Chain chain, ClientHandshake handshake, long now) {
        String refusal = refusal();
        if (refusal != null) {
            result.completeExceptionally(new IOException(refusal));
            return;
        }
        // One deadline for looking the host up, establishing the TCP connection and opening a proxy's tunnel; a
        // redirect's hop gets no more than what is left of the whole opening's.
        long deadline = chain.bound(now + spec.connectNanos());
        Proxy proxy;
        try {
            proxy = Objects.requireNonNull(spec.proxies().choose(uri), "the proxy chooser answered null");
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        try {
            Socks5Tunnel.requireSendable(proxy, hostWithoutZone(uri));
        } catch (IllegalArgumentException e) {
            // The first hop is the caller's URI, refused as connect refuses any URI it cannot ask for; a redirect's
            // target is the server's, which fails the future as a redirect to no WebSocket URI does.
            if (chain.proxy() == null) {
                throw e;
            }
            result.completeExceptionally(e);
            return;
        }
        // A Proxy-Authorization field is the proxy's: it follows redirects while the proxy stays the same, and is
        // dropped, for the rest of the chain, once a target goes through another proxy or none.
        boolean proxyChanged = chain.proxy() != null && !chain.proxy().equals(proxy);
        ClientSpec hopSpec = proxyChanged && spec.headers().count(PROXY_AUTHORIZATION) > 0
                ? spec.withHeaders(without(spec.headers(), PROXY_AUTHORIZATION)) : spec;
        Chain hop = new Chain(chain.redirectsLeft(), chain.followed(), chain.deadline(), proxy);
        boolean direct = proxy.type() == Proxy.Type.DIRECT;
        // A Proxy-Authorization field set by hand is for the proxy (RFC 9110 §11.7.2): the HTTP proxy gets it with
        // CONNECT, and nothing inside the tunnel, where only the server listens, carries it.
        ClientHandshake sent = direct && !proxyChanged || spec.headers().count(PROXY_AUTHORIZATION) == 0 ? handshake
                : new ClientHandshake(uri, without(spec.headers(), PROXY_AUTHORIZATION),
                        spec.session().subprotocols(), spec.session().extensions());
        // What the resolver or the proxy's timeout names: this hop's share of the connect timeout.
        long connectNanos = Math.max(0, deadline - now);
        // Through a proxy only the proxy's name is looked up here: it resolves the server's itself.
        String host = direct ? host(uri) : proxy.host();
        int port = direct ? port(uri) : proxy.port();
        EventLoop loop = loops.next();
        InetAddress literal;
        try {
            literal = IpLiteral.parse(host);
        } catch (UnknownHostException e) {
            result.completeExceptionally(e);
            return;
        }
        if (literal != null) {
            InetAddress[] addresses = {literal};
            loop.execute(() -> open(loop, uri, new Attempt(addresses, 0, port, deadline, proxy), hopSpec, listener,
                    result, hop, sent));
        } else {
            resolvers.resolve(host, loop, deadline, connectNanos, result, addresses -> open(loop, uri,
                    new Attempt(addresses, 0, port, deadline, proxy), hopSpec, listener, result, hop, sent));
        }
    }

    /** @return a copy of the headers without the fields of that name */
    private static HttpHeaders without(HttpHeaders headers, String name) {
        HttpHeaders kept = new HttpHeaders();
        headers.forEach((field, value) -> {
            if (!field.equalsIgnoreCase(name)) {
                kept.add(field, value);
            }
        });
        return kept;
    }

    /**
     * One try at a TCP connection: which of the host's addresses, under the connect deadline.
     *
     * @param addresses every address the host has, in the order to try them
     * @param index the one to try now
     * @param port the port
     * @param deadline the connect deadline, in {@link System#nanoTime()} units, shared by every try
     * @param proxy the proxy whose addresses these are, or {@link Proxy#DIRECT} when they are the server's
     */
    record Attempt(InetAddress[] addresses, int index, int port, long deadline, Proxy proxy) {
        InetSocketAddress address() {
            return new InetSocketAddress(addresses[index], port);
        }

        /** @return the try at the host's next address, or null when this was the last */
        Attempt next() {
            return index + 1 < addresses.length ? new Attempt(addresses, index + 1, port, deadline, proxy) : null;
        }
    }

    /**
     * Opens a connection to one of the host's addresses; a host with several is tried address after address, in
     * order, while the connect deadline lasts, until one accepts (a refused or unreachable address is not the end).
     */
    void open(EventLoop loop, URI uri, Attempt attempt, ClientSpec spec, Listener listener,
              CompletableFuture<Session> result, Chain chain, ClientHandshake handshake) {
        if (result.isDone()) {
            // Cancelled, timed out by the caller, or the client closed, while this task waited for the loop.
            return;
        }
        String refusal = refusal();
        if (refusal != null) {
            result.completeExceptionally(new IOException(refusal));
            return;
        }
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            // Before the first phase arms its timer and queues its request: a connect that throws at once (an
            // address no socket takes, a network with no route) has then nothing to take back but the socket.
            boolean connected = channel.connect(attempt.address());
            boolean tunnel = attempt.proxy().type() != Proxy.Type.DIRECT;
            // Through a proxy, TLS starts inside the tunnel once it is open, not with the proxy.
            Transport transport = isSecure(uri) && !tunnel
                    ? new TlsTransport(new TlsAdapter(engine(uri, spec), loop.arrays))
                    : PlainTransport.INSTANCE;
            ChannelDriver driver = new ChannelDriver(loop, transport, spec.session());
            Attempt next = attempt.next();
            Runnable fallback = next == null ? null
                    : () -> open(loop, uri, next, spec, listener, result, chain, handshake);
            // What the proxy's timeout names: no more than is left of the opening, after a redirect.
            long tunnelNanos = Math.max(0, Math.min(spec.connectNanos(), chain.deadline() - System.nanoTime()));
            Phase first = tunnel
                    ? ProxyTunnel.create(driver, attempt.proxy(), hostWithoutZone(uri), port(uri), result, fallback,
                            attempt.deadline(), tunnelNanos,
                            spec.session().limits(), spec.headers().all(PROXY_AUTHORIZATION),
                            () -> throughTunnel(driver, uri, spec, listener, result, chain, handshake))
                    : new ClientUpgrade(driver, this, uri, spec, listener, result, chain, handshake,
                            attempt.deadline(), fallback);
            if (connected) {
                driver.startConnected(channel, first);
                first.onConnected();
            } else {
                driver.startConnecting(channel, first);
            }
            // A caller that gives up (cancel, orTimeout) before the session opens gets its socket closed now, not
            // when the handshake would have ended. Once the session is handed over, closing it is the caller's call.
            result.whenComplete((session, error) -> {
                if (error != null) {
                    loop.execute(() -> driver.abort("the connect was abandoned: " + error));
                }
            });
        } catch (IOException | RuntimeException | NoSuchAlgorithmException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // Already failing.
                }
            }
            Attempt next = attempt.next();
            if (e instanceof IOException && next != null && System.nanoTime() - attempt.deadline() < 0) {
                open(loop, uri, next, spec, listener, result, chain, handshake);
            } else {
                result.completeExceptionally(e);
            }
        }
    }

    /**
     * The proxy opened its tunnel: TLS for wss, then the opening handshake, whose deadline starts now, within what is
     * left of the opening's.
     */
    private void throughTunnel(ChannelDriver driver, URI uri, ClientSpec spec, Listener listener,
                               CompletableFuture<Session> result, Chain chain, ClientHandshake handshake)
            throws NoSuchAlgorithmException, IOException {
        if (isSecure(uri)) {
            driver.useTransport(new TlsTransport(new TlsAdapter(engine(uri, spec), driver.loop.arrays)));
        }
        ClientUpgrade upgrade = new ClientUpgrade(driver, this, uri, spec, listener, result, chain, handshake,
                chain.bound(driver.loop.now() + spec.session().handshakeNanos()), null);
        driver.switchTo(upgrade);
        upgrade.onConnected();
    }

    private static SSLEngine engine(URI uri, ClientSpec spec) throws NoSuchAlgorithmException {
        SSLContext context = spec.sslContext() != null ? spec.sslContext() : SSLContext.getDefault();
        // The engine's peer host names the server for the session cache and endpoint identification, which matches
        // an IP literal against the certificate's iPAddress entries: a zone names an interface of this host only.
        String host = hostWithoutZone(uri);
        SSLEngine engine = context.createSSLEngine(host, port(uri));
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        // SNI carries host names only (RFC 6066 §3): no IPv4 or IPv6 literal.
        if (!IpLiteral.looksLiteral(host)) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        spec.tlsParameters().accept(parameters);
        engine.setSSLParameters(parameters);
        return engine;
    }

    private static boolean isSecure(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT).equals("wss");
    }

    /**
     * @return the host without the brackets URI keeps around an IPv6 literal; a zone after {@code %25} (RFC 6874 §2,
     *     the percent sign percent-encoded) as the JDK reads one, after a bare {@code %}
     */
    private static String host(URI uri) {
        String host = uri.getHost();
        if (!host.startsWith("[")) {
            return host;
        }
        String literal = host.substring(1, host.length() - 1);
        int zone = literal.indexOf('%');
        return zone >= 0 && literal.startsWith("25", zone + 1) && literal.length() > zone + 3
                ? literal.substring(0, zone + 1) + literal.substring(zone + 3) : literal;
    }

    /**
     * @return the host as the server knows it, for a proxy to reach and for TLS: without the zone of an IPv6 literal,
     *     which means nothing but here
     */
    private static String hostWithoutZone(URI uri) {
        String host = host(uri);
        int zone = host.indexOf('%');
        return zone < 0 ? host : host.substring(0, zone);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : isSecure(uri) ? 443 : 80;
    }

    /**
     * @return what the client's loops hold, counted as for a server: connections (those still connecting included),
     *     sessions, queued bytes, timers and buffers
     */
    public ServerStats stats() {
        return loops.stats();
    }

    /** @return why no connection may start now, or null while they may */
    private String refusal() {
        return closed ? CLOSED : stopping ? SHUTTING_DOWN : null;
    }

    /** @return whether the calling thread is one of the client's event loops, which must not wait for a session */
    public boolean isLoopThread() {
        return loops.isLoopThread();
    }

    /**
     * Stops starting connections, fails those under way, closes every session with 1001, waits for them, then
     * closes.
     *
     * @param nanos how long to wait
     * @param first runs before connections stop starting, once the shutdown goes ahead; what it returns is waited
     *     for as well
     * @return whether every connection ended, and what {@code first} returned completed, in time; true at once if
     *     closed already
     * @throws IllegalStateException if called on one of the client's loops, which it would wait for
     */
    public boolean shutdown(long nanos, Supplier<CompletableFuture<?>> first) {
        if (closed) {
            return true;
        }
        loops.requireOutsideLoops();
        long deadline = System.nanoTime() + nanos;
        CompletableFuture<?> also = first.get();
        stopping = true;
        resolvers.close();
        CompletableFuture<Void> drained = loops.goAway();
        boolean clean;
        try {
            CompletableFuture.allOf(also, drained).get(Math.max(0, deadline - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
            clean = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            clean = false;
        } catch (ExecutionException | TimeoutException e) {
            clean = false;
        }
        close();
        return clean;
    }

    /** Closes every connection, stops the loops and the resolver threads, and fails connects still resolving. */
    public void close() {
        closed = true;
        resolvers.close();
        loops.stop();
    }
}
