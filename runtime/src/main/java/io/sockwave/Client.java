package io.sockwave;

import io.sockwave.runtime.ClientEngine;
import io.sockwave.runtime.HostResolver;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

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
     * ({@code ws://127.0.0.1/}, {@code ws://[::1]/}) is parsed where it stands and looked up nowhere. A redirect's
     * host is looked up the same way.
     *
     * <p>The {@link ClientOptions.Builder#connectTimeout connect timeout} counts from this call and covers the
     * lookup and the TCP connection together; when it passes during the lookup the future fails with a
     * {@link java.util.concurrent.TimeoutException} naming the host, and the lookup's late answer is dropped
     * without opening a socket. Cancelling the future before the lookup is done likewise opens no socket; cancelling
     * it (or failing it, as {@link CompletableFuture#orTimeout} does) while the TCP connection or the opening handshake
     * is under way closes the socket at once.
     *
     * @param uri a ws:// or wss:// URI
     * @param options how to connect
     * @param listener receives the session's events once it is open
     * @return completes with the open session, as {@link #connect(URI, Listener)} does; fails with a
     *     {@link java.net.UnknownHostException} whose message is the host when the name has no address
     * @throws IllegalArgumentException if the URI is not an absolute ws or wss URI with a host
     * @throws IllegalStateException if the client is closed
     */
    public CompletableFuture<Session> connect(URI uri, ClientOptions options, Listener listener) {
        return engine.connect(uri, options.spec(), Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Closes every connection without a closing handshake and stops the event loops, as {@link Server#close()}
     * does; pending connects fail. Idempotent.
     */
    @Override
    public void close() {
        engine.close();
    }
}
