package io.sockwave.cli.bench;

import io.sockwave.Client;
import io.sockwave.ClientOptions;
import io.sockwave.cli.FailureReasons;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Runs one bench: opens the connections, keeps messages in flight on each until the time limit or the message
 * count is reached, waits a bounded time for the last echoes, and closes. All counters are safe to read from the
 * progress thread while it runs.
 */
final class LoadGenerator {
    /** How long the last echoes are awaited once sending stops; what is still missing then counts as unanswered. */
    static final Duration DRAIN_GRACE = Duration.ofSeconds(5);
    /** How long the closing handshakes are awaited at the end. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(3);
    private static final long PACER_TICK_MICROS = 1000;

    private final BenchSettings settings;
    private final ClientOptions clientOptions;
    private final Recorder latencyMicros = new Recorder(3);
    private final LongAdder echoes = new LongAdder();
    private final LongAdder echoedBytes = new LongAdder();
    private final ErrorTally errors = new ErrorTally();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong outstanding = new AtomicLong();
    /** Completes when no more messages can be sent: the count is reached, or every connection has closed. */
    private final CompletableFuture<Void> sendingOver = new CompletableFuture<>();
    private final AtomicInteger open = new AtomicInteger();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final List<BenchConnection> connections = new ArrayList<>();
    private volatile boolean sending;
    private volatile boolean finishing;
    private volatile long startNanos;
    private volatile long lastEchoNanos;

    LoadGenerator(BenchSettings settings, ClientOptions clientOptions) {
        this.settings = settings;
        this.clientOptions = clientOptions;
    }

    /**
     * Runs the bench to its end.
     *
     * @param progress told when measuring starts, and then left to poll {@link #echoes()} and {@link #errors()}
     * @return the result
     */
    BenchResult run(Runnable progress) throws InterruptedException {
        int loops = Math.min(settings.connections(), Math.max(1, Runtime.getRuntime().availableProcessors()));
        try (Client client = Client.create(loops)) {
            if (connectAll(client) == 0) {
                return result(0);
            }
            startNanos = System.nanoTime();
            lastEchoNanos = startNanos;
            sending = true;
            progress.run();
            ScheduledExecutorService pacer = settings.rate() > 0 ? startPacer() : null;
            if (pacer == null) {
                connections.forEach(BenchConnection::prime);
            }
            try {
                sendingOver.get(settings.duration().toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // The time limit came first, as it does when no count was given.
            }
            stopSending();
            if (pacer != null) {
                pacer.shutdownNow();
            }
            try {
                drained.get(DRAIN_GRACE.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                errors.unanswered(outstanding.get(), outstanding.get() + " messages still unanswered "
                        + DRAIN_GRACE.toSeconds() + " s after sending stopped");
            }
            BenchResult result = result((echoes.sum() == 0 ? System.nanoTime() : lastEchoNanos) - startNanos);
            finishing = true;
            connections.forEach(BenchConnection::close);
            try {
                CompletableFuture.allOf(connections.stream().map(BenchConnection::closed)
                        .toArray(CompletableFuture[]::new)).get(CLOSE_GRACE.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // Leftover connections are dropped when the client closes.
            }
            return result;
        }
    }

    /** @return the number of verified echoes so far */
    long echoes() {
        return echoes.sum();
    }

    /** @return the number of errors so far */
    long errors() {
        return errors.total();
    }

    /** @return nanoseconds since measuring started, 0 before */
    long elapsedNanos() {
        long start = startNanos;
        return start == 0 ? 0 : System.nanoTime() - start;
    }

    /**
     * Reserves one more message, if the run still sends and the count allows.
     *
     * @return whether the caller may send it; if so the run awaits its echo
     */
    boolean begin() {
        // Counted before checking, so that stopSending() cannot miss a message about to be sent.
        outstanding.incrementAndGet();
        if (sending && (settings.messages() == 0 || reserve())) {
            return true;
        }
        finishOne();
        return false;
    }

    /** A verified echo. */
    void echoed(long latencyNanos, int bytes) {
        latencyMicros.recordValue(Math.max(0, latencyNanos / 1000));
        echoes.increment();
        echoedBytes.add(bytes);
        lastEchoNanos = System.nanoTime();
        finishOne();
    }

    /** An echo that does not repeat what was sent. */
    void wrongEcho(String description) {
        errors.mismatch(description);
        lastEchoNanos = System.nanoTime();
        finishOne();
    }

    /** A message that answers nothing sent. */
    void unexpected(String description) {
        errors.mismatch(description);
    }

    /** A connection opened. */
    void opened() {
        open.incrementAndGet();
    }

    /**
     * A connection closed. Before the end that is an error, and so are the messages it had in flight; at the end
     * those were counted as unanswered already.
     */
    void connectionClosed(int number, long lost, String description) {
        if (!finishing) {
            errors.dropped("connection " + number + " closed during the run: " + description);
            errors.unanswered(lost, lost + " messages lost when connection " + number + " closed: " + description);
        }
        for (long i = 0; i < lost; i++) {
            finishOne();
        }
        if (open.decrementAndGet() == 0) {
            sendingOver.complete(null);
        }
    }

    private boolean reserve() {
        long n = started.incrementAndGet();
        if (n >= settings.messages()) {
            sendingOver.complete(null);
        }
        return n <= settings.messages();
    }

    private void finishOne() {
        if (outstanding.decrementAndGet() == 0 && !sending) {
            drained.complete(null);
        }
    }

    private void stopSending() {
        sending = false;
        if (outstanding.get() == 0) {
            drained.complete(null);
        }
    }

    private int connectAll(Client client) throws InterruptedException {
        List<CompletableFuture<?>> connects = new ArrayList<>();
        for (int i = 0; i < settings.connections(); i++) {
            BenchConnection connection = new BenchConnection(i, this, settings);
            connections.add(connection);
            connects.add(client.connect(settings.url(), clientOptions, connection).whenComplete((session, e) -> {
                if (e != null) {
                    connection.neverOpened();
                    errors.connectFailure("cannot connect to " + settings.shownUrl() + ": "
                            + FailureReasons.describe(e));
                }
            }));
        }
        try {
            // The client's own connect and handshake timeouts end every attempt; this only bounds the wait.
            CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Failures are counted one by one above.
        }
        return (int) connects.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count();
    }

    /** Under {@code --rate}, hands out sends at the rate asked, round robin over the connections with room. */
    private ScheduledExecutorService startPacer() {
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sockwave-bench-pacer");
            t.setDaemon(true);
            return t;
        });
        long[] issued = {0};
        int[] next = {0};
        pacer.scheduleAtFixedRate(() -> {
            long due = (long) (settings.rate() * elapsedNanos() / 1e9);
            while (issued[0] < due && sending) {
                boolean sent = false;
                for (int tried = 0; tried < connections.size() && !sent; tried++) {
                    sent = connections.get(next[0]).trySend();
                    next[0] = (next[0] + 1) % connections.size();
                }
                // With every window full, the rate is out of reach: drop the backlog rather than burst later.
                issued[0] = sent ? issued[0] + 1 : due;
            }
        }, 0, PACER_TICK_MICROS, TimeUnit.MICROSECONDS);
        return pacer;
    }

    private BenchResult result(long elapsedNanos) {
        Histogram histogram = latencyMicros.getIntervalHistogram();
        return new BenchResult(settings, Duration.ofNanos(Math.max(0, elapsedNanos)), echoes.sum(),
                echoedBytes.sum(), errors.snapshot(), LatencySummary.of(histogram));
    }
}
