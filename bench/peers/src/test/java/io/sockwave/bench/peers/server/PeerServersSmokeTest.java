package io.sockwave.bench.peers.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.bench.peers.load.LoadClient;
import io.sockwave.bench.peers.load.LoadSettings;
import io.sockwave.bench.peers.load.ProcStat;
import io.sockwave.bench.peers.load.ScenarioResult;
import io.sockwave.bench.peers.load.Scenarios;
import io.sockwave.bench.peers.load.FixedRateScenario;
import io.sockwave.testsupport.ExternalProgram;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every server under test, started in-process on an ephemeral loopback port, driven through every scenario by the
 * load generator for a few hundred messages. A functional check that the servers echo and broadcast correctly and
 * that the generator verifies and counts what it receives; nothing here is timed.
 */
class PeerServersSmokeTest {
    /** Small counts; each loop stops at its count long before its time bound. */
    private static final LoadSettings SMOKE = new LoadSettings(Duration.ZERO, Duration.ofSeconds(20), 4, 20, 10, 2,
            2000, 2, 1, 300, Duration.ZERO);

    @ParameterizedTest
    @EnumSource(ServerKind.class)
    void everyScenarioIsVerifiedAndCounted(ServerKind kind) throws Exception {
        requireInstalled(kind);
        try (BenchServer server = kind.start("127.0.0.1", 0);
                LoadClient client = new LoadClient("127.0.0.1", server.port())) {
            for (String scenario : Scenarios.ALL) {
                if (Scenarios.DEFLATE.contains(scenario)) {
                    continue; // DeflateScenariosSmokeTest runs them, on the servers that negotiate deflate
                }
                ScenarioResult result = Scenarios.run(scenario, client, server.pid(), SMOKE);
                String where = kind.id() + " " + scenario + ": " + result;
                assertEquals(0, result.errors(), where);
                double verified = result.metrics().get(ScenarioResult.VERIFIED);
                switch (scenario) {
                    case Scenarios.IDLE_MEMORY -> {
                        assertEquals(SMOKE.idleConnections(), verified, where);
                        assertTrue(result.metrics().containsKey("cold_bytes_per_conn"), where);
                        assertTrue(result.metrics().containsKey("bytes_per_conn"), where);
                        // jcmd reads a JVM's live heap; Node's has no such reading.
                        assertEquals(kind.onJvm(), result.metrics().containsKey("live_heap_bytes_per_conn"), where);
                    }
                    case Scenarios.FIXED_RATE -> {
                        assertEquals(SMOKE.maxMessages(), result.metrics().get("measured"), where);
                        assertTrue(result.metrics().get("p50_us") > 0, where);
                        assertTrue(result.metrics().get("steal_pct") >= 0, where);
                        assertEquals(verified, result.metrics().get(ScenarioResult.SAMPLED), where);
                    }
                    case Scenarios.HANDSHAKE -> {
                        assertTrue(verified >= SMOKE.maxMessages(), where);
                        assertTrue(result.metrics().get(ScenarioResult.SERVER_JIT) >= 0, where);
                    }
                    default -> {
                        assertTrue(verified >= SMOKE.maxMessages(), where);
                        // sampleEvery is 1: every payload was compared byte for byte.
                        assertEquals(verified, result.metrics().get(ScenarioResult.SAMPLED), where);
                    }
                }
            }
        }
    }

    /**
     * The scale scenario at three small levels: both passes run and every level has its memory and rate figures.
     */
    @ParameterizedTest
    @EnumSource(ServerKind.class)
    void theScaleScenarioMeasuresEveryLevel(ServerKind kind) throws Exception {
        requireInstalled(kind);
        List<Integer> levels = List.of(6, 12, 20);
        try (BenchServer server = kind.start("127.0.0.1", 0);
                LoadClient client = new LoadClient("127.0.0.1", server.port())) {
            ScenarioResult result = Scenarios.scale(client, server.pid(), SMOKE, levels);
            String where = kind.id() + ": " + result;
            assertEquals(0, result.errors(), where);
            assertEquals(20.0, result.metrics().get(ScenarioResult.VERIFIED), where);
            for (int level : levels) {
                assertTrue(result.metrics().get("rss_mib_" + level) > 0, where);
                assertEquals(kind.onJvm(), result.metrics().containsKey("live_heap_mib_" + level), where);
                assertTrue(result.metrics().get("deliveries_per_s_" + level) > 0, where);
                assertTrue(result.metrics().get("handshakes_per_s_" + level) > 0, where);
            }
        }
    }

