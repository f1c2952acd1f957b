package io.sockwave;

import io.sockwave.protocol.CloseCode;
import io.sockwave.runtime.ClientEngine;
import io.sockwave.runtime.HostResolver;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A WebSocket client: opens ws:// and wss:// connections on its own event loops.
 *
 * <pre>{@code
 * try (Client client = Client.create()) {
 *     Session session = client.connect(URI.create("ws://localhost:8080/echo"), new Listener() {
 *         public void onText(Session s, String text) {
 *             System.out.println(text);
 *         }
 *     }).get(10, TimeUnit.SECONDS);
 *     session.sendText("hello");
 *     session.close();
 *     client.shutdown(Duration.ofSeconds(5)); // waits for the closing handshake, so the echo is printed first
 * }
 * }</pre>
 *
 * <p>The server's handshake response is checked as RFC 6455 §4.1 asks; a failed check fails the connect with a
 * {@link io.sockwave.protocol.handshake.HandshakeException} saying what was wrong. When the server refuses (any
 * status but 101, and redirects not followed), the exception carries the status, the response's headers and the
 * start of its body: at most {@value #MAX_REFUSAL_BODY} bytes, read until {@code Content-Length} is reached, the
 * server closes, or the handshake timeout. Thread-safe.
 *
 * <p>Besides its event loops a client owns up to four daemon threads named {@code sockwave-client-N-resolver-M}
 * that look host names up (see {@link #connect(URI, ClientOptions, Listener)}); they start on demand, end after 10
 * idle seconds, and stop with {@link #close()}.
 */
public final class Client implements AutoCloseable {
    /** How much of a refusing response's body a {@code HandshakeException} carries, at most: 4 KiB. */
    public static final int MAX_REFUSAL_BODY = 4096;

    private final ClientEngine engine;
    /** The reconnecting sessions that have not ended, for {@link #shutdown} to close. */
    private final Set<ReconnectingSession> reconnecting = new HashSet<>();
    /**
     * Why no reconnecting session starts any more, set when {@link #shutdown} or {@link #close} begins; null until
     * then. Guarded by reconnecting.
     */
    private String stopped;

    private Client(ClientEngine engine) {
        this.engine = engine;
    }

    /** @return a client with one event loop */
    public static Client create() {
        return create(1);
    }

    /**
     * @param eventLoops the number of event loops (selector threads) to spread connections over, at least 1
     * @return the client
     */
    public static Client create(int eventLoops) {
        if (eventLoops < 1) {
            throw new IllegalArgumentException("eventLoops must be at least 1, was " + eventLoops);
        }
        return new Client(new ClientEngine(eventLoops));
    }

    /** A client whose host names are looked up by {@code resolver}, for tests that control the lookup. */
    static Client create(int eventLoops, HostResolver resolver) {
        return new Client(new ClientEngine(eventLoops, resolver));
    }

    /**
     * Connects with {@link ClientOptions#defaults()}.
     *
     * @param uri a ws:// or wss:// URI
     * @param listener receives the session's events once it is open
     * @return completes with the open session, after {@link Listener#onOpen}; fails with
     *     {@link java.io.IOException} when the connection cannot be made,
     *     {@link io.sockwave.protocol.handshake.HandshakeException} when the handshake is refused or invalid, or
     *     {@link java.util.concurrent.TimeoutException}
     * @throws IllegalArgumentException if the URI is not an absolute ws or wss URI with a host and a port no larger
     *     than 65535
     * @throws IllegalStateException if the client is closed or shutting down
     */
    public CompletableFuture<Session> connect(URI uri, Listener listener) {
        return connect(uri, ClientOptions.defaults(), listener);
    }

    /**
     * Starts connecting and returns at once: the calling thread never waits for a host name lookup or the network,
     * and no event loop waits for a lookup either.
     *
     * <p>A host name is looked up by the JVM's name service ({@link java.net.InetAddress#getAllByName}, with its
     * cache) on one of the client's resolver threads, because such a lookup blocks and cannot be interrupted. Those
     * threads belong to the client rather than to the options' callback executor: a slow name server then delays
     * only connects, never listener callbacks. At most four lookups run at once; more wait their turn. A name with
     * several addresses is tried address after address, in the name service's order, until one accepts. An IP literal
     * ({@code ws://127.0.0.1/}, {@code ws://[::1]/}) is parsed where it stands and looked up nowhere; an IPv6 zone
     * ({@code ws://[fe80::1%25eth0]/}, in the syntax of RFC 6874, since obsoleted by RFC 9844 but still read by curl)
     * picks the interface and is sent neither in {@code Host} nor to a proxy, nor given to TLS: a wss:// connection to
     * a literal sends no SNI (RFC 6066 §3) and checks the certificate's IP address entries against the address
     * without its zone. A redirect's host is looked up the same way.
     *
     * <p>The {@link ClientOptions.Builder#connectTimeout connect timeout} counts from this call and covers the
     * lookup and the TCP connection together (with the handshake timeout, it also bounds a chain of redirects);
     * when it passes during the lookup the future fails with a {@link java.util.concurrent.TimeoutException} naming
     * the host, and the lookup's late answer is dropped without opening a socket. Cancelling the future before the
     * lookup is done likewise opens no socket; cancelling it (or failing it, as {@link CompletableFuture#orTimeout}
     * does) while the TCP connection or the opening handshake is under way closes the socket at once.
     *
     * @param uri a ws:// or wss:// URI
     * @param options how to connect
     * @param listener receives the session's events once it is open
     * @return completes with the open session, as {@link #connect(URI, Listener)} does; fails with a
     *     {@link java.net.UnknownHostException} whose message is the host when the name has no address
     * @throws IllegalArgumentException if the URI is not an absolute ws or wss URI with a host, a port no larger than
     *     65535 and no fragment, or its user information is not valid Basic credentials, or its host is a name longer
     *     than the 255 bytes a {@link Proxy.Type#SOCKS5 SOCKS5} proxy chosen for it can be asked for (RFC 1928 §5);
     *     nothing is sent ({@link ClientOptions.Builder#build}
     *     refuses options that could make no valid request)
     * @throws IllegalStateException if the client is closed or shutting down
     */
    public CompletableFuture<Session> connect(URI uri, ClientOptions options, Listener listener) {
        return engine.connect(uri, options.spec(), Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Connects, and connects again each time the session ends other than by
     * {@link ReconnectingSession#close(int, String)}, as the policy says; see {@link ReconnectingSession}. Returns at
     * once; the first try starts now.
     *
     * @param uri a ws:// or wss:// URI
     * @param options how to connect, each time
     * @param policy when to try again, when to give up, and what to do with messages sent while disconnected
     * @param listener receives each session's events; its {@link Listener#onOpen} runs on each fresh session
     *     before the messages held for it are sent
     * @param observer told of each change of state, in order; must not block; an exception it throws is logged
     * @return the reconnecting session; on a closed client or one shutting down, one that has already given up
     * @throws IllegalArgumentException as {@link #connect(URI, ClientOptions, Listener)} does, before any try and
     *     any status
     */
    public ReconnectingSession connectReconnecting(URI uri, ClientOptions options, ReconnectPolicy policy,
                                                   Listener listener,
                                                   Consumer<ReconnectingSession.Status> observer) {
        return ReconnectingSession.start(this, uri, options, policy, listener, observer);
    }

    /** @return null when the session may go on, else why not: {@link #shutdown} or {@link #close} has begun */
    String track(ReconnectingSession session) {
        synchronized (reconnecting) {
            if (stopped == null) {
                reconnecting.add(session);
            }
            return stopped;
        }
    }

    /** @return whether the calling thread is one of this client's event loops */
    boolean isLoopThread() {
        return engine.isLoopThread();
    }

    void untrack(ReconnectingSession session) {
        synchronized (reconnecting) {
            reconnecting.remove(session);
        }
    }

    /**
     * Shuts down gracefully, as {@link Server#shutdown(Duration)} does: connects fail from now on, those under way
     * (the lookup, the TCP connection, a proxy's tunnel or the opening handshake) fail with an
     * {@link java.io.IOException}, and every open session is sent a close with 1001 (going away) and the reason
     * {@code "client shutting down"}; then it waits up to {@code timeout} for the closing handshakes and closes
     * whatever is left as {@link #close()} does.
     *
     * <p>Each session's {@link Listener#onClose} gets the code the server closes with: 1001 when it echoes this end's
     * close, as RFC 6455 §5.5.1 has it (a Sockwave server does, with an empty reason), or its own code when its close
     * crossed this end's. A session whose server has not answered by the timeout gets 1006, as after
     * {@link #close()}; so does one whose server has not answered within the session's
     * {@link SessionSettings#closeTimeout close timeout}, when that is the shorter.
     *
     * <p>Every {@link ReconnectingSession} of this client is closed as by
     * {@link ReconnectingSession#close(int, String) close(1001, "client shutting down")}: it ends {@code CLOSED} and
     * never tries again; one created from now on has given up at once.
     *
     * <p>Idempotent; on a closed client it returns true at once.
     *
     * @param timeout how long to wait for the sessions to close
     * @return whether every connection ended, and every reconnecting session with it, within the timeout
     * @throws IllegalStateException if called on one of this client's event loops (from a callback that runs
     *     there), which the call would wait for; call it from another thread
     */
    public boolean shutdown(Duration timeout) {
        return engine.shutdown(SessionSettings.notNegative("timeout", timeout).toNanos(), this::closeReconnecting);
    }

    /** @return completes once every reconnecting session, closed with 1001 now, has ended */
    private CompletableFuture<?> closeReconnecting() {
        ReconnectingSession[] owned = stopReconnecting(ClientEngine.SHUTTING_DOWN);
        CompletableFuture<?>[] ended = new CompletableFuture<?>[owned.length];
        for (int i = 0; i < owned.length; i++) {
            ended[i] = owned[i].close(CloseCode.GOING_AWAY, ClientEngine.GOING_AWAY_REASON);
        }
        return CompletableFuture.allOf(ended);
    }

    /**
     * @param why what a reconnecting session started from now on gives up with, unless a reason is given already
     * @return the reconnecting sessions not ended, once none may start any more
     */
    private ReconnectingSession[] stopReconnecting(String why) {
        synchronized (reconnecting) {
            if (stopped == null) {
                stopped = why;
            }
            return reconnecting.toArray(new ReconnectingSession[0]);
        }
    }

    /** @return what the client's loops hold, as {@link Server#stats()} counts it; for leak checks in tests */
    ServerStats stats() {
        return engine.stats();
    }

    /**
     * Closes every connection without a closing handshake and stops the event loops, as {@link Server#close()}
     * does; pending connects fail, and each session's {@link Listener#onClose} gets 1006. {@link #shutdown} closes
     * them with 1001 first. Every {@link ReconnectingSession} of this client stops as well and ends {@code CLOSED}
     * (one with an open session once its {@code onClose} has run), never trying again. Idempotent.
     */
    @Override
    public void close() {
        for (ReconnectingSession session : stopReconnecting(ClientEngine.CLOSED)) {
            session.clientClosed();
        }
        engine.close();
    }
}
