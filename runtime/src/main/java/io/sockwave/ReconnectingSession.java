package io.sockwave;

import io.sockwave.protocol.Opcode;
import io.sockwave.protocol.handshake.HandshakeException;
import io.sockwave.protocol.handshake.RedactedUrl;
import io.sockwave.runtime.ClientEngine;
import io.sockwave.runtime.Durations;
import io.sockwave.runtime.SendArguments;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A connection that a {@link Client} opens again, as its {@link ReconnectPolicy} says, each time it ends other than
 * by {@link #close}: one {@link Session} after another, with the application's {@link Listener} on each.
 *
 * <p>{@link Client#shutdown} closes it with 1001 (going away), as {@code close(1001, "client shutting down")} would:
 * it ends {@code CLOSED}.
 *
 * <p>Each fresh session's {@link Listener#onOpen} runs before anything held for it is sent: that is the place to
 * authenticate or subscribe again, on the session it is given. Messages sent through this object while no session
 * is open are refused at once, or held and sent in order once reconnected (see
 * {@link ReconnectPolicy.Builder#holdWhileDisconnected}). A message handed to a session that then ends before
 * writing it fails with that session; it is not sent again.
 *
 * <p>When a session ends, the state changes (to {@code RECONNECTING}, {@code GAVE_UP} or {@code CLOSED}) before its
 * {@link Listener#onClose} runs. A session that the application closes or aborts itself, in its {@code onOpen} or
 * later, ends like one the server closed: the next try follows as the policy says, or it gives up on a final code; only
 * {@link #close}, {@link Client#shutdown} and {@link Client#close} stop reconnecting. A session ended in its
 * {@code onOpen} is never reported {@code OPEN}, and counts as a failed try.
 *
 * <p>Every change of {@link State} is reported, in order, to the observer given to
 * {@link Client#connectReconnecting}; it runs on the thread that caused the change (a client or timer thread) and
 * must not block. An exception it throws is logged (as a {@code WARNING} of the {@link System.Logger} named after
 * this class) and changes nothing. Thread-safe.
 */
public final class ReconnectingSession implements AutoCloseable {
    /** Where a reconnecting session stands. */
    public enum State {
        /** A connection try is under way. */
        CONNECTING,
        /** A session is open: sends go to it. */
        OPEN,
        /** Waiting the jittered delay before the next try. */
        RECONNECTING,
        /**
         * No more tries: a final close or handshake status, the policy's bound on tries or time, or a try that no
         * request could be made for (an {@link IllegalArgumentException}: a proxy environment variable that is no
         * proxy URL, a redirect to a URI that is no WebSocket URI). Terminal.
         */
        GAVE_UP,
        /** Closed by the application. Terminal. */
        CLOSED
    }

    /**
     * One change of state.
     *
     * @param state the new state
     * @param tries connection tries made in a row since the last session that lasted, or the start (the current
     *     one included when {@code CONNECTING}); for {@code OPEN}, the tries this session took. A session that
     *     ends sooner than the backoff's current ceiling counts as a failed try, not as a fresh start.
     * @param reason why the last session or try ended (a close code and reason, or an exception), or null
     * @param nextDelay for {@code RECONNECTING}, the delay before the next try; otherwise {@link Duration#ZERO}
     */
    public record Status(State state, int tries, String reason, Duration nextDelay) {
    }

    private static final System.Logger LOG = System.getLogger(ReconnectingSession.class.getName());
    /** The reconnecting session whose listener the calling thread is running, for {@link #close()} not to wait. */
    private static final ThreadLocal<ReconnectingSession> CALLING = new ThreadLocal<>();

    private final Client client;
    private final URI uri;
    /** The URI as messages and logs show it, without a password. */
    private final String shownUri;
    private final ClientOptions options;
    private final ReconnectPolicy policy;
    private final Listener listener;
    private final Consumer<Status> observer;
    private final HeldMessages held;
    private final CompletableFuture<Status> ended = new CompletableFuture<>();

    // Guarded by this.
    private Status status;
    private int tries;
    private long outageStart;
    private Session current;
    private CompletableFuture<Session> connecting;
    /** Increments whenever a scheduled try must not run any more. */
    private long generation;
    /**
     * Completes when the next try is due; cancelled when it must not run, which takes it off the JDK's delay queue
     * at once: a closed session is not kept reachable by it for the rest of the delay (up to {@code maxDelay}).
     */
    private CompletableFuture<Void> nextTry;
    private boolean closing;
    private String lastReason;
    /** When the current session opened, in {@link System#nanoTime()} units. */
    private long openedAt;

    private ReconnectingSession(Client client, URI uri, ClientOptions options, ReconnectPolicy policy,
                                Listener listener, Consumer<Status> observer) {
        this.client = client;
        this.uri = uri;
        this.shownUri = RedactedUrl.of(uri.toString());
        this.options = options;
        this.policy = policy;
        this.listener = listener;
        this.observer = observer;
        this.held = new HeldMessages(Math.max(1, policy.holdBytes()));
    }

    static ReconnectingSession start(Client client, URI uri, ClientOptions options, ReconnectPolicy policy,
                                     Listener listener, Consumer<Status> observer) {
        ReconnectingSession session = new ReconnectingSession(client, Objects.requireNonNull(uri, "uri"),
                Objects.requireNonNull(options, "options"), Objects.requireNonNull(policy, "policy"),
                Objects.requireNonNull(listener, "listener"), Objects.requireNonNull(observer, "observer"));
        // Every try would be refused as this one is: refused here, before the client tracks a session that could
        // then never be connected nor stopped.
        ClientEngine.requireConnectable(uri, options.spec());
        synchronized (session) {
            session.outageStart = System.nanoTime();
            String refused = client.track(session);
            if (refused == null) {
                session.connectNow();
            } else {
                session.end(State.GAVE_UP, refused);
            }
        }
        return session;
    }

    /** @return the current state, tries and reason */
    public synchronized Status status() {
        return status;
    }

    /** @return the current session, from the start of its {@code onOpen} to its {@code onClose}; null while none */
    public synchronized Session session() {
        return current;
    }

    /**
     * @param text the message
     * @return as {@link Session#sendText(CharSequence)} when a session is open; otherwise failed at once with an
     *     {@link IOException} (refused, given up or closed), an {@link OutboundLimitExceededException} (the held
     *     bytes would exceed the policy's bound) or, as an open session's, an {@link IllegalArgumentException} (an
     *     unpaired surrogate, which UTF-8 cannot carry), or completed once sent on the next session
     */
    public CompletableFuture<Void> sendText(CharSequence text) {
        return send(text.toString(), null);
    }

    /**
     * @param data the message; when held, copied at once
     * @return as {@link #sendText}
     */
    public CompletableFuture<Void> sendBinary(ByteBuffer data) {
        return send(null, Objects.requireNonNull(data, "data"));
    }

    private synchronized CompletableFuture<Void> send(String text, ByteBuffer data) {
        if (status.state() == State.OPEN) {
            return text != null ? current.sendText(text) : current.sendBinary(data);
        }
        if (status.state() == State.GAVE_UP || status.state() == State.CLOSED || closing) {
            return CompletableFuture.failedFuture(new IOException("not connected to " + shownUri + ": "
                    + (status.state() == State.GAVE_UP ? "gave up reconnecting: " + status.reason() : "closed")));
        }
        if (policy.holdBytes() == 0) {
            return CompletableFuture.failedFuture(new IOException("not connected to " + shownUri + " ("
                    + status.state().name().toLowerCase(java.util.Locale.ROOT) + " after " + status.tries()
                    + " tries" + (lastReason != null ? ", last: " + lastReason : "")
                    + "): messages sent while disconnected are refused"));
        }
        return held.add(text, data);
    }

    /**
     * Stops reconnecting in any state: closes the open session with this code and reason (a session whose
     * {@code onOpen} is running included), or abandons the try under way or the wait for the next one. Held messages
     * fail.
     *
     * @param code the close code for an open session
     * @param reason the close reason
     * @return completes with the final status once no session is left
     * @throws IllegalArgumentException if the code may not be sent or the reason is over 123 bytes of UTF-8, as
     *     {@link Session#close(int, String)} says; nothing is changed then
     */
    public CompletableFuture<Status> close(int code, String reason) {
        // Checked first: a bad code must throw before anything changes, or nothing could close this any more.
        SendArguments.closeArguments(code, reason);
        synchronized (this) {
            if (closing || ended.isDone()) {
                return ended;
            }
            if (stop(null)) {
                // Open, or in its onOpen: its onClose ends this once the closing handshake is over.
                current.close(code, reason);
            }
        }
        return ended;
    }

    /**
     * Stops trying: fails the held messages, abandons the try under way or the wait for the next one, and ends this
     * {@code CLOSED} unless a session is open, whose {@code onClose} will.
     *
     * @param reason the final status's reason when it ends now
     * @return whether a session is open (or in its {@code onOpen}), for the caller to close
     */
    private boolean stop(String reason) {
        closing = true;
        generation++;
        if (nextTry != null) {
            nextTry.cancel(false);
        }
        held.failAll("closed before it could be sent");
        if (current != null) {
            return true;
        }
        if (status.state() == State.CONNECTING) {
            connecting.cancel(true);
        }
        end(State.CLOSED, reason);
        return false;
    }

    /**
     * The client is closing without closing handshakes: no try follows. Ends this {@code CLOSED} now, or, with a
     * session open, once that session's {@code onClose} (1006) has run.
     */
    synchronized void clientClosed() {
        if (!closing && !ended.isDone()) {
            // An open session needs no close here: the client drops it, and its onClose ends this.
            stop(ClientEngine.CLOSED);
        }
    }

    /**
     * Closes with 1000 and waits (at most 10 seconds) until no session is left. Called from a callback of its
     * listener, or anywhere else on one of the client's event loops, it starts the close and returns at once: the
     * session's {@code onClose} could not run, nor its closing handshake be read, until that thread is free, so
     * waiting would only hold the session up and end it 1006.
     */
    @Override
    public void close() {
        CompletableFuture<Status> closed = close(1000, "");
        if (CALLING.get() == this || client.isLoopThread()) {
            return;
        }
        try {
            closed.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            synchronized (this) {
                if (current != null) {
                    current.abort();
                }
            }
        }
    }

    /** @return completes with the final status, {@code GAVE_UP} or {@code CLOSED} */
    public CompletableFuture<Status> ended() {
        return ended;
    }

    private void connectNow() {
        tries++;
        report(new Status(State.CONNECTING, tries, lastReason, Duration.ZERO));
        try {
            connecting = client.connect(uri, options, new Attempt());
        } catch (IllegalStateException e) {
            // The client is closed: no try can ever succeed.
            end(State.GAVE_UP, e.getMessage());
            return;
        }
        connecting.whenComplete((session, error) -> {
            if (error != null) {
                onConnectFailed(unwrap(error));
            }
        });
    }

    private synchronized void onConnectFailed(Throwable error) {
        if (closing || ended.isDone()) {
            return;
        }
        if (error instanceof HandshakeException refused && policy.isFinalStatus(refused.status())) {
            end(State.GAVE_UP, "handshake refused with " + refused.status() + ": " + refused.getMessage());
            return;
        }
        if (error instanceof IllegalArgumentException invalid) {
            // No request could be made (a proxy variable that is no proxy URL, a redirect to a URI that is no
            // WebSocket URI): the configuration or the server has to change first, which no delay brings about.
            end(State.GAVE_UP, "cannot connect: " + invalid.getMessage());
            return;
        }
        retryLater(reasonOf(error));
    }

    /** @return the failure for a status line: its type's simple name and message ({@code ConnectException: ...}) */
    private static String reasonOf(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private void retryLater(String reason) {
        lastReason = reason;
        if (tries >= policy.maxTries()) {
            end(State.GAVE_UP, "gave up after " + tries + " tries; last: " + reason);
            return;
        }
        long delay = policy.delayNanos(tries);
        if (System.nanoTime() + delay - outageStart > policy.maxTimeNanos()) {
            end(State.GAVE_UP, "gave up: no try left within " + Durations.readable(policy.maxTimeNanos())
                    + "; last: " + reason);
            return;
        }
        report(new Status(State.RECONNECTING, tries, reason, Duration.ofNanos(delay)));
        long scheduled = ++generation;
        nextTry = new CompletableFuture<>();
        nextTry.completeOnTimeout(null, delay, TimeUnit.NANOSECONDS).thenRunAsync(() -> {
            synchronized (this) {
                if (generation == scheduled && !closing && !ended.isDone()) {
                    connectNow();
                }
            }
        });
    }

    private void end(State state, String reason) {
        client.untrack(this);
        current = null;
        held.failAll(state == State.GAVE_UP ? "gave up reconnecting: " + reason : "closed before it could be sent");
        Status last = new Status(state, tries, reason, Duration.ZERO);
        report(last);
        ended.complete(last);
    }

    private void report(Status next) {
        status = next;
        try {
            observer.accept(next);
        } catch (RuntimeException e) {
            // The observer's bug must not stop the state it was told of: a try unscheduled, ended() never complete.
            LOG.log(System.Logger.Level.WARNING, "the observer of the reconnecting session to " + shownUri
                    + " threw on " + next.state(), e);
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** The listener of one session: the application's, plus what keeps this object's state. */
    private final class Attempt extends ForwardingListener {
        Attempt() {
            super(listener);
        }

        /** Runs one of the application's callbacks with this thread marked as running this session's. */
        private void calling(Runnable callback) {
            ReconnectingSession outer = CALLING.get();
            CALLING.set(ReconnectingSession.this);
            try {
                callback.run();
            } finally {
                if (outer == null) {
                    CALLING.remove();
                } else {
                    CALLING.set(outer);
                }
            }
        }

        @Override
        public void onOpen(Session session) {
            synchronized (ReconnectingSession.this) {
                if (!closing && !ended.isDone()) {
                    // Before the application's onOpen, which may close or abort the session, or throw (closing it with
                    // 1011): its onClose, which may come before onOpen returns, must find it current.
                    current = session;
                    openedAt = System.nanoTime();
                }
            }
            calling(() -> super.onOpen(session));
            synchronized (ReconnectingSession.this) {
                if (closing || ended.isDone()) {
                    session.close(1000, "");
                    return;
                }
                if (current != session || !session.isOpen()) {
                    // Ended or closing already: held messages wait for the next session, which its onClose brings.
                    return;
                }
                // After onOpen, which re-authenticates or subscribes, and before any later send.
                held.sendOn(session);
                report(new Status(State.OPEN, tries, lastReason, Duration.ZERO));
            }
        }

        @Override
        public void onClose(Session session, int code, String reason) {
            // The state moves first, so that sends racing with this callback are held or refused, not handed to
            // the session that just ended.
            synchronized (ReconnectingSession.this) {
                if (current == session && !ended.isDone()) {
                    current = null;
                    String why = "closed " + code + (reason.isEmpty() ? "" : " " + reason);
                    if (closing) {
                        end(State.CLOSED, why);
                    } else if (policy.isFinalClose(code)) {
                        end(State.GAVE_UP, why);
                    } else {
                        long now = System.nanoTime();
                        // A session that ends sooner than the delay it waited for counts as a failed try, so a
                        // server that accepts and drops at once is backed off from, not reconnected to at a pace.
                        if (now - openedAt >= policy.ceilingNanos(tries)) {
                            tries = 0;
                            outageStart = now;
                        }
                        retryLater(why);
                    }
                }
            }
            calling(() -> listener.onClose(session, code, reason));
        }

        @Override
        public void onText(Session session, String text) {
            calling(() -> super.onText(session, text));
        }

        @Override
        public void onBinary(Session session, ByteBuffer data) {
            calling(() -> super.onBinary(session, data));
        }

        @Override
        public void onFragment(Session session, Opcode type, ByteBuffer data, boolean last) {
            calling(() -> super.onFragment(session, type, data, last));
        }

        @Override
        public void onPing(Session session, ByteBuffer payload) {
            calling(() -> super.onPing(session, payload));
        }

        @Override
        public void onPong(Session session, ByteBuffer payload) {
            calling(() -> super.onPong(session, payload));
        }

        @Override
        public void onWritable(Session session) {
            calling(() -> super.onWritable(session));
        }

        @Override
        public void onError(Session session, Throwable error) {
            calling(() -> super.onError(session, error));
        }
    }
}
