package io.sockwave.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.json.Json;

class ReportsTest {
    static final BenchSettings SETTINGS = new BenchSettings(URI.create("ws://127.0.0.1:8000/echo?a=1&b='x'"), 4, 2, 64,
            Duration.ofSeconds(10), 0, 0, false, false);
    static final BenchResult RESULT = new BenchResult(SETTINGS, Duration.ofSeconds(2), 1000, 64_000,
            new Errors(1, 0, 2, 0, "connection 3 closed: 1011 <b>bye</b>"),
            LatencySummary.of(LatencySummaryTest.oneToThousandMicros()));

    @Test
    void textReportShowsThroughputPercentilesAndErrors() {
        String text = TextReport.of(RESULT);
        assertTrue(text.contains("1000 echoes in 2.0 s: 500 msg/s, 0.03 MiB/s each way"), text);
        assertTrue(text.contains("p50 0.500 ms  p90 0.900 ms  p99 0.990 ms  p99.9 0.999 ms  max 1.000 ms"), text);
        assertTrue(text.contains("errors      3 (1 mismatched echoes, 0 failed connects, 2 dropped connections,"
                + " 0 unanswered messages); first: connection 3 closed: 1011 <b>bye</b>"), text);
        assertTrue(text.startsWith("bench ws://127.0.0.1:8000/echo?a=1&b='x': 4 connections x 2 in flight,"
                + " 64-byte text messages within 10.0 s\n"), text);
    }

