package io.sockwave.cli.bench;

import io.sockwave.cli.Units;
import io.sockwave.cli.UrlConverter;
import io.sockwave.protocol.handshake.RedactedUrl;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options of {@code sockwave bench}, with the hard caps that keep every run bounded. */
final class BenchOptions {
    static final int MAX_CONNECTIONS = 10_000;
    static final int MAX_IN_FLIGHT = 10_000;
    static final int MAX_SIZE = 16 << 20;
    static final Duration MAX_DURATION = Duration.ofHours(1);
    static final long MAX_MESSAGES = 1_000_000_000L;

    @Parameters(index = "0", paramLabel = "URL", converter = UrlConverter.class, description = "An echo endpoint, such as ws://127.0.0.1:8000/echo.")
    URI url;

    @Option(names = {"-c", "--connections"}, paramLabel = "N", defaultValue = "4",
            description = "Connections running side by side (at most " + MAX_CONNECTIONS + ").")
    int connections;

    @Option(names = "--in-flight", paramLabel = "N", defaultValue = "1",
            description = "Messages each connection keeps awaiting their echo (at most " + MAX_IN_FLIGHT + ").")
    int inFlight;

    @Option(names = "--size", paramLabel = "SIZE", defaultValue = "64", converter = Units.SizeConverter.class,
            description = "Payload size of each message, such as 125 or 64k (at most 16MiB).")
    int size;

    @Option(names = {"-d", "--duration"}, paramLabel = "DURATION", defaultValue = "10s",
            converter = Units.DurationConverter.class,
            description = "Time limit of the run, such as 30s or 2m (at most 1h); applies with --messages too.")
    Duration duration;

    @Option(names = {"-n", "--messages"}, paramLabel = "N", defaultValue = "0", showDefaultValue = Visibility.NEVER,
            description = "Stop after this many echoes over all connections; 0, the default, for as many as the"
                    + " time allows.")
    long messages;

    @Option(names = "--rate", paramLabel = "MSG/S", defaultValue = "0", showDefaultValue = Visibility.NEVER,
            description = "Send at most this many messages per second over all connections; 0, the default, for"
                    + " no limit.")
    double rate;

    @Option(names = "--binary", defaultValue = "false", description = "Send binary messages instead of text.")
    boolean binary;

    @Option(names = "--compression", negatable = true, showDefaultValue = Visibility.ALWAYS, defaultValue = "false", fallbackValue = "true",
            description = "Offer permessage-deflate compression (RFC 7692).")
    boolean compression;

    @Option(names = {"-k", "--insecure"}, defaultValue = "false",
            description = "Accept any TLS certificate and host name (for self-signed test servers).")
    boolean insecure;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to this file.")
    Path json;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write the report with a latency chart as a self-contained HTML page.")
    Path html;

    @Option(names = {"-q", "--quiet"}, defaultValue = "false", description = "No progress output; only the report.")
    boolean quiet;

    /**
     * @return the run these options describe
     * @throws IllegalArgumentException naming the option that is out of range
     */
    BenchSettings settings() {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("URL must start with ws:// or wss://, was "
                    + RedactedUrl.of(url.toString()));
        }
        check(connections >= 1 && connections <= MAX_CONNECTIONS, "--connections must be 1.." + MAX_CONNECTIONS);
        check(inFlight >= 1 && inFlight <= MAX_IN_FLIGHT, "--in-flight must be 1.." + MAX_IN_FLIGHT);
        check(size >= 0 && size <= MAX_SIZE, "--size must be at most 16MiB");
        check(!duration.isNegative() && !duration.isZero() && duration.compareTo(MAX_DURATION) <= 0,
                "--duration must be more than 0 and at most 1h");
        check(messages >= 0 && messages <= MAX_MESSAGES, "--messages must be 0 (as many as the time allows) to "
                + MAX_MESSAGES + ", was " + messages);
        check(rate >= 0 && Double.isFinite(rate), "--rate must be 0 (no limit) or a positive number of messages per"
                + " second, was " + Format.decimal(rate));
        return new BenchSettings(url, connections, inFlight, size, duration, messages, rate, binary, compression);
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
