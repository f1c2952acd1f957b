package io.sockwave.cli.it.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.cli.it.soak.RoomLogs.Log;
import io.sockwave.testsupport.RedisServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The soak of issue #16 with real processes, not in the default suite (its name does not end in IT; run it with
 * {@code cli/cluster-soak.sh [SECONDS]}): a redis-server with {@code appendfsync always}, three
 * {@code sockwave serve --redis} nodes, 600 WebSocket clients in 50 rooms, 200 messages a second in all for
 * {@code sockwave.soak.seconds} (default 600), while a node is killed, Redis is paused for 5 s, Redis is crashed and
 * restarted, a node is drained with SIGTERM and another node is killed. Then every client's transcript must be its
 * room's log in Redis from its first join, every acknowledged message must be in the log once at its offset, and
 * every membership that ended must have its leave in the log. Prints the counts and the delivery latency.
 */
class ClusterSoak {
    private static final int SECONDS = Integer.getInteger("sockwave.soak.seconds", 600);
    private static final int ROOMS = Integer.getInteger("sockwave.soak.rooms", 50);
    private static final int CLIENTS = Integer.getInteger("sockwave.soak.clients", 600);
    private static final int RATE = Integer.getInteger("sockwave.soak.rate", 200);
    private static final int NODES = 3;
    private static final long SETTLE_SECONDS = 90;
    /** How long the last fault may still take after the run, such as a node restart on a busy machine. */
    private static final long FAULTS_OVERRUN_SECONDS = 420;

    private final long started = System.nanoTime();
    private final Set<String> killed = ConcurrentHashMap.newKeySet();

    /** A fault at a fraction of the run. */
    private record Fault(double at, String what, Action action) {}

    private interface Action {
        void run() throws Exception;
    }

    @Test
    void soak() throws Exception {
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        ExecutorService faults = Executors.newSingleThreadExecutor();
        List<SoakClient> clients = new ArrayList<>();
        try (RedisServer redis = RedisServer.start(RedisServer.Persistence.AOF_ALWAYS);
                SoakNodes nodes = new SoakNodes(redis.uri(), NODES)) {
            nodes.startAll(List.of("n0", "n1", "n2"));
            SoakTally tally = new SoakTally();
            SoakClient.Shared shared = new SoakClient.Shared(nodes, HttpClient.newHttpClient(), timer, tally);
            for (int i = 0; i < CLIENTS; i++) {
                SoakClient client = new SoakClient(i, "soak-" + i % ROOMS, shared, i);
                clients.add(client);
                client.start(i % NODES);
                TimeUnit.MILLISECONDS.sleep(5);
            }
            awaitJoined(clients);
            say("%d clients joined in %d rooms on %d nodes", CLIENTS, ROOMS, NODES);

            long runStart = System.nanoTime();
            long runEnd = runStart + TimeUnit.SECONDS.toNanos(SECONDS);
            Future<?> faulted = faults.submit(() -> {
                inject(schedule(redis, nodes), runStart, runEnd);
                return null;
            });
            publish(clients, runStart, runEnd);
            faulted.get(FAULTS_OVERRUN_SECONDS, TimeUnit.SECONDS);
            say("publishing stopped: %d said, %d acknowledged; settling", tally.published.get(),
                    tally.acknowledged.size());

            SoakVerdict verdict = settle(redis.uri(), clients, tally);
            report(clients, tally, verdict);
            assertEquals(0, verdict.violations(), "violations: " + verdict.counts());
        } finally {
            clients.forEach(SoakClient::stop);
            faults.shutdownNow();
            timer.shutdownNow();
        }
    }

    /**
     * The faults, spaced out. The first killed node comes back under its own id, as a service manager restarting
     * it would; the drained one too; the last killed one under a new id (the docs allow both).
     */
    private List<Fault> schedule(RedisServer redis, SoakNodes nodes) {
        return List.of(
                new Fault(0.15, "SIGKILL node n2, restarted as n2", () -> {
                    nodes.kill(2);
                    killed.add("n2");
                    nodes.start(2, "n2");
                }),
                new Fault(0.35, "SIGSTOP Redis for 5 s, then SIGCONT", () -> {
                    redis.pause();
                    TimeUnit.SECONDS.sleep(5);
                    redis.resume();
                }),
                new Fault(0.50, "Redis SIGKILL and restart on the same data and port", redis::crashAndRestart),
                new Fault(0.65, "SIGTERM node n1 (drain with 1012), restarted as n1", () -> {
                    nodes.drain(1);
                    nodes.start(1, "n1");
                }),
                new Fault(0.80, "SIGKILL node n0, restarted as n0b", () -> {
                    nodes.kill(0);
                    killed.add("n0");
                    nodes.start(0, "n0b");
                }));
    }

