package io.sockwave.cli.connect;

import io.sockwave.Session;
import io.sockwave.protocol.CloseCode;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code --ping}: pings each session it is given every period, from one timer thread; with {@code --ping-timeout},
 * a ping whose pong has not come by then closes that session with 1011: the peer or the path to it is dead, or too
 * slow to count as alive. With {@code --reconnect}, each new session gets the same schedule from its opening, and the
 * close of one that missed its pong is what reconnects. Thread-safe.
 */
final class Pinger implements AutoCloseable {
    private final Duration period;
    private final Duration timeout;
    private final ConsoleListener listener;
    private final PrintStream err;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sockwave-ping");
        t.setDaemon(true);
        return t;
    });
    private final Map<Session, ScheduledFuture<?>> schedules = new ConcurrentHashMap<>();
    private volatile boolean timedOut;

    /**
     * @param period how often to ping, more than 0
     * @param timeout how long a pong may take, or null to wait for none
     * @param listener the sessions' listener, which notes when pongs arrive
     * @param err where an unanswered ping is reported
     */
    Pinger(Duration period, Duration timeout, ConsoleListener listener, PrintStream err) {
        this.period = period;
        this.timeout = timeout;
        this.listener = listener;
        this.err = err;
    }

    /** Pings this session every period from now until {@link #stop}. */
    void start(Session session) {
        long nanos = period.toNanos();
        schedules.put(session, timer.scheduleAtFixedRate(() -> ping(session), nanos, nanos, TimeUnit.NANOSECONDS));
    }

    /** Stops pinging this session, which has closed. */
    void stop(Session session) {
        ScheduledFuture<?> schedule = schedules.remove(session);
        if (schedule != null) {
            schedule.cancel(false);
        }
    }

    /** @return whether a session was closed for a pong that did not come in time */
    boolean timedOut() {
        return timedOut;
    }

    private void ping(Session session) {
        long sent = System.nanoTime();
        session.ping(ByteBuffer.allocate(Long.BYTES).putLong(0, sent));
        if (timeout != null) {
            timer.schedule(() -> check(session, sent), timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void check(Session session, long sent) {
        // The schedule goes with the first miss: the session is closing, and one report of it is enough.
        if (listener.lastPong() - sent < 0 && session.isOpen() && schedules.containsKey(session)) {
            stop(session);
            timedOut = true;
            String why = "no pong within " + timeout.toMillis() + " ms";
            err.println("sockwave connect: " + why + ": closing with 1011");
            session.close(CloseCode.INTERNAL_ERROR, why);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