    /** A report is kept and shared: the URL's password is shown as {@code ***} in the text, HTML and JSON alike. */
    @Test
    @SuppressWarnings("unchecked")
    void everyReportShowsTheUrlWithoutItsPassword() {
        BenchSettings withPassword = new BenchSettings(URI.create("wss://alice:secret@127.0.0.1:8443/echo"), 1, 1, 64,
                Duration.ofSeconds(1), 0, 0, false, false);
        BenchResult result = new BenchResult(withPassword, Duration.ofSeconds(1), 0, 0, new Errors(0, 0, 0, 0, null),
                LatencySummary.of(LatencySummaryTest.oneToThousandMicros()));
        String shown = "wss://alice:***@127.0.0.1:8443/echo";
        for (String report : List.of(TextReport.of(result), HtmlReport.of(result, Instant.EPOCH), JsonReport.of(result))) {
            assertTrue(report.contains(shown), report);
            assertFalse(report.contains("secret"), report);
        }
        Map<String, Object> json = new Json().toType(JsonReport.of(result), Map.class);
        assertEquals(shown, json.get("url"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonReportParsesBackToTheSameFigures() {
        Map<String, Object> json = new Json().toType(JsonReport.of(RESULT), Map.class);
        assertEquals("ws://127.0.0.1:8000/echo?a=1&b='x'", json.get("url"));
        assertEquals("connection 3 closed: 1011 <b>bye</b>", ((Map<String, Object>) json.get("errors")).get("first"));
        assertEquals(1000L, json.get("messages"));
        assertEquals(500.0, ((Number) json.get("messagesPerSecond")).doubleValue(), 1e-9);
        assertEquals(32_000.0, ((Number) json.get("bytesPerSecond")).doubleValue(), 1e-9);
        Map<String, Object> latency = (Map<String, Object>) json.get("latencyMicros");
        assertEquals(500L, latency.get("p50"));
        assertEquals(900L, latency.get("p90"));
        assertEquals(990L, latency.get("p99"));
        assertEquals(999L, latency.get("p99.9"));
        assertEquals(1000L, latency.get("max"));
        Map<String, Object> errors = (Map<String, Object>) json.get("errors");
        assertEquals(3L, errors.get("total"));
        assertEquals(1L, errors.get("mismatches"));
        assertEquals(2L, errors.get("dropped"));
        Map<String, Object> settings = (Map<String, Object>) json.get("settings");
        assertEquals(4L, settings.get("connections"));
        assertEquals(2L, settings.get("inFlight"));
        assertEquals(false, settings.get("binary"));
        List<Map<String, Object>> curve = (List<Map<String, Object>>) json.get("percentiles");
        assertEquals(RESULT.latency().distribution().size(), curve.size());
        assertEquals(100.0, ((Number) curve.get(curve.size() - 1).get("percentile")).doubleValue());
    }

    @Test
    void htmlReportIsSelfContainedWithAChartAndEscapedText() {
        String html = HtmlReport.of(RESULT, Instant.parse("2025-01-02T03:04:05Z"));
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("ws://127.0.0.1:8000/echo?a=1&amp;b=&#39;x&#39;"), "URL escaped");
        assertTrue(html.contains("1011 &lt;b&gt;bye&lt;/b&gt;"), "error text escaped");
        assertFalse(html.contains("<b>"), "no raw user text");
        assertTrue(html.contains("<th>latency p99.9</th><td class=\"n\">0.999 ms</td>"));
        assertTrue(html.contains("<th>first error</th>"));
        // Nothing fetched: the only URL is the SVG namespace, which is an identifier, not a request.
        Matcher urls = Pattern.compile("(https?:)?//[^\"\\s<]+").matcher(html.replace("ws://127.0.0.1", ""));
        while (urls.find()) {
            assertEquals("http://www.w3.org/2000/svg", urls.group());
        }
        assertFalse(html.contains("<script"));
        assertFalse(html.contains("<link"));
        Matcher polyline = Pattern.compile("<polyline [^>]*points=\"([^\"]+)\"").matcher(html);
        assertTrue(polyline.find(), "chart drawn");
        assertEquals(RESULT.latency().distribution().size(), polyline.group(1).trim().split(" ").length);
    }

    @Test
    void chartPlacesNinesAtEqualStepsAndScalesToTheMaximum() {
        assertEquals(0.0, PercentileChart.position(0), 1e-9);
        assertEquals(1.0, PercentileChart.position(90), 1e-9);
        assertEquals(2.0, PercentileChart.position(99), 1e-9);
        assertEquals(3.0, PercentileChart.position(99.9), 1e-9);
        assertEquals(Double.POSITIVE_INFINITY, PercentileChart.position(100));
        assertEquals(1.0, PercentileChart.niceCeiling(1.0));
        assertEquals(2.0, PercentileChart.niceCeiling(1.2));
        assertEquals(5.0, PercentileChart.niceCeiling(3));
        assertEquals(10.0, PercentileChart.niceCeiling(7));
        assertEquals(0.05, PercentileChart.niceCeiling(0.031), 1e-12);

        String svg = PercentileChart.svg(RESULT.latency().distribution());
        assertEquals("0%", PercentileChart.percentileLabel(0));
        assertEquals("90%", PercentileChart.percentileLabel(1));
        assertEquals("99%", PercentileChart.percentileLabel(2));
        assertEquals("99.99%", PercentileChart.percentileLabel(4));
        assertTrue(svg.contains(">90%</text>") && svg.contains(">99.9%</text>"), svg);
        assertTrue(svg.contains(">1</text>"), "y axis tops out at 1 ms for a 1 ms maximum");
        Matcher points = Pattern.compile("(\\d+\\.\\d),(\\d+\\.\\d) ").matcher(svg);
        double maxX = 0;
        double minY = Double.MAX_VALUE;
        while (points.find()) {
            maxX = Math.max(maxX, Double.parseDouble(points.group(1)));
            minY = Math.min(minY, Double.parseDouble(points.group(2)));
        }
        assertEquals(PercentileChart.WIDTH - 20, maxX, 0.1, "the 100% point sits at the right edge");
        assertEquals(20, minY, 0.1, "the maximum touches the top");
    }

    @Test
    void emptyChartSaysSo() {
        assertTrue(PercentileChart.svg(List.of()).contains("no latency measured"));
    }
}
