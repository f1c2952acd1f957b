package io.sockwave.bench.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.testsupport.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster benchmark's pipeline, briefly, so that it cannot rot: three {@code sockwave serve --redis} node
 * processes on a real redis-server, 30 members in 3 rooms through every phase (memory, fixed rate, Redis paused for
 * a second, a ramp of two steps, a node killed), then the report. It checks that each phase measured something and
 * that the node kill lost nothing, not how fast anything was: figures on this shared machine belong in the report.
 *
 * <p>It takes 40 s to two minutes here (three JVMs starting, a node's members reconnecting), too long for the default
 * suite: {@code mvn -pl bench/cluster -am test -Dsockwave.cluster.pipeline=true -Dtest=ClusterPipelineTest
 * -Dsurefire.failIfNoSpecifiedTests=false} runs it.
 */
@EnabledIfSystemProperty(named = "sockwave.cluster.pipeline", matches = "true")
class ClusterPipelineTest {
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    private final List<Process> nodes = new ArrayList<>();
    private RedisServer redis;

    @AfterEach
    void stop() throws IOException {
        nodes.forEach(Process::destroyForcibly);
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void sockwaveNodesGoThroughEveryPhaseAndTheReportIsWritten(@TempDir Path dir) throws Exception {
        redis = RedisServer.start(RedisServer.Persistence.NONE);
        List<CompletableFuture<Integer>> ports = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ports.add(startNode(i));
        }
        StringBuilder spec = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            int port = ports.get(i).get(90, TimeUnit.SECONDS);
            spec.append(i == 0 ? "" : ",").append(port).append(':').append(nodes.get(i).pid());
        }
        Path results = dir.resolve("results.tsv");
        ClusterMain.main(new String[] {"run", "--system", "sockwave", "--nodes", spec.toString(),
                "--redis-pid", Long.toString(redis.pid()), "--out", results.toString(), "--clients", "30",
                "--rooms", "3", "--fixed-rate", "300", "--warmup", "0.5", "--measure", "1", "--ramp", "300,600",
                "--ramp-step", "0.5", "--pause", "1", "--fault-lead", "0.5", "--fault-timeout", "20",
                "--reconnect-jitter-ms", "200", "--settle", "0.2"});

        Map<String, String> figures = figures(results, "sockwave");
        assertTrue(Long.parseLong(figures.get("fixed.cross_count")) > 0, "cross-node deliveries measured");
        assertTrue(Double.parseDouble(figures.get("memory.heap_after")) > 0, "the nodes' heap was read");
        assertTrue(Double.parseDouble(figures.get("pause.drained_ms")) >= 0, "the pause's backlog drained");
        assertEquals("0", figures.get("pause.missing_at_end"));
        // Member i is on node (i / rooms) mod 3: members 0-2, 9-11, 18-20 and 27-29 on node 0, the one killed.
        assertEquals("12", figures.get("kill.members"), "the killed node's members were counted");
        assertTrue(Double.parseDouble(figures.get("kill.caught_up_ms")) >= 0, "they caught up: " + figures);
        assertEquals("0", figures.get("kill.lost_deliveries"));
        assertEquals("0", figures.get("kill.others_lost_deliveries"));
        assertEquals("0", figures.get("total.duplicates"));
        assertTrue(figures.containsKey("ramp.600.cross_p99_ms") || figures.containsKey("ramp.300.cross_p99_ms"));

        ClusterMain.main(new String[] {"report", "--in", results.toString(), "--out-dir", dir.toString(),
                "--stamp", "test"});
        String markdown = Files.readString(dir.resolve("cluster-test.md"));
        assertTrue(markdown.contains("| cross-node p99 at 300 deliveries/s (ms) | <= 20 |"), markdown);
        assertTrue(Files.readString(dir.resolve("cluster-test.json")).contains("\"kill.lost_deliveries\": 0"));
        assertTrue(Files.readString(dir.resolve("cluster-test.svg")).contains("<polyline"));
    }

    /** Starts {@code serve --redis} from this test's class path; completes with its port once it listens. */
    private CompletableFuture<Integer> startNode(int index) throws IOException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.sockwave.cli.Main", "serve",
                "--host", "127.0.0.1", "--port", "0", "--quiet", "--redis", redis.uri(), "--node-id", "n" + index)
                .redirectErrorStream(true).start();
        nodes.add(process);
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                StringBuilder output = new StringBuilder();
                String line;
                while ((line = in.readLine()) != null) {
                    output.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
                port.completeExceptionally(new IOException("node " + index + " ended before listening:\n" + output));
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
        }, "node-" + index + "-output");
        reader.setDaemon(true);
        reader.start();
        return port;
    }

    private static Map<String, String> figures(Path results, String system) throws IOException {
        Map<String, String> figures = new HashMap<>();
        for (String line : Files.readAllLines(results)) {
            String[] parts = line.split("\t", 3);
            if (parts[0].equals(system)) {
                figures.put(parts[1], parts[2]);
            }
        }
        return figures;
    }
}
