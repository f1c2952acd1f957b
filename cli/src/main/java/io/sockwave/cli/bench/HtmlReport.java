package io.sockwave.cli.bench;

import java.time.Instant;

/** The self-contained page of {@code bench --html FILE}: summary table and percentile chart, nothing fetched. */
final class HtmlReport {
    private HtmlReport() {}

    /**
     * @param result the run
     * @param finishedAt when it ended, shown in the title area
     * @return a complete HTML document
     */
    static String of(BenchResult result, Instant finishedAt) {
        LatencySummary l = result.latency();
        Errors e = result.errors();
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>sockwave bench ").append(escape(result.settings().shownUrl()))
                .append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:2em;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}")
                .append("th,td{text-align:left;padding:.3em 1em;border-bottom:1px solid #ddd}")
                .append("td.n{text-align:right;font-variant-numeric:tabular-nums}")
                .append("svg{max-width:100%;height:auto}\n</style>\n</head>\n<body>\n");
        out.append("<h1>sockwave bench</h1>\n<p>").append(escape(result.settings().shownUrl())).append(": ")
                .append(escape(result.settings().describe())).append(". Finished ")
                .append(escape(finishedAt.toString())).append(".</p>\n");
        out.append("<table>\n");
        row(out, "echoes", Long.toString(result.messages()));
        row(out, "elapsed", Format.seconds(result.elapsed()));
        row(out, "throughput", Format.decimal(result.messagesPerSecond()) + " msg/s");
        row(out, "bandwidth (each way)", Format.mebibytesPerSecond(result.bytesPerSecond()));
        row(out, "latency p50", Format.millis(l.p50()));
        row(out, "latency p90", Format.millis(l.p90()));
        row(out, "latency p99", Format.millis(l.p99()));
        row(out, "latency p99.9", Format.millis(l.p999()));
        row(out, "latency max", Format.millis(l.max()));
        row(out, "errors", Long.toString(e.total()));
        if (e.total() > 0) {
            row(out, "mismatched echoes", Long.toString(e.mismatches()));
            row(out, "failed connects", Long.toString(e.connectFailures()));
            row(out, "dropped connections", Long.toString(e.dropped()));
            row(out, "unanswered messages", Long.toString(e.unanswered()));
            row(out, "first error", e.first());
        }
        out.append("</table>\n<h2>Latency by percentile</h2>\n");
        out.append(PercentileChart.svg(l.distribution()));
        return out.append("</body>\n</html>\n").toString();
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append("<tr><th>").append(escape(name)).append("</th><td class=\"n\">").append(escape(value))
                .append("</td></tr>\n");
    }

    /** @return the text with the five HTML-significant characters replaced by entities */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
