package io.sockwave.cli.bench;

import java.time.Duration;

/**
 * The outcome of a bench run.
 *
 * @param settings what was run
 * @param elapsed the measured time, from the first message sent to the last echo awaited
 * @param messages echoes received and verified
 * @param payloadBytes the payload bytes of those echoes (the same amount went each way)
 * @param errors what went wrong
 * @param latency round-trip times of the verified echoes
 */
public record BenchResult(BenchSettings settings, Duration elapsed, long messages, long payloadBytes, Errors errors,
        LatencySummary latency) {

    /** @return verified echoes per second */
    public double messagesPerSecond() {
        return perSecond(messages);
    }

    /** @return verified payload bytes per second, in each direction */
    public double bytesPerSecond() {
        return perSecond(payloadBytes);
    }

    private double perSecond(long amount) {
        long nanos = elapsed.toNanos();
        return nanos == 0 ? 0 : amount * 1e9 / nanos;
    }
}
