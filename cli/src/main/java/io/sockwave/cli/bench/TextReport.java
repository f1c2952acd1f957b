package io.sockwave.cli.bench;

/** The summary printed at the end of a run. */
final class TextReport {
    private TextReport() {}

    /** @return the report, several lines each ending with a newline */
    static String of(BenchResult result) {
        LatencySummary l = result.latency();
        Errors e = result.errors();
        StringBuilder out = new StringBuilder();
        out.append("bench ").append(result.settings().shownUrl()).append(": ").append(result.settings().describe())
                .append('\n');
        out.append("  throughput  ").append(result.messages()).append(" echoes in ")
                .append(Format.seconds(result.elapsed())).append(": ")
                .append(Format.decimal(result.messagesPerSecond())).append(" msg/s, ")
                .append(Format.mebibytesPerSecond(result.bytesPerSecond())).append(" each way\n");
        out.append("  latency     p50 ").append(Format.millis(l.p50()))
                .append("  p90 ").append(Format.millis(l.p90()))
                .append("  p99 ").append(Format.millis(l.p99()))
                .append("  p99.9 ").append(Format.millis(l.p999()))
                .append("  max ").append(Format.millis(l.max())).append('\n');
        out.append("  errors      ").append(e.total());
        if (e.total() > 0) {
            out.append(" (").append(e.mismatches()).append(" mismatched echoes, ")
                    .append(e.connectFailures()).append(" failed connects, ")
                    .append(e.dropped()).append(" dropped connections, ")
                    .append(e.unanswered()).append(" unanswered messages); first: ").append(e.first());
        }
        return out.append('\n').toString();
    }
}
