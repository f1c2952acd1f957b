package io.sockwave.runtime;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

/**
 * A warning that peers can cause over and over, as fast as they connect: a full callback executor under overload,
 * accepts failing while descriptors run out. It is written at most once per interval (10 s), with how many
 * times it happened since the line before, so that an overload costs neither CPU nor disk in log lines, and the first
 * occurrence is never hidden. Safe from any thread; the line is written outside the lock.
 */
final class ThrottledLog {
    /** The shortest time between two lines of one warning. */
    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final long intervalNanos;
    private long lastLine;
    private boolean written;
    /** Occurrences since the last line, this one included once counted. */
    private long unwritten;

    ThrottledLog() {
        this(INTERVAL_NANOS);
    }

    /** @param intervalNanos the shortest time between two lines */
    ThrottledLog(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /**
     * Counts one occurrence, and writes the warning when no line was written within the interval.
     *
     * @param message what happened
     * @param cause the failure behind it, whose stack trace goes with the line, or null
     * @return the line written, or null if the occurrence was only counted
     */
    String warn(String message, Throwable cause) {
        long count;
        synchronized (this) {
            unwritten++;
            long now = System.nanoTime();
            if (written && now - lastLine < intervalNanos) {
                return null;
            }
            written = true;
            lastLine = now;
            count = unwritten;
            unwritten = 0;
        }
        String line = message + " (" + count + (count == 1 ? " time" : " times") + " since the last report; next"
                + " report in " + TimeUnit.NANOSECONDS.toMillis(intervalNanos) + " ms at the earliest)";
        LoopLog.log(Level.WARNING, line, cause);
        return line;
    }
}
