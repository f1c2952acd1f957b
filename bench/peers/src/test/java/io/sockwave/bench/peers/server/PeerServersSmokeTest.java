package io.sockwave.bench.peers.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.bench.peers.load.LoadClient;
import io.sockwave.bench.peers.load.LoadSettings;
import io.sockwave.bench.peers.load.ProcStat;
import io.sockwave.bench.peers.load.ScenarioResult;
import io.sockwave.bench.peers.load.Scenarios;
import java.time.Duration;
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
        try (BenchServer server = kind.start("127.0.0.1", 0);
                LoadClient client = new LoadClient("127.0.0.1", server.port())) {
            for (String scenario : Scenarios.ALL) {
                ScenarioResult result = Scenarios.run(scenario, client, ProcStat.self(), SMOKE);
                String where = kind.id() + " " + scenario + ": " + result;
                assertEquals(0, result.errors(), where);
                double verified = result.metrics().get(ScenarioResult.VERIFIED);
                switch (scenario) {
                    case Scenarios.IDLE_MEMORY -> {
                        assertEquals(SMOKE.idleConnections(), verified, where);
                        assertTrue(result.metrics().containsKey("cold_bytes_per_conn"), where);
                        assertTrue(result.metrics().containsKey("bytes_per_conn"), where);
                        assertTrue(result.metrics().containsKey("live_heap_bytes_per_conn"), where);
                    }
                    case Scenarios.FIXED_RATE -> {
                        assertEquals(SMOKE.maxMessages(), result.metrics().get("measured"), where);
                        assertTrue(result.metrics().get("p50_us") > 0, where);
                        assertTrue(result.metrics().get("steal_pct") >= 0, where);
                        assertEquals(verified, result.metrics().get(ScenarioResult.SAMPLED), where);
                    }
                    case Scenarios.HANDSHAKE -> assertTrue(verified >= SMOKE.maxMessages(), where);
                    default -> {
                        assertTrue(verified >= SMOKE.maxMessages(), where);
                        // sampleEvery is 1: every payload was compared byte for byte.
                        assertEquals(verified, result.metrics().get(ScenarioResult.SAMPLED), where);
                    }
                }
            }
        }
    }
}
