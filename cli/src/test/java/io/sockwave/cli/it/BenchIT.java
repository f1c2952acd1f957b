package io.sockwave.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.AttributeKey;
import io.sockwave.Listener;
import io.sockwave.Server;
import io.sockwave.Session;
import io.sockwave.cli.it.SockwaveProcess.Served;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.json.Json;

/** {@code sockwave bench} run briefly from the shaded jar; its reports are read back and checked for sense. */
class BenchIT {
    private static final AttributeKey<AtomicInteger> SEEN = AttributeKey.of("seen", AtomicInteger.class);

    /** Where the JSON reports of the runs that are not kept as artifacts go; JUnit deletes it afterwards. */
    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> report(Path json) throws Exception {
        return new Json().toType(Files.readString(json), Map.class);
    }

    private static long number(Map<String, Object> map, String... path) {
        Object value = map;
        for (String key : path) {
            value = ((Map<?, ?>) value).get(key);
        }
        return ((Number) value).longValue();
    }

    /** @return an in-process server answering on {@code /echo} with {@code echo} */
    private static Server echoServer(Listener echo) throws Exception {
        return Server.builder().host("127.0.0.1").port(0).route("/echo", echo).build().start();
    }

    @Test
    void benchAgainstServeEchoOnlyReportsSaneFiguresAsTextJsonAndHtml() throws Exception {
        Path artifacts = SockwaveProcess.artifacts();
        Path json = artifacts.resolve("bench.json");
        Path html = artifacts.resolve("bench.html");
        try (Served server = SockwaveProcess.serve("--echo-only", "--quiet");
                SockwaveProcess bench = SockwaveProcess.start("bench", server.uri("ws", "/echo").toString(),
                        "-c", "2", "--in-flight", "4", "--size", "200", "-d", "2s", "--json", json.toString(),
                        "--html", html.toString())) {
            assertEquals(0, bench.awaitExit(), bench.toString());
            // Not a terminal: plain progress lines on standard error.
            bench.awaitErr("^\\s+\\d+\\.\\d s  \\d+ echoes  [\\d.]+ msg/s  0 errors$");
            bench.awaitOut("^  latency     p50 \\d+\\.\\d{3} ms  p90 .* p99 .* p99\\.9 .* max \\d+\\.\\d{3} ms$");
            bench.awaitOut("^  errors      0$");

            Map<String, Object> r = report(json);
            long messages = number(r, "messages");
            assertTrue(messages > 100, "messages: " + messages);
            assertEquals(messages, number(r, "latencyMicros", "count"));
            assertTrue(((Number) r.get("messagesPerSecond")).doubleValue() > 0);
            assertEquals(((Number) r.get("messagesPerSecond")).doubleValue() * 200,
                    ((Number) r.get("bytesPerSecond")).doubleValue(), 1e-6 * messages * 200);
            long p50 = number(r, "latencyMicros", "p50");
            long p90 = number(r, "latencyMicros", "p90");
            long p99 = number(r, "latencyMicros", "p99");
            long p999 = number(r, "latencyMicros", "p99.9");
            long max = number(r, "latencyMicros", "max");
            assertTrue(0 < p50 && p50 <= p90 && p90 <= p99 && p99 <= p999 && p999 <= max,
                    List.of(p50, p90, p99, p999, max).toString());
            assertEquals(0, number(r, "errors", "total"));
            double elapsed = ((Number) r.get("elapsedSeconds")).doubleValue();
            assertTrue(elapsed >= 2.0 && elapsed < 10, "elapsed " + elapsed);
            String page = Files.readString(html);
            assertTrue(page.contains("<svg") && page.contains("<polyline"), "chart drawn");
            assertTrue(page.contains("<th>echoes</th><td class=\"n\">" + messages + "</td>"));
        }
    }

