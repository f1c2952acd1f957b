package io.sockwave.bench.peers.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.bench.peers.load.LoadClient;
import io.sockwave.bench.peers.load.LoadSettings;
import io.sockwave.bench.peers.load.ScenarioResult;
import io.sockwave.bench.peers.load.Scenarios;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The compression scenarios (RFC 7692) against every server that negotiates permessage-deflate, started on an
 * ephemeral loopback port: each offer accepted as made, every echo inflated and compared, the idle connections'
 * memory read. A functional check; nothing here is timed.
 */
class DeflateScenariosSmokeTest {
    /** Small counts: 4 connections echo 300 messages; 20 idle connections per wave. */
    private static final LoadSettings SMOKE = new LoadSettings(Duration.ZERO, Duration.ofSeconds(20), 4, 20, 10, 2,
            2000, 2, 1, 300, Duration.ZERO);

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"SOCKWAVE_DEFLATE", "NETTY_EPOLL_DEFLATE", "WS_NODE"})
    void compressedEchoesAreInflatedComparedAndCounted(ServerKind kind) throws Exception {
        assertTrue(kind.negotiatesDeflate());
        PeerServersSmokeTest.requireInstalled(kind);
        try (BenchServer server = kind.start("127.0.0.1", 0);
                LoadClient client = new LoadClient("127.0.0.1", server.port())) {
            for (String scenario : Scenarios.DEFLATE) {
                ScenarioResult result = Scenarios.run(scenario, client, server.pid(), SMOKE);
                String where = kind.id() + " " + scenario + ": " + result;
                assertEquals(0, result.errors(), where);
                double verified = result.metrics().get(ScenarioResult.VERIFIED);
                assertTrue(result.metrics().get("mean_compressed_bytes") < result.metrics().get("mean_message_bytes"),
                        where);
                if (Scenarios.FRESH_SERVER.contains(scenario)) {
                    assertEquals(SMOKE.idleConnections(), verified, where);
                    assertTrue(result.metrics().containsKey("bytes_per_conn"), where);
                    assertEquals(kind.onJvm(), result.metrics().containsKey("live_heap_bytes_per_conn"), where);
                } else {
                    assertTrue(verified >= SMOKE.maxMessages(), where);
                    assertEquals(verified, result.metrics().get(ScenarioResult.SAMPLED), where);
                    assertTrue(result.metrics().get("msgs_per_server_cpu_s") > 0, where);
                }
            }
        }
    }

    /** RFC 7692 §5: a server that declines the offer fails the scenario rather than being measured without it. */
    @Test
    void aServerWithoutDeflateFailsTheScenario() throws Exception {
        assertTrue(!ServerKind.SOCKWAVE.negotiatesDeflate());
        try (BenchServer server = ServerKind.SOCKWAVE.start("127.0.0.1", 0);
                LoadClient client = new LoadClient("127.0.0.1", server.port())) {
            ScenarioResult result = Scenarios.run(Scenarios.DEFLATE_CHAT, client, server.pid(), SMOKE);
            assertTrue(result.errors() > 0, result.toString());
            assertTrue(result.firstError().contains("did not accept permessage-deflate"), result.toString());
        }
    }
}
