package io.sockwave.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchOptionsTest {
    private static BenchOptions parse(String... args) {
        BenchOptions options = new BenchOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void defaultsAreBoundedByTime() {
        BenchSettings s = parse("ws://127.0.0.1:8000/echo").settings();
        assertEquals(4, s.connections());
        assertEquals(1, s.inFlight());
        assertEquals(64, s.size());
        assertEquals(Duration.ofSeconds(10), s.duration());
        assertEquals(0, s.messages());
        assertEquals(0.0, s.rate());
        assertEquals(false, s.binary());
        assertEquals("4 connections x 1 in flight, 64-byte text messages within 10.0 s", s.describe());
    }

    @Test
    void everyCapIsEnforced() {
        assertThrows(IllegalArgumentException.class, () -> parse("ws://h/", "-c", "10001").settings());
        assertThrows(IllegalArgumentException.class, () -> parse("ws://h/", "--in-flight", "0").settings());
        assertThrows(IllegalArgumentException.class, () -> parse("ws://h/", "--size", "17MiB").settings());
        assertThrows(IllegalArgumentException.class, () -> parse("ws://h/", "-d", "0").settings());
        assertThrows(IllegalArgumentException.class, () -> parse("ws://h/", "-d", "61m").settings());
        assertThrows(IllegalArgumentException.class, () -> parse("ws://h/", "-n", "-1").settings());
        assertThrows(IllegalArgumentException.class, () -> parse("ws://h/", "--rate", "-5").settings());
        assertEquals(Duration.ofHours(1), parse("ws://h/", "-d", "1h").settings().duration());
    }

    /** What "invalid bench settings" and the record's toString show: never the URL's password. */
    @Test
    void settingsNeverShowTheUrlsPassword() {
        URI url = URI.create("ws://alice:secret@127.0.0.1:9/echo");
        BenchSettings settings = new BenchSettings(url, 1, 1, 64, Duration.ofSeconds(1), 0, 0, false, false);
        assertEquals("BenchSettings[url=ws://alice:***@127.0.0.1:9/echo, connections=1, inFlight=1, size=64,"
                + " duration=PT1S, messages=0, rate=0.0, binary=false, compression=false]", settings.toString());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new BenchSettings(url, 0, 1, 64, Duration.ofSeconds(1), 0, 0, false, false));
        assertEquals("invalid bench settings: BenchSettings[url=ws://alice:***@127.0.0.1:9/echo, connections=0,"
                + " inFlight=1, size=64, duration=PT1S, messages=0, rate=0.0, binary=false, compression=false]",
                refused.getMessage());
    }

    /** 0 means no limit for --rate and no count for --messages, as the help says. */
    @Test
    void zeroRateAndMessagesMeanNoLimit() {
        BenchSettings s = parse("ws://h/", "--rate", "0", "-n", "0").settings();
        assertEquals(0.0, s.rate());
        assertEquals(0, s.messages());
        assertEquals("4 connections x 1 in flight, 64-byte text messages within 10.0 s", s.describe());
    }

    @Test
    void describeNamesEveryChoice() {
        BenchSettings s = parse("wss://h/", "-c", "1", "--in-flight", "8", "--size", "1k", "--binary", "-n", "500",
                "--rate", "250", "-d", "30s").settings();
        assertEquals("1 connection x 8 in flight, 1024-byte binary messages, at most 250 msg/s, 500 messages"
                + " within 30.0 s", s.describe());
    }
}