    @Test
    void messageCountEndsTheRunWithExactlyThatManyBinaryEchoes() throws Exception {
        Path json = tmp.resolve("bench.json");
        try (Served server = SockwaveProcess.serve("--echo-only", "--quiet");
                SockwaveProcess bench = SockwaveProcess.start("bench", server.uri("ws", "/echo").toString(),
                        "-c", "3", "--in-flight", "2", "--binary", "--size", "1k", "-n", "300", "-d", "60s",
                        "--json", json.toString(), "--quiet")) {
            assertEquals(0, bench.awaitExit(), bench.toString());
            Map<String, Object> r = report(json);
            assertEquals(300, number(r, "messages"));
            assertEquals(true, ((Map<?, ?>) r.get("settings")).get("binary"));
            assertTrue(((Number) r.get("elapsedSeconds")).doubleValue() < 60);
        }
    }

    @Test
    void corruptedEchoesAreCountedAsErrors() throws Exception {
        AtomicInteger count = new AtomicInteger();
        Listener echo = new Listener() {
            @Override
            public void onText(Session session, String text) {
                // Every fifth echo has its last character changed; the length stays right.
                boolean corrupt = count.incrementAndGet() % 5 == 0;
                session.sendText(corrupt ? text.substring(0, text.length() - 1) + "#" : text);
            }
        };
        Path json = tmp.resolve("bench.json");
        try (Server server = echoServer(echo);
                SockwaveProcess bench = SockwaveProcess.start("bench", "ws://127.0.0.1:" + server.port() + "/echo",
                        "-c", "1", "-n", "100", "--json", json.toString(), "--quiet")) {
            assertEquals(1, bench.awaitExit(), bench.toString());
            Map<String, Object> r = report(json);
            assertEquals(20, number(r, "errors", "mismatches"));
            assertEquals(80, number(r, "messages"));
            String first = (String) ((Map<?, ?>) r.get("errors")).get("first");
            assertEquals("echo 4 on connection 0: content differs from character 63", first);
            bench.awaitOut("errors      20 \\(20 mismatched echoes");
        }
    }

    @Test
    void runEndsEarlyWithErrorsWhenEveryConnectionIsDropped() throws Exception {
        Listener echo = new Listener() {
            @Override
            public void onText(Session session, String text) {
                session.setAttributeIfAbsent(SEEN, new AtomicInteger());
                int seen = session.attribute(SEEN).incrementAndGet();
                if (seen == 50) {
                    session.close(1011, "enough");
                } else {
                    session.sendText(text);
                }
            }
        };
        Path json = tmp.resolve("bench.json");
        try (Server server = echoServer(echo);
                SockwaveProcess bench = SockwaveProcess.start("bench", "ws://127.0.0.1:" + server.port() + "/echo",
                        "-c", "2", "-d", "10m", "--json", json.toString(), "--quiet")) {
            // Well within the patience of awaitExit, far short of the 10 minutes asked for.
            assertEquals(1, bench.awaitExit(), bench.toString());
            Map<String, Object> r = report(json);
            assertEquals(98, number(r, "messages"));
            assertEquals(2, number(r, "errors", "dropped"));
            assertEquals(2, number(r, "errors", "unanswered"));
            assertTrue(((String) ((Map<?, ?>) r.get("errors")).get("first")).contains("1011 internal error: enough"));
        }
    }

    @Test
    void rateLimitCapsTheMessagesSent() throws Exception {
        Path json = tmp.resolve("bench.json");
        try (Served server = SockwaveProcess.serve("--echo-only", "--quiet");
                SockwaveProcess bench = SockwaveProcess.start("bench", server.uri("ws", "/echo").toString(),
                        "-c", "2", "--in-flight", "8", "--rate", "50", "-d", "2s", "--json", json.toString(),
                        "--quiet")) {
            assertEquals(0, bench.awaitExit(), bench.toString());
            long messages = number(report(json), "messages");
            // 50 msg/s for 2 s; without the limit a loopback echo does thousands.
            assertTrue(messages > 0 && messages <= 110, "messages: " + messages);
        }
    }

    @Test
    void unreachableServerIsAFailureWithTheReason() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        try (SockwaveProcess bench = SockwaveProcess.start("bench", "ws://127.0.0.1:" + port + "/echo", "-c", "2",
                "-d", "1s")) {
            assertEquals(1, bench.awaitExit(), bench.toString());
            bench.awaitOut("errors      2 \\(0 mismatched echoes, 2 failed connects, .*first: cannot connect to");
        }
    }
}
