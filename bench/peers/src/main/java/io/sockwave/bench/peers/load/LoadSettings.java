package io.sockwave.bench.peers.load;

import java.time.Duration;

/**
 * How hard and how long the load generator drives a server. Every loop it runs stops at whichever bound comes
 * first: the time ({@link #warmup} plus {@link #measure}, and fixed grace periods to drain and close) or the count
 * ({@link #maxMessages} per measured interval).
 *
 * @param warmup load applied before measuring, to let both JITs compile the hot paths
 * @param measure the measured interval of each cell
 * @param connections connections of the echo and fixed-rate scenarios
 * @param idleConnections connections held open by the idle-memory scenario
 * @param broadcastConnections connections subscribed to {@code /broadcast}
 * @param broadcastWindow broadcasts the sender keeps in flight (sent, not yet delivered to every connection)
 * @param rate messages per second of the fixed-rate scenario, over all its connections
 * @param handshakeConcurrency connections opened and closed concurrently by the handshake scenario
 * @param sampleEvery compare the payload of one echo in this many (the length and opcode of every echo are checked)
 * @param maxMessages the most messages (echoes, deliveries, handshakes) counted in one measured interval
 * @param settle how long the idle-memory scenario waits before reading the server's memory
 */
public record LoadSettings(Duration warmup, Duration measure, int connections, int idleConnections,
        int broadcastConnections, int broadcastWindow, int rate, int handshakeConcurrency, int sampleEvery,
        long maxMessages, Duration settle) {

    /** The defaults of {@code run-peers.sh}: 1 s warm-up, 2 s measured, the workload the issue names. */
    public static final LoadSettings DEFAULTS = new LoadSettings(Duration.ofSeconds(1), Duration.ofSeconds(2), 100,
            10_000, 1_000, 8, 10_000, 16, 16, 2_000_000_000L, Duration.ofMillis(500));

    /**
     * @throws IllegalArgumentException if a count is not positive or a duration negative
     */
    public LoadSettings {
        if (warmup.isNegative() || measure.isNegative() || measure.isZero() || settle.isNegative()) {
            throw new IllegalArgumentException("warmup and settle must be >= 0 and measure > 0");
        }
        if (connections < 1 || idleConnections < 1 || broadcastConnections < 2 || broadcastWindow < 1
                || rate < 1 || handshakeConcurrency < 1 || sampleEvery < 1 || maxMessages < 1) {
            throw new IllegalArgumentException("counts must be positive (and broadcastConnections at least 2)");
        }
    }
}
