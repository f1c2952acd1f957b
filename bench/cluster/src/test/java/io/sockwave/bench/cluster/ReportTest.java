package io.sockwave.bench.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's verdicts against the targets, from a results file. */
class ReportTest {
    private static final String RESULTS = String.join("\n",
            "run\tmachine\ttest machine",
            "sockwave\tfixed.offered\t4000",
            "sockwave\tfixed.cross_p50_ms\t2.5",
            "sockwave\tfixed.cross_p99_ms\t25.0",
            "sockwave\tramp.4000.offered\t4000",
            "sockwave\tramp.4000.achieved\t3990",
            "sockwave\tramp.4000.cross_p50_ms\t2",
            "sockwave\tramp.4000.cross_p99_ms\t9",
            "sockwave\tramp.best_deliveries_per_s\t120000",
            "sockwave\tmemory.rss_per_connection\t5000",
            "sockwave\tkill.caught_up_ms\t-1",
            "sockwave\tpause.drained_ms\t900",
            "socketio\tfixed.cross_p50_ms\t5",
            "socketio\tramp.4000.offered\t4000",
            "socketio\tramp.4000.cross_p99_ms\t30",
            "socketio\tramp.best_deliveries_per_s\t50000",
            "") + "\n";

    @Test
    void eachTargetIsMetOrMissedAsTheFiguresSay(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("results.tsv");
        Files.writeString(in, RESULTS);
        ClusterMain.main(new String[] {"report", "--in", in.toString(), "--out-dir", dir.toString(), "--stamp", "t"});
        String md = Files.readString(dir.resolve("cluster-t.md"));
        assertTrue(md.contains("| cross-node p50 at 4,000 deliveries/s (ms) | <= 3 | 2.50 | 5.00 | 0.50 | met |"), md);
        assertTrue(md.contains(
                "| cross-node p99 at 4,000 deliveries/s (ms) | <= 20 | 25.00 | n/a | n/a | **missed** |"), md);
        assertTrue(md.contains("| 120,000 | 50,000 | 2.40 | met |"), md);
        assertTrue(md.contains("| RSS per idle connection (bytes) | <= 4,096 | 5,000 |"), md);
        assertTrue(md.contains("everything it missed (ms) | <= 10,000 | not reached | n/a | n/a | **missed** |"), md);
        assertTrue(md.contains("backlog drained after SIGCONT (ms) | <= 2,000 | 900 | n/a | n/a | met |"), md);
        assertTrue(md.contains("- machine: test machine"), md);
        String svg = Files.readString(dir.resolve("cluster-t.svg"));
        assertTrue(svg.contains("sockwave p99") && svg.contains("socketio p99"), svg);
    }
}
