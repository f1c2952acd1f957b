package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A shutdown that begins while clients keep connecting, on a server with several loops: a connection the accepting
 * loop hands to another loop just before it stops accepting must be reached by the going-away too. Otherwise it
 * opens a session after the 1001s went out, the drain waits for it in vain, and it is cut (1006) at the deadline.
 * The race is narrow, so the test runs rounds until each has seen sessions open while the shutdown began; every
 * round is bounded in connections and time.
 */
class ShutdownDuringAcceptsTest {
    private static final int ROUNDS = 12;
    private static final int CONNECTORS = 3;
    private static final int CONNECTS_PER_CONNECTOR = 60;

    @Test
    void everySessionOpenedAsTheShutdownBeginsGetsGoingAway() throws Exception {
        try (Client client = Client.create()) {
            for (int round = 0; round < ROUNDS; round++) {
                runRound(client, round);
            }
        }
    }

    private record Attempt(Recorder recorder, CompletableFuture<Session> connect) {
    }

    private static void runRound(Client client, int round) throws Exception {
        Server server = Server.builder().host("127.0.0.1").eventLoops(4).closeTimeout(Duration.ofSeconds(10))
                .route("/", new Listener() { }).build().start();
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
        List<Attempt> attempts = new CopyOnWriteArrayList<>();
        ExecutorService connectors = Executors.newFixedThreadPool(CONNECTORS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CONNECTORS; c++) {
                running.add(connectors.submit(() -> {
                    for (int i = 0; i < CONNECTS_PER_CONNECTOR; i++) {
                        Recorder recorder = new Recorder();
                        attempts.add(new Attempt(recorder, client.connect(uri, recorder)));
                        Thread.onSpinWait();
                    }
                }));
            }
            // Let some sessions open first, so that the shutdown lands in the middle of the stream of accepts.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.stats().sessions() < 5 && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            boolean clean = server.shutdown(Duration.ofSeconds(8));
            for (Future<?> f : running) {
                f.get(10, TimeUnit.SECONDS);
            }
            int opened = 0;
            for (Attempt attempt : attempts) {
                try {
                    attempt.connect.get(10, TimeUnit.SECONDS);
                } catch (ExecutionException refusedOrCut) {
                    continue;
                }
                opened++;
                assertEquals("close:1001:server shutting down", attempt.recorder.awaitClose(),
                        "round " + round + ": a session open when the shutdown began ends with going-away");
            }
            assertTrue(opened >= 5, "round " + round + ": sessions opened before the shutdown: " + opened);
            assertTrue(clean, "round " + round + ": every connection drained before the deadline");
        } finally {
            connectors.shutdownNow();
            server.close();
        }
    }
}
