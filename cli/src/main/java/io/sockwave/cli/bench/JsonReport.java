package io.sockwave.cli.bench;

import io.sockwave.cli.json.JsonObject;
import java.util.List;

/** The machine-readable report of {@code bench --json FILE}. Latencies are in microseconds. */
final class JsonReport {
    private JsonReport() {}

    /** @return the report as one JSON object */
    static String of(BenchResult result) {
        BenchSettings s = result.settings();
        LatencySummary l = result.latency();
        Errors e = result.errors();
        JsonObject settings = new JsonObject()
                .put("connections", s.connections())
                .put("inFlight", s.inFlight())
                .put("size", s.size())
                .put("durationSeconds", s.duration().toMillis() / 1000.0)
                .put("messages", s.messages())
                .put("rate", s.rate())
                .put("binary", s.binary())
                .put("compression", s.compression());
        JsonObject latency = new JsonObject()
                .put("count", l.count())
                .put("p50", l.p50())
                .put("p90", l.p90())
                .put("p99", l.p99())
                .put("p99.9", l.p999())
                .put("max", l.max())
                .put("mean", l.mean());
        JsonObject errors = new JsonObject()
                .put("total", e.total())
                .put("mismatches", e.mismatches())
                .put("connectFailures", e.connectFailures())
                .put("dropped", e.dropped())
                .put("unanswered", e.unanswered());
        if (e.first() != null) {
            errors.put("first", e.first());
        }
        List<JsonObject> curve = l.distribution().stream()
                .map(p -> new JsonObject().put("percentile", p.percentile()).put("micros", p.micros()))
                .toList();
        return new JsonObject()
                .put("url", s.shownUrl())
                .put("settings", settings)
                .put("elapsedSeconds", result.elapsed().toNanos() / 1e9)
                .put("messages", result.messages())
                .put("messagesPerSecond", result.messagesPerSecond())
                .put("bytesPerSecond", result.bytesPerSecond())
                .put("errors", errors)
                .put("latencyMicros", latency)
                .put("percentiles", curve)
                .toString() + "\n";
    }
}
