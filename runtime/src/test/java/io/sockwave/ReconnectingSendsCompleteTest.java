package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ReconnectingSession is "thread-safe"; its sendText is "as Session.sendText when a session is open; otherwise failed
 * at once ... or completed once sent on the next session", and held messages are sent "in order once reconnected";
 * close "completes with the final status once no session is left". Several threads send through it while the server
 * drops session after session (abort, close with 1012, a callback that throws): every future must be done within a
 * bound after close, failed only with an IOException or IllegalStateException that says something; no message may
 * arrive twice, or cut, or after a later one of the same thread; and it must end CLOSED.
 */
@Timeout(120)
class ReconnectingSendsCompleteTest {
    private static final int SENDERS = 3;
    private static final int MESSAGES_PER_SENDER = 150;
    private static final long BOUND_SECONDS = 20;

    private static void pause() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void everyFutureCompletesAndNoMessageIsDuplicatedOrReorderedAcrossReconnects() throws Exception {
        long seed = Long.getLong("sockwave.futures.seed", System.nanoTime());
        Random random = new Random(seed);
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> lastSeq = new ConcurrentHashMap<>();
        AtomicInteger sessions = new AtomicInteger();
        int dropEvery = 20 + random.nextInt(60);
        Listener dropping = new Listener() {
            private final Map<Session, Integer> counts = new ConcurrentHashMap<>();

            @Override
            public void onOpen(Session session) {
                sessions.incrementAndGet();
            }

            @Override
            public void onText(Session session, String text) {
                String header = EveryFutureCompletesTest.check(text);
                if (header == null) {
                    problems.add("a message not sent whole: " + text.substring(0, Math.min(40, text.length())));
                    return;
                }
                int dash = header.lastIndexOf('-');
                String sender = header.substring(0, dash);
                int seq = Integer.parseInt(header.substring(dash + 1));
                Integer before = lastSeq.put(sender, seq);
                if (before != null && before >= seq) {
                    problems.add(header + " arrived after " + sender + "-" + before);
                }
                int n = counts.merge(session, 1, Integer::sum);
                if (n % dropEvery == 0) {
                    switch ((n / dropEvery) % 3) {
                        case 0 -> session.abort();
                        case 1 -> session.close(1012, "restarting");
                        default -> throw new IllegalStateException("a callback fails on purpose");
                    }
                }
            }
        };
        List<CompletableFuture<?>> futures = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> firstOpen = new CompletableFuture<>();
        List<ReconnectingSession.Status> statuses = new CopyOnWriteArrayList<>();
        try (Server server = Server.builder().host("127.0.0.1").port(0).eventLoops(1).route("/", dropping).build()
                .start();
             Client client = Client.create(1)) {
            ReconnectPolicy policy = ReconnectPolicy.builder().initialDelay(Duration.ofMillis(10))
                    .maxDelay(Duration.ofMillis(50)).holdWhileDisconnected(1 << 20).build();
            ReconnectingSession reconnecting = client.connectReconnecting(
                    URI.create("ws://127.0.0.1:" + server.port() + "/"), ClientOptions.defaults(), policy,
                    new Listener() { }, status -> {
                        statuses.add(status);
                        if (status.state() == ReconnectingSession.State.OPEN) {
                            firstOpen.complete(null);
                        }
                    });
            firstOpen.get(10, TimeUnit.SECONDS);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < SENDERS; i++) {
                String name = "r" + i;
                Random r = new Random(random.nextLong());
                Thread thread = new Thread(() -> {
                    try {
                        for (int seq = 0; seq < MESSAGES_PER_SENDER; seq++) {
                            futures.add(reconnecting.sendText(EveryFutureCompletesTest.message(name, seq,
                                    r.nextInt(2048))));
                            // Spread over enough time for the server to drop several sessions meanwhile.
                            pause();
                        }
                    } catch (RuntimeException e) {
                        problems.add("sendText threw " + e);
                    }
                }, "sender");
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
                assertTrue(!thread.isAlive(), "a sender is blocked in sendText");
            }
            CompletableFuture<ReconnectingSession.Status> closed = reconnecting.close(1000, "done");
            futures.add(closed);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
            List<CompletableFuture<?>> all;
            synchronized (futures) {
                all = List.copyOf(futures);
            }
            for (CompletableFuture<?> future : all) {
                try {
                    future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    fail("a future was not done within " + BOUND_SECONDS + " s of close; seed " + seed);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (!(cause instanceof IOException || cause instanceof IllegalStateException)
                            || cause.getMessage() == null || cause.getMessage().isBlank()) {
                        problems.add("a send failed with " + cause);
                    }
                }
            }
            assertEquals(ReconnectingSession.State.CLOSED, closed.get().state(), "seed " + seed);
            assertTrue(sessions.get() > 1, "the server dropped no session, nothing was tested across reconnects: "
                    + statuses);
            assertEquals(List.of(), problems, "seed " + seed + ", " + sessions.get() + " sessions");
        }
    }
}