    /**
     * The fixed rate with every kind of server process at once, as the script runs it: a JVM peer and uWebSockets.js
     * under Node, each with its own share of the messages and its own process's CPU.
     */
    @Test
    void aJvmServerAndUWebSocketsTakeTurnsSideBySide() throws Exception {
        requireInstalled(ServerKind.UWEBSOCKETS);
        try (BenchServer vertx = ServerKind.VERTX.start("127.0.0.1", 0);
                BenchServer uws = ServerKind.UWEBSOCKETS.start("127.0.0.1", 0);
                LoadClient first = new LoadClient("127.0.0.1", vertx.port());
                LoadClient second = first.sibling("127.0.0.1", uws.port())) {
            List<List<ScenarioResult>> results = FixedRateScenario.interleaved(List.of(first, second),
                    List.of(vertx.pid(), uws.pid()), SMOKE, 1, FixedRateScenario.DEFAULT_SLICE);
            for (List<ScenarioResult> server : results) {
                ScenarioResult round = server.get(0);
                assertEquals(0, round.errors(), round.toString());
                assertEquals(SMOKE.maxMessages(), round.metrics().get("measured"), round.toString());
                assertTrue(round.metrics().get(ScenarioResult.SERVER_CPU) >= 0, round.toString());
            }
        }
    }

    /**
     * uWebSockets.js and ws need Node and their npm package ({@code npm ci --prefix bench/peers/uwebsockets}, or
     * {@code bench/peers/ws}): without them their tests are skipped, and fail under {@code CI=true}, whose
     * {@code .ci/run} installs them.
     */
    static void requireInstalled(ServerKind kind) throws IOException {
        String missing = kind.onJvm() ? null
                : !ExternalProgram.installed("node") ? "node is not installed: apt-get install nodejs"
                : !kind.installed() ? kind.id() + " is not installed: npm ci --prefix bench/peers/"
                        + (kind == ServerKind.WS_NODE ? "ws" : "uwebsockets")
                : null;
        if (missing == null) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IOException(missing + " (.ci/run installs it)");
        }
        Assumptions.abort(missing);
    }

    /**
     * Two servers measured side by side: each round gives each exactly its share of the messages (2,000/s for
     * 150 ms of one-millisecond turns: 300), every one echoed and compared, and each server's own CPU.
     */
    @Test
    void serversSideBySideEachGetTheirShareOfEveryRound() throws Exception {
        int rounds = 2;
        try (BenchServer a = ServerKind.SOCKWAVE.start("127.0.0.1", 0);
                BenchServer b = ServerKind.NETTY_NIO.start("127.0.0.1", 0);
                LoadClient first = new LoadClient("127.0.0.1", a.port());
                LoadClient second = first.sibling("127.0.0.1", b.port())) {
            List<List<ScenarioResult>> results = FixedRateScenario.interleaved(List.of(first, second),
                    List.of(ProcStat.self(), ProcStat.self()), SMOKE, rounds, FixedRateScenario.DEFAULT_SLICE);
            assertEquals(2, results.size());
            for (List<ScenarioResult> server : results) {
                assertEquals(rounds, server.size());
                for (ScenarioResult round : server) {
                    assertEquals(0, round.errors(), round.toString());
                    assertEquals(SMOKE.maxMessages(), round.metrics().get("measured"), round.toString());
                    assertEquals(round.metrics().get(ScenarioResult.VERIFIED),
                            round.metrics().get(ScenarioResult.SAMPLED), round.toString());
                    assertEquals(2.0, round.metrics().get(ScenarioResult.INTERLEAVED), round.toString());
                    assertTrue(round.metrics().get("p50_us") > 0, round.toString());
                    assertTrue(round.metrics().get(ScenarioResult.SERVER_CPU) >= 0, round.toString());
                }
            }
        }
    }
}