    private void inject(List<Fault> schedule, long runStart, long runEnd) throws Exception {
        for (Fault fault : schedule) {
            long at = runStart + (long) ((runEnd - runStart) * fault.at());
            TimeUnit.NANOSECONDS.sleep(at - System.nanoTime());
            say("fault: %s", fault.what());
            fault.action().run();
            say("fault done: %s", fault.what());
        }
    }

    /** RATE messages a second in all, each from a client picked at random, until the end; progress every tenth. */
    private void publish(List<SoakClient> clients, long runStart, long runEnd) throws InterruptedException {
        Random random = new Random(42);
        long period = TimeUnit.SECONDS.toNanos(1) / RATE;
        long tenth = (runEnd - runStart) / 10;
        long nextProgress = runStart + tenth;
        for (long n = 0; runStart + n * period < runEnd; n++) {
            TimeUnit.NANOSECONDS.sleep(runStart + n * period - System.nanoTime());
            clients.get(random.nextInt(clients.size())).say();
            if (System.nanoTime() >= nextProgress) {
                nextProgress += tenth;
                long joined = clients.stream().filter(SoakClient::isJoined).count();
                long pending = clients.stream().mapToLong(SoakClient::pendingCount).sum();
                say("progress: %d joined, %d unacknowledged, load average %s", joined, pending, loadAverage());
            }
        }
    }

    private void awaitJoined(List<SoakClient> clients) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!clients.stream().allMatch(SoakClient::isJoined)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(clients.stream().filter(c -> !c.isJoined()).count()
                        + " clients not joined after 120 s");
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /** Judges again every two seconds until nothing is wrong (everyone caught up, leaves written) or time is up. */
    private SoakVerdict settle(String redisUri, List<SoakClient> clients, SoakTally tally) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS);
        try (RoomLogs reader = new RoomLogs(redisUri)) {
            while (true) {
                Map<String, Log> logs = new TreeMap<>();
                clients.forEach(client -> logs.computeIfAbsent(client.room, reader::read));
                SoakVerdict verdict = SoakVerdict.judge(logs, clients, tally, killed);
                if (verdict.violations() == 0 || System.nanoTime() > deadline) {
                    return verdict;
                }
                TimeUnit.SECONDS.sleep(2);
            }
        }
    }

    private void report(List<SoakClient> clients, SoakTally tally, SoakVerdict verdict) {
        long sessions = clients.stream().mapToLong(client -> client.sessions().size()).sum();
        say("soak: %d s, %d nodes, %d rooms, %d clients, %d said, %d acknowledged, %d refused and retried, "
                + "%d connections (%d reconnections), load average %s", SECONDS, NODES, ROOMS, CLIENTS,
                tally.published.get(), tally.acknowledged.size(), tally.refused.get(), sessions, sessions - CLIENTS,
                loadAverage());
        StringBuilder counts = new StringBuilder();
        verdict.counts().forEach((what, count) -> counts.append(counts.length() == 0 ? "" : ", ")
                .append(what).append(' ').append(count));
        say("soak: %s", counts);
        say("soak: leaves of killed nodes' members in the log: %d of %d", verdict.killedLeaves(),
                verdict.killedSessions());
        Histogram latency = tally.latency.copy();
        say("soak: delivery latency p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms over %d deliveries",
                latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(99) / 1e3,
                latency.getValueAtPercentile(99.9) / 1e3, latency.getMaxValue() / 1e3, latency.getTotalCount());
        verdict.examples().forEach(example -> say("soak: e.g. %s", example));
    }

    private void say(String format, Object... args) {
        System.out.printf("%7.1f s  %s%n", (System.nanoTime() - started) / 1e9, String.format(format, args));
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
