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
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The wss:// scenarios against every server and TLS provider the benchmark pairs, in-process on an ephemeral loopback
 * port, for a few hundred messages and handshakes: each server's TLS works with the generator's, and the generator
 * verifies and counts what it receives over TLS. Nothing here is timed.
 */
class WssScenariosSmokeTest {
    /**
     * Small counts (a hundred echoes, a hundred full handshakes); each loop stops at its count long before its time
     * bound.
     */
    private static final LoadSettings SMOKE = new LoadSettings(Duration.ZERO, Duration.ofSeconds(20), 4, 20, 10, 2,
            2000, 2, 1, 100, Duration.ZERO);

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
        "sockwave, jdk",
        "sockwave, conscrypt",
        "sockwave, openssl",
        "netty-epoll, jdk",
        "netty-epoll, openssl",
        "netty-epoll, conscrypt",
        "vertx, jdk",
        "vertx, openssl",
    })
    void everyWssScenarioIsVerifiedAndCounted(String kind, String provider) throws Exception {
        try (BenchServer server = ServerKind.of(kind).start("127.0.0.1", 0, TlsProvider.of(provider));
                LoadClient client = new LoadClient("127.0.0.1", server.port())) {
            for (String scenario : Scenarios.TLS) {
                ScenarioResult result = Scenarios.run(scenario, client, server.pid(), SMOKE);
                String where = kind + " " + provider + " " + scenario + ": " + result;
                assertEquals(0, result.errors(), where);
                double verified = result.metrics().get(ScenarioResult.VERIFIED);
                assertTrue(verified >= SMOKE.maxMessages(), where);
                if (scenario.equals(Scenarios.TLS_16K)) {
                    // sampleEvery is 1: every payload was compared byte for byte.
                    assertEquals(verified, result.metrics().get(ScenarioResult.SAMPLED), where);
                    assertTrue(result.metrics().get("mb_per_server_cpu_s") > 0, where);
                } else {
                    assertTrue(result.metrics().get("handshakes_per_server_cpu_s") > 0, where);
                }
            }
        }
    }

    /** The wss:// scenarios really speak TLS: a ws:// server cannot answer them. */
    @Test
    void aWsServerCannotAnswerTheWssScenarios() throws Exception {
        try (BenchServer plain = ServerKind.SOCKWAVE.start("127.0.0.1", 0);
                LoadClient client = new LoadClient("127.0.0.1", plain.port())) {
            for (String scenario : Scenarios.TLS) {
                ScenarioResult result = Scenarios.run(scenario, client, plain.pid(), SMOKE);
                assertTrue(result.errors() > 0, result.toString());
            }
        }
    }
}
