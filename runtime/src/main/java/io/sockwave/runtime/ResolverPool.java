package io.sockwave.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The threads on which one client looks host names up. A lookup through the JVM's name service blocks and cannot be
 * interrupted, so it may run neither on the thread that called {@code connect}, which only asked for a future, nor
 * on an event loop, which serves every other connection of the loop.
 *
 * <p>Each lookup has a deadline kept by the connection's event loop: when it passes first, the connect fails with a
 * {@link TimeoutException} naming the host and the late answer is dropped. The answer is handed to the loop, which
 * opens the socket only if the connect is still pending, so a connect that timed out, was cancelled or was failed by
 * {@link #close()} never opens one.
 */
final class ResolverPool {
    /**
     * Lookups running at once: enough for bursts of connects to a few hosts; few enough that a name server which
     * never answers ties up only these threads. Further lookups queue; a queued lookup leaves the queue as soon as its
     * connect is over (cancelled, timed out), and each connect's deadline bounds how long it waits.
     */
    private static final int THREADS = 4;
    /** An idle thread ends after this, so that a client which connects rarely holds no resolver thread. */
    private static final long KEEP_ALIVE_SECONDS = 10;

    private final HostResolver resolver;
    private final ThreadPoolExecutor executor;
    /** Lookups not yet handed to their loop, failed by {@link #close()}. */
    private final Set<Lookup> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param name the prefix of the threads' names
     * @param resolver what looks names up
     */
    ResolverPool(String name, HostResolver resolver) {
        this.resolver = resolver;
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, name + "-resolver-" + threads.getAndIncrement());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Looks a host up on this pool's threads and returns at once.
     *
     * @param host the host name
     * @param loop the loop that will connect: it keeps the deadline and receives the address
     * @param deadline when the lookup must be done, in {@link System#nanoTime()} units
     * @param timeoutNanos the timeout the deadline comes from, for the failure's message
     * @param result the connect's future: failed here on timeout or when the host is unknown; while it is done the
     *     answer is dropped
     * @param onResolved called on {@code loop} with the addresses, if {@code result} is still pending then
     */
    void resolve(String host, EventLoop loop, long deadline, long timeoutNanos, CompletableFuture<?> result,
                 Consumer<InetAddress[]> onResolved) {
        Lookup lookup = new Lookup(host, loop, timeoutNanos, result, onResolved);
        pending.add(lookup);
        // Queued before the lookup can finish, so the loop arms the deadline before it sees the answer.
        loop.execute(() -> loop.timers.schedule(lookup, deadline));
        try {
            executor.execute(lookup);
        } catch (RejectedExecutionException e) {
            pending.remove(lookup);
            result.completeExceptionally(closedException());
            return;
        }
        // Behind a name server that never answers, the queue would otherwise keep every connect given up on.
        result.whenComplete((session, error) -> lookup.withdraw());
    }

    /** @return how many lookups wait for a thread */
    int waiting() {
        return executor.getQueue().size();
    }

    /** Stops the threads and fails every connect still waiting for its host; lookups in progress are abandoned. */
    void close() {
        closed = true;
        executor.shutdownNow();
        for (Lookup lookup : pending) {
            pending.remove(lookup);
            lookup.result.completeExceptionally(closedException());
        }
    }

    private static IOException closedException() {
        return new IOException("the client is closed");
    }

    /** One host to look up for one connect: a pool task, then a task and a deadline on the connect's loop. */
    private final class Lookup extends TimerNode implements Runnable {
        private final String host;
        private final EventLoop loop;
        private final long timeoutNanos;
        private final CompletableFuture<?> result;
        private final Consumer<InetAddress[]> onResolved;

        Lookup(String host, EventLoop loop, long timeoutNanos, CompletableFuture<?> result,
               Consumer<InetAddress[]> onResolved) {
            this.host = host;
            this.loop = loop;
            this.timeoutNanos = timeoutNanos;
            this.result = result;
            this.onResolved = onResolved;
        }

        /** Takes the lookup out of the queue and its deadline off the loop, if it still waits for a thread. */
        void withdraw() {
            if (executor.remove(this)) {
                pending.remove(this);
                loop.execute(() -> loop.timers.cancel(this));
            }
        }

        /** On a pool thread. */
        @Override
        public void run() {
            if (result.isDone()) {
                // Timed out or cancelled while queued: no lookup, and the loop has nothing to open.
                loop.execute(() -> loop.timers.cancel(this));
                pending.remove(this);
                return;
            }
            InetAddress[] addresses = null;
            Exception failure = null;
            try {
                addresses = resolver.resolve(host);
                if (addresses == null || addresses.length == 0) {
                    failure = new UnknownHostException(host);
                }
            } catch (UnknownHostException e) {
                failure = unknownHost(e);
            } catch (RuntimeException e) {
                failure = e;
            }
            InetAddress[] found = addresses;
            Exception error = failure;
            loop.execute(() -> deliver(found, error));
        }

        /** On the loop: the one place that decides between the answer and the deadline. */
        private void deliver(InetAddress[] addresses, Exception error) {
            pending.remove(this);
            loop.timers.cancel(this);
            if (result.isDone()) {
                return;
            }
            if (closed) {
                // The answer may be no answer at all: a lookup interrupted by close() fails for that reason.
                result.completeExceptionally(closedException());
            } else if (error != null) {
                result.completeExceptionally(error);
            } else {
                onResolved.accept(addresses);
            }
        }

        /** Keeps the message the bare host name, as callers such as the CLI show it, and the resolver's reason. */
        private UnknownHostException unknownHost(UnknownHostException e) {
            if (host.equals(e.getMessage())) {
                return e;
            }
            UnknownHostException named = new UnknownHostException(host);
            named.initCause(e);
            return named;
        }

        @Override
        void onTimer(long now) {
            pending.remove(this);
            result.completeExceptionally(new TimeoutException("could not resolve host " + host + " within "
                    + Durations.readable(timeoutNanos)));
        }
    }
}
