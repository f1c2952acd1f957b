package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.handshake.HttpResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Graceful shutdown and close: 1001 to every session, a bounded wait, and every thread released. */
class GracefulShutdownTest {
    @Test
    void everySessionGetsGoingAwayAndTheServerStops() throws Exception {
        // The server and the client are made on a thread of a group of their own, and so are their threads: the
        // check that these end counts no thread of another test, nor one still ending from a test before.
        ThreadGroup group = new ThreadGroup("graceful-shutdown");
        FutureTask<Void> body = new FutureTask<>(() -> {
            shutDownAServerWithFiveSessions();
            return null;
        });
        Thread runner = new Thread(group, body, "graceful-shutdown-test");
        runner.start();
        try {
            body.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
        runner.join(TimeUnit.SECONDS.toMillis(10));
        assertEquals(List.of(), loopThreadsLeft(group, TimeUnit.SECONDS.toNanos(10)),
                "the server's and client's loop threads ended");
    }

    private static void shutDownAServerWithFiveSessions() throws Exception {
        Recorder serverSide = new Recorder();
        Server server = Server.builder().host("127.0.0.1").eventLoops(2).route("/", serverSide).build().start();
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
        List<Recorder> clients = new ArrayList<>();
        try (Client client = Client.create()) {
            for (int i = 0; i < 5; i++) {
                Recorder recorder = new Recorder();
                client.connect(uri, recorder).get(10, TimeUnit.SECONDS);
                clients.add(recorder);
            }
            assertEquals(5, server.stats().sessions());
            assertTrue(server.shutdown(Duration.ofSeconds(5)), "every session closed within the timeout");
            for (Recorder recorder : clients) {
                assertEquals("close:1001:server shutting down", recorder.awaitClose());
            }
            assertEquals(0, server.stats().connections());
            assertThrows(IOException.class, () -> RawSocket.connect(server.port()).open("/"));
        }
    }

    /** @return the names of the group's sockwave threads still alive after waiting up to {@code nanos} for them */
    private static List<String> loopThreadsLeft(ThreadGroup group, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        Thread[] threads = new Thread[group.activeCount() + 16];
        List<String> left = new ArrayList<>();
        for (int i = 0, n = group.enumerate(threads); i < n; i++) {
            Thread thread = threads[i];
            if (thread.getName().startsWith("sockwave-")) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (thread.isAlive()) {
                    left.add(thread.getName());
                }
            }
        }
        return left;
    }

    /**
     * A client whose upgrade request is complete and waits for the hook's decision when the shutdown begins is
     * answered (RFC 9110 §15.6.4: 503 when the server cannot serve for now), not dropped without a word, and the
     * hook's late acceptance opens no session that the going-away round has passed by.
     */
    @Test
    void upgradeAwaitingItsHookIsAnswered503PerRfc9110Section15_6_4() throws Exception {
        CompletableFuture<UpgradeDecision> decision = new CompletableFuture<>();
        CountDownLatch asked = new CountDownLatch(1);
        Recorder serverSide = new Recorder();
        Server server = Server.builder().host("127.0.0.1").eventLoops(1)
                .route("/", request -> {
                    asked.countDown();
                    return decision;
                }, serverSide)
                .build().start();
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.upgrade("/", ""));
            assertTrue(asked.await(10, TimeUnit.SECONDS));
            CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(
                    () -> server.shutdown(Duration.ofSeconds(5)));
            String answer = raw.readUntilEof();
            assertTrue(answer.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), answer);
            raw.close();
            assertTrue(shutdown.get(10, TimeUnit.SECONDS));
            decision.complete(UpgradeDecision.accept());
            assertEquals(0, server.stats().connections());
            assertEquals(null, serverSide.events.poll(200, TimeUnit.MILLISECONDS), "no session opened");
        }
    }

    /** A plain request being answered when the shutdown begins gets its whole answer: only sessions go away. */
    @Test
    void plainRequestBeingAnsweredGetsItsAnswerDuringShutdown() throws Exception {
        CountDownLatch handling = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService callbacks = Executors.newSingleThreadExecutor();
        Server server = Server.builder().host("127.0.0.1").eventLoops(1).callbackExecutor(callbacks)
                .httpHandler(request -> {
                    handling.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return HttpResponse.of(200, "text/plain; charset=utf-8", "page".getBytes(StandardCharsets.UTF_8));
                })
                .build().start();
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write("GET /page HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertTrue(handling.await(10, TimeUnit.SECONDS));
            CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(
                    () -> server.shutdown(Duration.ofSeconds(5)));
            // The shutdown has begun when the listening socket refuses connections.
            assertTrue(refusesConnections(server.port()), "the shutdown began");
            release.countDown();
            String answer = raw.readUntilEof();
            assertTrue(answer.startsWith("HTTP/1.1 200 ") && answer.endsWith("\r\n\r\npage"), answer);
            raw.close();
            assertTrue(shutdown.get(10, TimeUnit.SECONDS));
        } finally {
            release.countDown();
            callbacks.shutdownNow();
        }
    }

    private static boolean refusesConnections(int port) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                Thread.sleep(10);
            } catch (IOException e) {
                return true;
            }
        }
        return false;
    }

    @Test
    void peerThatIgnoresTheCloseIsCutAtTheDeadline() throws Exception {
        Server server = Server.builder().host("127.0.0.1").eventLoops(1).closeTimeout(Duration.ofSeconds(30))
                .route("/", new Recorder()).build().start();
        try (RawSocket deaf = RawSocket.connect(server.port()).open("/")) {
            long start = System.nanoTime();
            assertFalse(server.shutdown(Duration.ofMillis(300)), "the deaf peer did not close in time");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "shutdown kept to its deadline");
            assertEquals(1001, deaf.readFrame().closeCode());
            deaf.expectEof();
        }
    }

    @Test
    void closeAbortsSessionsWith1006AndMayBeCalledFromACallback() throws Exception {
        Recorder serverSide = new Recorder();
        Server[] holder = new Server[1];
        Server server = Server.builder().host("127.0.0.1").eventLoops(1)
                .route("/", serverSide)
                .route("/stop", new Listener() {
                    @Override
                    public void onText(Session session, String text) {
                        holder[0].close();
                    }
                })
                .build().start();
        holder[0] = server;
        try (RawSocket a = RawSocket.connect(server.port()).open("/");
             RawSocket b = RawSocket.connect(server.port()).open("/stop")) {
            serverSide.expect("open");
            b.write(RawSocket.masked(0x81, "stop"));
            a.expectEof();
            assertTrue(serverSide.awaitClose().startsWith("close:1006:"));
        }
        server.close();
    }

    @Test
    void closeOnANeverStartedServerIsHarmless() {
        Server server = Server.builder().build();
        server.close();
        server.close();
        assertTrue(server.shutdown(Duration.ZERO));
    }
}
