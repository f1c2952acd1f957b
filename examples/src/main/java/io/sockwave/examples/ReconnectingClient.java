package io.sockwave.examples;

import io.sockwave.Client;
import io.sockwave.Listener;
import io.sockwave.Session;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A client that stays connected: when the connection fails or closes, it connects again after a delay that doubles
 * from 100 ms up to 5 s, and resets once a connection opens. Messages go to the given listener; {@link #close()}
 * stops for good. Run with {@code java io.sockwave.examples.ReconnectingClient ws://localhost:8080/echo}.
 */
public final class ReconnectingClient implements AutoCloseable {
    private static final Duration FIRST_DELAY = Duration.ofMillis(100);
    private static final Duration MAX_DELAY = Duration.ofSeconds(5);

    private final Client client = Client.create();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "reconnect-timer");
        thread.setDaemon(true);
        return thread;
    });
    private final URI uri;
    private final Listener listener;
    private volatile Duration delay = FIRST_DELAY;
    private volatile boolean closed;
    private volatile CompletableFuture<Session> current = new CompletableFuture<>();

    /**
     * @param uri where to connect
     * @param listener receives each connection's events; {@code onClose} is followed by a reconnection
     */
    public ReconnectingClient(URI uri, Listener listener) {
        this.uri = uri;
        this.listener = listener;
        connect();
    }

    /** @return completes with the session once connected; a new future after each reconnection */
    public CompletableFuture<Session> session() {
        return current;
    }

    private void connect() {
        if (closed) {
            return;
        }
        client.connect(uri, new Listener() {
            @Override
            public void onOpen(Session session) {
                delay = FIRST_DELAY;
                listener.onOpen(session);
                current.complete(session);
            }

            @Override
            public void onText(Session session, String text) {
                listener.onText(session, text);
            }

            @Override
            public void onClose(Session session, int code, String reason) {
                listener.onClose(session, code, reason);
                current = new CompletableFuture<>();
                retryLater();
            }
        }).exceptionally(failure -> {
            retryLater();
            return null;
        });
    }

    private void retryLater() {
        if (closed) {
            return;
        }
        Duration wait = delay;
        delay = wait.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : wait.multipliedBy(2);
        timer.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops reconnecting and closes the connection. */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        client.close();
    }

    /**
     * @param args the URI to connect to
     * @throws InterruptedException if interrupted while running
     */
    public static void main(String[] args) throws InterruptedException {
        try (ReconnectingClient reconnecting = new ReconnectingClient(URI.create(args[0]), new Listener() {
            @Override
            public void onOpen(Session session) {
                session.sendText("hello");
            }

            @Override
            public void onText(Session session, String text) {
                System.out.println(text);
            }
        })) {
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
