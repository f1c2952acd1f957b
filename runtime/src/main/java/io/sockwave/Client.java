package io.sockwave;

import io.sockwave.runtime.ClientEngine;
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
 * {@link io.sockwave.protocol.handshake.HandshakeException} saying what was wrong. Thread-safe.
 */
public final class Client implements AutoCloseable {
    private final ClientEngine engine;

    private Client(int eventLoops) {
        this.engine = new ClientEngine(eventLoops);
    }

    /** @return a client with one event loop */
    public static Client create() {
        return new Client(1);
    }

    /**
     * @param eventLoops the number of event loops (selector threads) to spread connections over, at least 1
     * @return the client
     */
    public static Client create(int eventLoops) {
        if (eventLoops < 1) {
            throw new IllegalArgumentException("eventLoops must be at least 1, was " + eventLoops);
        }
        return new Client(eventLoops);
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
     * @param uri a ws:// or wss:// URI
     * @param options how to connect
     * @param listener receives the session's events once it is open
     * @return completes with the open session, as {@link #connect(URI, Listener)} does
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
