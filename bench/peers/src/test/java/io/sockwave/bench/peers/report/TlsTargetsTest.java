package io.sockwave.bench.peers.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue #20's wss:// targets pair each Sockwave with the Netty of the same kind of TLS, on hand-made samples. */
class TlsTargetsTest {
    private static final String SERVERS = "sockwave netty-epoll netty-nio sockwave-conscrypt=sockwave:conscrypt"
            + " sockwave-tcnative=sockwave:openssl netty-tcnative=netty-epoll:openssl netty-epoll-aa=netty-epoll";

    private final List<Sample> samples = new ArrayList<>();

    private void cell(String label, String scenario, String metric, double value) {
        samples.add(new Sample(1, label, scenario, metric, value, null));
        samples.add(new Sample(1, label, scenario, "errors", 0, null));
    }

    private List<Targets.Outcome> outcomes() {
        return TlsTargets.check(new Report(new Results(samples), Lineup.parse(SERVERS, "sockwave")));
    }

    @Test
    void jdkTlsIsComparedWithTheBetterJdkNettyAndNativeWithTcnative() {
        cell("sockwave", "tls16k", "mb_per_server_cpu_s", 100);
        cell("netty-epoll", "tls16k", "mb_per_server_cpu_s", 90);
        cell("netty-nio", "tls16k", "mb_per_server_cpu_s", 110);
        // The A/A twin and the native servers are no JDK peers, however good their figures.
        cell("netty-epoll-aa", "tls16k", "mb_per_server_cpu_s", 500);
        cell("netty-tcnative", "tls16k", "mb_per_server_cpu_s", 400);
        cell("sockwave-conscrypt", "tls16k", "mb_per_server_cpu_s", 370);
        List<Targets.Outcome> out = outcomes();
        assertEquals(4, out.size());
        assertEquals("sockwave 100 vs netty-nio 110: 0.91x", out.get(0).measured());
        assertEquals("MISSED", out.get(0).verdict());
        assertEquals("sockwave-conscrypt 370 vs netty-tcnative 400: 0.93x", out.get(1).measured());
        assertEquals("met", out.get(1).verdict(), "0.9x is the native target");
        assertEquals("no data", out.get(2).verdict(), "no handshake figures");
        assertEquals("no data", out.get(3).verdict());
    }

    @Test
    void theBetterOfSockwavesNativeProvidersMeetsTcnative() {
        cell("sockwave-conscrypt", "tls16k", "mb_per_server_cpu_s", 330);
        cell("sockwave-tcnative", "tls16k", "mb_per_server_cpu_s", 380);
        cell("netty-tcnative", "tls16k", "mb_per_server_cpu_s", 400);
        Targets.Outcome outcome = outcomes().get(1);
        assertEquals("sockwave-tcnative 380 vs netty-tcnative 400: 0.95x", outcome.measured());
        assertEquals("met", outcome.verdict(), "Conscrypt's 0.83x alone would miss");
    }

    @Test
    void handshakesHaveTheirOwnRowsAndTheMarkdownShowsThem() {
        cell("sockwave", "tlshandshake", "handshakes_per_server_cpu_s", 2000);
        cell("netty-epoll", "tlshandshake", "handshakes_per_server_cpu_s", 1900);
        cell("netty-epoll-aa", "tlshandshake", "handshakes_per_server_cpu_s", 1950);
        cell("sockwave-conscrypt", "tlshandshake", "handshakes_per_server_cpu_s", 3000);
        cell("netty-tcnative", "tlshandshake", "handshakes_per_server_cpu_s", 3500);
        List<Targets.Outcome> out = outcomes();
        assertEquals("met", out.get(2).verdict(), out.get(2).toString());
        assertEquals("MISSED", out.get(3).verdict(), "3000 / 3500 is 0.86x");
        String md = MarkdownReport.write(new Report(new Results(samples), Lineup.parse(SERVERS, "sockwave")),
                Map.of("cpu", "test"), Map.of());
        assertTrue(md.contains("| wss:// TLS handshake + close |"), md);
        assertTrue(md.contains("#20: wss:// handshakes per server CPU-s, Sockwave with a native provider >= 0.9x Netty"
                + " with tcnative | sockwave-conscrypt 3000 vs netty-tcnative 3500: 0.86x | MISSED |"), md);
    }
}
