package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.ReconnectingSession.State;
import io.sockwave.ReconnectingSession.Status;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Client#shutdown}: against a real server on loopback, and against hand-made servers (and a proxy) that answer
 * the upgrade and then never answer the close, or never answer at all.
 */
class ClientShutdownTest {
    private static final String GOING_AWAY = "close:1001:client shutting down";

    @Test
    void everyOpenSessionIsClosedWith1001AndSeesTheServersReply() throws Exception {
        Recorder serverSide = new Recorder();
        Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", serverSide).build().start();
        try (Client client = Client.create(2)) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
            List<Recorder> sessions = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Recorder recorder = new Recorder();
                client.connect(uri, recorder).get(10, TimeUnit.SECONDS);
                sessions.add(recorder);
            }
            long start = System.nanoTime();
            assertTrue(client.shutdown(Duration.ofSeconds(8)), "every session closed within the timeout");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(6),
                    "it waited for the closing handshakes, not for the timeout");
            for (Recorder recorder : sessions) {
                // A Sockwave server's reply echoes the code only.
                assertEquals("close:1001:", recorder.awaitClose());
                assertTrue(recorder.errors.isEmpty(), recorder.errors.toString());
            }
            int closes = 0;
            for (int events = 0; events < 6 && closes < 3; events++) {
                String event = serverSide.next();
                if (event.startsWith("close:")) {
                    assertEquals(GOING_AWAY, event);
                    closes++;
                }
            }
            assertEquals(3, closes, "the server saw each session's 1001");
        } finally {
            server.close();
        }
    }

    @Test
    void aServerThatNeverAnswersTheCloseIsCutAtTheTimeout() throws Exception {
        try (HandMadeServer server = new HandMadeServer();
             Client client = Client.create()) {
            Recorder recorder = new Recorder();
            CompletableFuture<Session> connecting = client.connect(server.uri("/"),
                    ClientOptions.builder().closeTimeout(Duration.ofSeconds(30)).build(), recorder);
            HandMadeServer.Accepted deaf = server.accept();
            deaf.raw().accept101(deaf.request());
            connecting.get(10, TimeUnit.SECONDS);

            long start = System.nanoTime();
            assertFalse(client.shutdown(Duration.ofMillis(500)), "the deaf server did not close in time");
            long took = System.nanoTime() - start;
            assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(450), "returned after " + took / 1_000_000 + " ms");
            assertTrue(took < TimeUnit.SECONDS.toNanos(6), "kept to its timeout: " + took / 1_000_000 + " ms");
            assertTrue(recorder.awaitClose().startsWith("close:1006:"), "ended as close() ends it");

            RawSocket.Frame close = deaf.raw().readMaskedFrame();
            assertEquals(0x88, close.b0());
            assertEquals(1001, close.closeCode());
            assertEquals("client shutting down", close.closeReason());
            deaf.raw().expectEof();
        }
    }

    @Test
    void reconnectingSessionsEndClosedAndNeverTryAgain() throws Exception {
        AtomicInteger opens = new AtomicInteger();
        Recorder serverSide = new Recorder() {
            @Override
            public void onOpen(Session session) {
                opens.incrementAndGet();
                super.onOpen(session);
            }
        };
        Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", serverSide).build().start();
        try (Client client = Client.create()) {
            List<Status> openSeen = new CopyOnWriteArrayList<>();
            ReconnectingSession open = client.connectReconnecting(URI.create("ws://127.0.0.1:" + server.port() + "/"),
                    ClientOptions.defaults(), ReconnectPolicy.builder().initialDelay(Duration.ofMillis(20)).build(),
                    new Recorder(), openSeen::add);
            List<Status> waitingSeen = new CopyOnWriteArrayList<>();
            ReconnectingSession waiting = client.connectReconnecting(URI.create("ws://127.0.0.1:" + closedPort() + "/"),
                    ClientOptions.defaults(), ReconnectPolicy.builder().initialDelay(Duration.ofSeconds(30)).build(),
                    new Recorder(), waitingSeen::add);
            awaitState(open, State.OPEN);
            awaitState(waiting, State.RECONNECTING);

            assertTrue(client.shutdown(Duration.ofSeconds(5)));
            assertEquals(State.CLOSED, open.status().state(), openSeen.toString());
            assertEquals(State.CLOSED, waiting.status().state(), waitingSeen.toString());
            serverSide.expect("open");
            assertEquals(GOING_AWAY, serverSide.awaitClose());

            Thread.sleep(300);
            assertEquals(1, opens.get(), "no session tried again");
            assertEquals(State.CLOSED, openSeen.get(openSeen.size() - 1).state(), openSeen.toString());
            assertEquals(State.CLOSED, waitingSeen.get(waitingSeen.size() - 1).state(), waitingSeen.toString());
        } finally {
            server.close();
        }
    }

    /**
     * {@link Client#close()} ends every reconnecting session of the client at once, {@code CLOSED} as a shutdown
     * leaves it: none is left waiting out its backoff (here drawn near its 30 s ceiling) to report a try that a
     * closed client cannot make.
     */
    @Test
    void closingTheClientEndsItsReconnectingSessionsAtOnce() throws Exception {
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", new EchoListener()).build()
                .start()) {
            Client client = Client.create();
            ReconnectPolicy slow = ReconnectPolicy.builder().initialDelay(Duration.ofSeconds(30))
                    .maxDelay(Duration.ofSeconds(30)).random(() -> 0.99).holdWhileDisconnected(100).build();
            List<Status> openSeen = new CopyOnWriteArrayList<>();
            ReconnectingSession open = client.connectReconnecting(URI.create("ws://127.0.0.1:" + server.port() + "/"),
                    ClientOptions.defaults(), slow, new Recorder(), openSeen::add);
            List<Status> waitingSeen = new CopyOnWriteArrayList<>();
            ReconnectingSession waiting = client.connectReconnecting(URI.create("ws://127.0.0.1:" + closedPort() + "/"),
                    ClientOptions.defaults(), slow, new Recorder(), waitingSeen::add);
            awaitState(open, State.OPEN);
            awaitState(waiting, State.RECONNECTING);
            CompletableFuture<Void> held = waiting.sendText("held");

            client.close();
            assertEquals(State.CLOSED, open.ended().get(5, TimeUnit.SECONDS).state(), openSeen.toString());
            assertEquals(State.CLOSED, waiting.ended().get(5, TimeUnit.SECONDS).state(), waitingSeen.toString());
            assertInstanceOf(IOException.class, assertThrows(ExecutionException.class, held::get).getCause());
            assertEquals(State.OPEN, openSeen.get(openSeen.size() - 2).state(), "nothing between: " + openSeen);
            assertEquals(State.RECONNECTING, waitingSeen.get(waitingSeen.size() - 2).state(), waitingSeen.toString());
            ReconnectingSession late = client.connectReconnecting(URI.create("ws://127.0.0.1:" + server.port() + "/"),
                    ClientOptions.defaults(), slow, new Recorder(), s -> { });
            assertEquals(new Status(State.GAVE_UP, 0, "the client is closed", Duration.ZERO), late.status());
        }
    }

    @Test
    void connectsFailOnceShutdownHasBegun() throws Exception {
        try (HandMadeServer server = new HandMadeServer();
             Client client = Client.create()) {
            client.connect(server.uri("/"), new Recorder());
            HandMadeServer.Accepted deaf = server.accept();
            deaf.raw().accept101(deaf.request());
            CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(
                    () -> client.shutdown(Duration.ofSeconds(2)));
            // The close frame is sent once connects are refused.
            assertEquals(1001, deaf.raw().readMaskedFrame().closeCode());

            IllegalStateException during = assertThrows(IllegalStateException.class,
                    () -> client.connect(server.uri("/"), new Recorder()));
            assertEquals("the client is shutting down", during.getMessage());
            ReconnectingSession late = client.connectReconnecting(server.uri("/"), ClientOptions.defaults(),
                    ReconnectPolicy.builder().build(), new Recorder(), s -> { });
            assertEquals(State.GAVE_UP, late.status().state());
            assertEquals("the client is shutting down", late.status().reason());

            assertFalse(shutdown.get(10, TimeUnit.SECONDS));
            IllegalStateException after = assertThrows(IllegalStateException.class,
                    () -> client.connect(server.uri("/"), new Recorder()));
            assertEquals("the client is closed", after.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aHandshakeUnderWayFailsAtOnce(boolean throughProxy) throws Exception {
        try (HandMadeServer server = new HandMadeServer();
             Client client = Client.create()) {
            // As a proxy, the hand-made server never answers the CONNECT; as the server, never the upgrade.
            ClientOptions options = throughProxy
                    ? ClientOptions.builder().proxy(Proxy.http("127.0.0.1", server.socket.getLocalPort())).build()
                    : ClientOptions.defaults();
            CompletableFuture<Session> connecting = client.connect(server.uri("/"), options, new Recorder());
            HandMadeServer.Accepted silent = server.accept();
            assertTrue(silent.request().startsWith(throughProxy ? "CONNECT " : "GET "), silent.request());
            long start = System.nanoTime();
            assertTrue(client.shutdown(Duration.ofSeconds(8)), "no connection was left");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(6),
                    "did not wait for the 10 s handshake timeout");
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> connecting.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, failed.getCause());
            assertEquals("the client is shutting down", failed.getCause().getMessage());
            silent.raw().expectEof();
        }
    }

    @Test
    void shutdownThrowsOnTheClientsLoopAndIsIdempotent() throws Exception {
        Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", new EchoListener()).build()
                .start();
        try (Client client = Client.create()) {
            CompletableFuture<Throwable> onLoop = new CompletableFuture<>();
            Session session = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"), new Listener() {
                @Override
                public void onText(Session s, String text) {
                    try {
                        client.shutdown(Duration.ofSeconds(1));
                        onLoop.complete(null);
                    } catch (RuntimeException e) {
                        onLoop.complete(e);
                    }
                }
            }).get(10, TimeUnit.SECONDS);
            session.sendText("shut down from here");
            assertInstanceOf(IllegalStateException.class, onLoop.get(10, TimeUnit.SECONDS));
            assertTrue(session.isOpen(), "nothing was shut down");

            assertTrue(client.shutdown(Duration.ofSeconds(5)));
            assertTrue(client.shutdown(Duration.ofSeconds(5)));
        } finally {
            server.close();
        }
    }

    @Test
    void shutdownAfterCloseReturnsTrueAtOnce() throws Exception {
        Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", new EchoListener()).build()
                .start();
        try {
            Client client = Client.create();
            Recorder recorder = new Recorder();
            client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"), recorder).get(10, TimeUnit.SECONDS);
            client.close();
            assertTrue(recorder.awaitClose().startsWith("close:1006:"));
            // A timeout far beyond the bound below: a shutdown that waited for it would not pass, however slow the
            // machine.
            long start = System.nanoTime();
            assertTrue(client.shutdown(Duration.ofSeconds(120)));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "at once after close");
            assertThrows(IllegalArgumentException.class, () -> client.shutdown(Duration.ofSeconds(-1)));
        } finally {
            server.close();
        }
    }

    /** Polls the state, every 10 ms for at most 10 s. */
    private static void awaitState(ReconnectingSession session, State state) throws InterruptedException {
        for (int i = 0; i < 1000 && session.status().state() != state; i++) {
            Thread.sleep(10);
        }
        assertEquals(state, session.status().state());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
