package io.sockwave.cli.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows how a run is going: on a terminal one line redrawn in place a few times a second; otherwise (a log, a CI
 * job) a plain line every so often, about ten over the run and no more than one a second.
 */
final class Progress implements AutoCloseable {
    private static final Duration TERMINAL_REFRESH = Duration.ofMillis(250);

    private final LoadGenerator run;
    private final PrintStream out;
    private final boolean terminal;
    private final Duration interval;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sockwave-bench-progress");
        t.setDaemon(true);
        return t;
    });
    private long lastEchoes;
    private long lastNanos;

    /**
     * @param run the run to watch
     * @param out where to write
     * @param terminal whether {@code out} is a terminal
     * @param duration the run's time limit, which sets the interval of plain lines
     */
    Progress(LoadGenerator run, PrintStream out, boolean terminal, Duration duration) {
        this.run = run;
        this.out = out;
        this.terminal = terminal;
        Duration tenth = duration.dividedBy(10);
        this.interval = terminal ? TERMINAL_REFRESH
                : tenth.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                : tenth.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : tenth;
    }

    /** Starts reporting; called when measuring starts. */
    void start() {
        long period = interval.toNanos();
        ticker.scheduleAtFixedRate(this::report, period, period, TimeUnit.NANOSECONDS);
    }

    private void report() {
        long nanos = run.elapsedNanos();
        long echoes = run.echoes();
        double rate = nanos == lastNanos ? 0 : (echoes - lastEchoes) * 1e9 / (nanos - lastNanos);
        lastEchoes = echoes;
        lastNanos = nanos;
        String line = String.format(Locale.ROOT, "%6.1f s  %d echoes  %s msg/s  %d errors", nanos / 1e9, echoes,
                Format.decimal(rate), run.errors());
        if (terminal) {
            out.print("\r" + line + "\u001b[K");
            out.flush();
        } else {
            out.println(line);
        }
    }

    /** Stops reporting and, on a terminal, ends the redrawn line. */
    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (terminal && lastNanos > 0) {
            out.println();
        }
    }
}
