package io.sockwave.bench.peers.report;

import io.sockwave.bench.peers.load.Scenarios;
import java.util.List;

/**
 * A figure the report's main table shows: which scenario, which metric, how to title it and which direction is
 * better.
 *
 * @param scenario the scenario's id
 * @param key the metric's name in the results
 * @param title the row's title
 * @param unit the unit shown
 * @param higherIsBetter whether a larger value is the better one
 */
public record Metric(String scenario, String key, String title, String unit, boolean higherIsBetter) {
    /** The main table's rows, in order. */
    public static final List<Metric> HEADLINE = List.of(
            new Metric(Scenarios.ECHO_32_W1, "msgs_per_s", "32 B echo, 100 conn x 1 in flight", "msg/s", true),
            new Metric(Scenarios.ECHO_32_W16, "msgs_per_s", "32 B echo, 100 conn x 16 in flight", "msg/s", true),
            new Metric(Scenarios.ECHO_16K, "mb_per_s", "16 KiB binary echo, 100 conn x 1", "MB/s", true),
            new Metric(Scenarios.FIXED_RATE, "p50_us", "10k msg/s fixed rate, p50", "us", false),
            new Metric(Scenarios.FIXED_RATE, "p99_us", "10k msg/s fixed rate, p99", "us", false),
            new Metric(Scenarios.FIXED_RATE, "p999_us", "10k msg/s fixed rate, p99.9", "us", false),
            new Metric(Scenarios.HANDSHAKE, "handshakes_per_s", "handshake + close, 16 at a time", "/s", true),
            new Metric(Scenarios.IDLE_MEMORY, "cold_bytes_per_conn", "RSS per idle connection, first 10k (cold heap)",
                    "B", false),
            new Metric(Scenarios.IDLE_MEMORY, "bytes_per_conn", "RSS per idle connection, next 10k (warm heap)", "B",
                    false),
            new Metric(Scenarios.IDLE_MEMORY, "live_heap_bytes_per_conn", "live heap per idle connection", "B",
                    false),
            new Metric(Scenarios.BROADCAST, "deliveries_per_s", "broadcast 64 B to 1,000 conn", "deliveries/s",
                    true),
            new Metric(Scenarios.TLS_16K, "mb_per_s", "wss:// 16 KiB binary echo, 100 conn x 1", "MB/s", true),
            new Metric(Scenarios.TLS_HANDSHAKE, "handshakes_per_s", "wss:// full TLS handshake + close, 16 at a time",
                    "/s", true),
            new Metric(Scenarios.DEFLATE_CHAT, "msgs_per_s", "deflate chat echo, takeover, 100 conn x 16", "msg/s",
                    true),
            new Metric(Scenarios.DEFLATE_CHAT_NCT, "msgs_per_s", "deflate chat echo, no takeover, 100 conn x 16",
                    "msg/s", true),
            new Metric(Scenarios.IDLE_DEFLATE, "bytes_per_conn", "RSS per idle deflate connection, takeover (2k)",
                    "B", false),
            new Metric(Scenarios.IDLE_DEFLATE_NCT, "bytes_per_conn",
                    "RSS per idle deflate connection, no takeover (2k)", "B", false),
            new Metric(Scenarios.IDLE_DEFLATE, "live_heap_bytes_per_conn",
                    "live heap per idle deflate connection, takeover", "B", false),
            new Metric(Scenarios.IDLE_DEFLATE_NCT, "live_heap_bytes_per_conn",
                    "live heap per idle deflate connection, no takeover", "B", false));

    /**
     * The same work per CPU-second of the server process: what the server does with the CPU it gets. Less disturbed
     * by other processes than a rate, it shows the cost per message when a shared machine makes rates noisy.
     */
    public static final List<Metric> EFFICIENCY = List.of(
            new Metric(Scenarios.ECHO_32_W1, "msgs_per_server_cpu_s", "32 B echo x 1", "msg/CPU-s", true),
            new Metric(Scenarios.ECHO_32_W16, "msgs_per_server_cpu_s", "32 B echo x 16", "msg/CPU-s", true),
            new Metric(Scenarios.ECHO_16K, "mb_per_server_cpu_s", "16 KiB echo", "MB/CPU-s", true),
            new Metric(Scenarios.HANDSHAKE, "handshakes_per_server_cpu_s", "handshake + close", "/CPU-s", true),
            new Metric(Scenarios.BROADCAST, "deliveries_per_server_cpu_s", "broadcast to 1,000", "deliveries/CPU-s",
                    true),
            new Metric(Scenarios.TLS_16K, "mb_per_server_cpu_s", "wss:// 16 KiB echo", "MB/CPU-s", true),
            new Metric(Scenarios.TLS_HANDSHAKE, "handshakes_per_server_cpu_s", "wss:// TLS handshake + close",
                    "/CPU-s", true),
            new Metric(Scenarios.DEFLATE_CHAT, "msgs_per_server_cpu_s", "deflate chat, takeover", "msg/CPU-s", true),
            new Metric(Scenarios.DEFLATE_CHAT_NCT, "msgs_per_server_cpu_s", "deflate chat, no takeover", "msg/CPU-s",
                    true));
}
