package io.sockwave.runtime;

import java.lang.System.Logger.Level;
import java.time.ZonedDateTime;

/**
 * Logging from an event loop, which must outlive its logger: a log call that fails (out of file descriptors when the
 * logger first loads its time-zone data, out of memory while formatting) must not end the loop that made it.
 */
final class LoopLog {
    private LoopLog() {
    }

    /**
     * Logs, and swallows whatever the logger throws: the loop goes on without the line.
     *
     * @param level the level
     * @param message the message
     * @param error the cause, or null
     */
    static void log(Level level, String message, Throwable error) {
        try {
            if (error == null) {
                EventLoop.LOG.log(level, message);
            } else {
                EventLoop.LOG.log(level, message, error);
            }
        } catch (Throwable logFailed) {
            // Nothing is left to report it to; the loop matters more than the line.
        }
    }

    /**
     * Loads what a first log line needs from disk (the logging configuration, the time-zone rules its timestamp is
     * formatted with) while the process can still open files: the first line a server writes is often about running
     * out of file descriptors.
     */
    static void warmUp() {
        try {
            EventLoop.LOG.isLoggable(Level.WARNING);
            String.format("%1$tb %1$td, %1$tY %1$tl:%1$tM:%1$tS %1$Tp %1$tZ", ZonedDateTime.now());
        } catch (RuntimeException e) {
            log(Level.DEBUG, "warming up the logger failed", e);
        }
    }
}
