package io.sockwave.bench.peers.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.bench.peers.load.Scenarios;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scale section's table, its checks against issue #20 and its plot, on hand-made samples. */
class ScaleReportTest {
    private final List<Sample> samples = new ArrayList<>();

    private void figure(String label, String metric, double value) {
        samples.add(new Sample(1, label, Scenarios.SCALE, metric, value, null));
    }

    /** RSS before and at 1,000, 2,000 and 4,000 connections (MiB), and deliveries/s at each level. */
    private void server(String label, double before, double[] rss, double[] deliveries) {
        figure(label, "errors", 0);
        figure(label, "rss_before_mib", before);
        int[] levels = {1000, 2000, 4000};
        for (int i = 0; i < levels.length; i++) {
            figure(label, "rss_mib_" + levels[i], rss[i]);
            figure(label, "deliveries_per_s_" + levels[i], deliveries[i]);
            figure(label, "handshakes_per_s_" + levels[i], 1000);
        }
    }

    private ScaleReport report() {
        return new ScaleReport(new Report(new Results(samples), Lineup.parse("sockwave netty-epoll", "sockwave")));
    }

    @Test
    void nothingIsWrittenWhenTheScenarioDidNotRun() {
        figure("sockwave", "unrelated", 1);
        assertFalse(report().present());
        assertEquals("", report().markdown("plot.svg"));
    }

    @Test
    void linearGrowthWithinBudgetAndAKeptBroadcastMeetEveryCheck() {
        // 1 MiB per 1,000 connections: 1,049 B each, every step alike.
        server("sockwave", 100, new double[] {101, 102, 104}, new double[] {500_000, 480_000, 450_000});
        String md = report().markdown("plot.svg");
        assertTrue(md.contains("| sockwave | 4,000 | 104.0 | 1,049 |"), md);
        assertTrue(md.contains("sockwave: RSS linear (no step above 1.5x the step to 2,000's 1,049 B/conn): met"
                + " (worst step 1,049 B/conn)"), md);
        assertTrue(md.contains("RSS growth per connection <= 2,500 B (250 MB at 100k): 1,049 B, met"), md);
        assertTrue(md.contains("deliveries/s at 4,000 within 0.8x of those at 1,000: 0.90x, met"), md);
    }

    @Test
    void aStepCostingMuchMoreThanTheOneBeforeIsAKnee() {
        // 1,049 B per connection up to 2,000, then 10,486 B per connection: a knee, and over the budget overall.
        server("sockwave", 100, new double[] {101, 102, 122}, new double[] {500_000, 450_000, 300_000});
        server("netty-epoll", 100, new double[] {101, 102, 104}, new double[] {200_000, 200_000, 200_000});
        String md = report().markdown("plot.svg");
        assertTrue(md.contains("sockwave: RSS linear (no step above 1.5x the step to 2,000's 1,049 B/conn): missed"
                + " (worst step 10,486 B/conn)"), md);
        assertTrue(md.contains("RSS growth per connection <= 2,500 B (250 MB at 100k): 5,767 B, missed"), md);
        assertTrue(md.contains("deliveries/s at 4,000 within 0.8x of those at 1,000: 0.60x, missed"), md);
        // The budget is Sockwave's target; a peer gets the linearity and broadcast checks only.
        String peer = md.lines().filter(l -> l.startsWith("- netty-epoll: ")).findFirst().orElseThrow();
        assertTrue(peer.contains("RSS linear (no step above 1.5x the step to 2,000's 1,049 B/conn): met"), peer);
        assertFalse(peer.contains("RSS growth"), peer);
    }

    @Test
    void thePlotHasALineAndAPointPerLevelForEveryServerInBothPanels() {
        server("sockwave", 100, new double[] {101, 102, 104}, new double[] {500_000, 480_000, 450_000});
        server("netty-epoll", 100, new double[] {101, 102, 104}, new double[] {200_000, 200_000, 200_000});
        String svg = report().svg();
        assertTrue(svg.startsWith("<svg"), svg);
        assertEquals(4, svg.split("<polyline", -1).length - 1, svg);
        assertEquals(12, svg.split("<circle", -1).length - 1, svg);
        assertTrue(svg.contains(">RSS, MiB<") && svg.contains(">broadcast deliveries/s<"), svg);
    }
}
