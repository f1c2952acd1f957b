package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link ReconnectingSession} against real servers: killed and restarted on the same port mid-stream, closing with
 * 1012 as in a graceful restart, closing with final codes, refusing the handshake; tries timed against the backoff's
 * bounds, and {@code close()} in each state.
 */
class ReconnectTest {
    private final Client client = Client.create();
    private final List<Server> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        client.close();
        servers.forEach(Server::close);
    }

    /** Every change of state, with the time it was reported. */
    private static final class Observer implements java.util.function.Consumer<Status> {
        record Seen(long nanos, Status status) {
        }

        final LinkedBlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
        final List<Seen> all = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void accept(Status status) {
            Seen s = new Seen(System.nanoTime(), status);
            // In this order, so that all holds every report that await has returned.
            all.add(s);
            seen.add(s);
        }

        /** Waits for the next report in this state, skipping others. */
        Seen await(State state) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline) {
                Seen s = seen.poll(100, TimeUnit.MILLISECONDS);
                if (s != null && s.status().state() == state) {
                    return s;
                }
            }
            throw new AssertionError("no " + state + " within 15 s; seen " + all);
        }
    }

    private Server echo(int port) throws IOException {
        Server server = Server.builder().host("127.0.0.1").port(port).eventLoops(1)
                .route("/echo", new EchoListener()).build().start();
        servers.add(server);
        return server;
    }

    /** A recorder whose onOpen, the hook of each fresh session, sends "hello" on it first. */
    private static Recorder greeting() {
        return new Recorder() {
            @Override
            public void onOpen(Session session) {
                super.onOpen(session);
                session.sendText("hello");
            }
        };
    }

    @Test
    void serverKilledAndRestartedOnTheSamePortGetsHeldMessagesInOrderAfterTheHook() throws Exception {
        Server server = echo(0);
        int port = server.port();
        ReconnectPolicy policy = ReconnectPolicy.builder().initialDelay(Duration.ofMillis(50))
                .maxDelay(Duration.ofMillis(400)).holdWhileDisconnected(1 << 20).build();
        Observer observer = new Observer();
        Recorder recorder = greeting();
        ReconnectingSession session = client.connectReconnecting(URI.create("ws://127.0.0.1:" + port + "/echo"),
                ClientOptions.defaults(), policy, recorder, observer);
        observer.await(State.OPEN);
        session.sendText("a");
        session.sendText("b");
        recorder.expect("open");
        recorder.expect("text:hello");
        recorder.expect("text:a");
        recorder.expect("text:b");

        server.close();
        observer.await(State.RECONNECTING);
        assertTrue(recorder.next().startsWith("close:1006:"));
        CompletableFuture<Void> c = session.sendText("c");
        CompletableFuture<Void> d = session.sendText("d");
        // Let a few tries fail against the closed port, then check each wait against its bounds.
        for (int i = 0; i < 4; i++) {
            observer.await(State.CONNECTING);
        }
        assertFalse(c.isDone(), "held, not sent nor failed");
        echo(port);
        observer.await(State.OPEN);
        recorder.expect("open");
        recorder.expect("text:hello");
        recorder.expect("text:c");
        recorder.expect("text:d");
        c.get(5, TimeUnit.SECONDS);
        d.get(5, TimeUnit.SECONDS);
        triesWaitedWithinTheBackoffBounds(observer.all, policy);
        session.close();
        assertEquals(State.CLOSED, session.ended().get(10, TimeUnit.SECONDS).state());
    }

    /** Each RECONNECTING's delay is within [floor, ceiling] and the next try began no earlier than it said. */
    private static void triesWaitedWithinTheBackoffBounds(List<Observer.Seen> seen, ReconnectPolicy policy) {
        int checked = 0;
        for (int i = 0; i + 1 < seen.size(); i++) {
            Status status = seen.get(i).status();
            if (status.state() != State.RECONNECTING) {
                continue;
            }
            long delay = status.nextDelay().toNanos();
            assertTrue(delay >= ReconnectPolicy.MIN_DELAY.toNanos(), status.toString());
            assertTrue(delay <= policy.ceilingNanos(status.tries()), status + " above its ceiling");
            Observer.Seen next = seen.get(i + 1);
            assertEquals(State.CONNECTING, next.status().state());
            long waited = next.nanos() - seen.get(i).nanos();
            assertTrue(waited >= delay - TimeUnit.MILLISECONDS.toNanos(1),
                    "tried after " + waited / 1_000_000 + " ms, before its delay " + status.nextDelay());
            checked++;
        }
        assertTrue(checked >= 4, "tries checked: " + checked);
    }

    @Test
    void sendsWhileDisconnectedAreRefusedAtOnceByDefault() throws Exception {
        Server server = echo(0);
        Observer observer = new Observer();
        Recorder recorder = new Recorder();
        ReconnectingSession session = client.connectReconnecting(
                URI.create("ws://127.0.0.1:" + server.port() + "/echo"), ClientOptions.defaults(),
                ReconnectPolicy.builder().initialDelay(Duration.ofMillis(50)).build(), recorder, observer);
        observer.await(State.OPEN);
        server.close();
        observer.await(State.RECONNECTING);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> session.sendText("lost").get(10, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("messages sent while disconnected are refused"),
                e.getCause().getMessage());
        session.close();
    }

    @Test
    void serviceRestart1012IsRetriedAfterTheJitteredDelay() throws Exception {
        AtomicInteger sessions = new AtomicInteger();
        Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/echo", new EchoListener() {
            @Override
            public void onOpen(Session s) {
                if (sessions.incrementAndGet() == 1) {
                    s.close(1012, "service restart");
                }
            }
        }).build().start();
        servers.add(server);
        ReconnectPolicy policy = ReconnectPolicy.builder().initialDelay(Duration.ofMillis(300)).build();
        Observer observer = new Observer();
        ReconnectingSession session = client.connectReconnecting(
                URI.create("ws://127.0.0.1:" + server.port() + "/echo"), ClientOptions.defaults(), policy,
                new Recorder(), observer);
        observer.await(State.OPEN);
        Observer.Seen reconnecting = observer.await(State.RECONNECTING);
        assertEquals("closed 1012 service restart", reconnecting.status().reason());
        // The session ended at once, so it counts as the first failed try: a ceiling of 300 ms × 2^1.
        assertEquals(1, reconnecting.status().tries());
        assertTrue(reconnecting.status().nextDelay().toNanos() <= policy.ceilingNanos(1));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(600), policy.ceilingNanos(1));
        Observer.Seen tried = observer.await(State.CONNECTING);
        assertTrue(tried.nanos() - reconnecting.nanos() >= reconnecting.status().nextDelay().toNanos()
                - TimeUnit.MILLISECONDS.toNanos(1), "waited the jittered delay");
        observer.await(State.OPEN);
        assertEquals(2, sessions.get());
        session.close();
    }

    @Test
    void policyViolationAndApplicationChosenCodesAreFinal() throws Exception {
        AtomicInteger sessions = new AtomicInteger();
        Server server = Server.builder().host("127.0.0.1").eventLoops(1)
                .route("/1008", closingWith(1008, sessions)).route("/4001", closingWith(4001, sessions))
                .build().start();
        servers.add(server);
        ReconnectPolicy policy = ReconnectPolicy.builder().initialDelay(Duration.ofMillis(20))
                .finalCloseCode(4001).build();
        for (String path : List.of("/1008", "/4001")) {
            Observer observer = new Observer();
            ReconnectingSession session = client.connectReconnecting(
                    URI.create("ws://127.0.0.1:" + server.port() + path), ClientOptions.defaults(), policy,
                    new Recorder(), observer);
            Status last = session.ended().get(10, TimeUnit.SECONDS);
            assertEquals(State.GAVE_UP, last.state());
            assertEquals("closed " + path.substring(1) + " bye", last.reason());
            assertNull(session.session());
            ExecutionException e = assertThrows(ExecutionException.class, () -> session.sendText("x").get());
            assertTrue(e.getCause().getMessage().contains("gave up reconnecting"), e.getCause().getMessage());
        }
        Thread.sleep(200);
        assertEquals(2, sessions.get(), "no session tried again");
    }

    private static Listener closingWith(int code, AtomicInteger sessions) {
        return new Listener() {
            @Override
            public void onOpen(Session s) {
                sessions.incrementAndGet();
                s.close(code, "bye");
            }
        };
    }

    @Test
    void sessionsThatDropAtOnceKeepBackingOffAndCountAsTries() throws Exception {
        AtomicInteger sessions = new AtomicInteger();
        Server server = Server.builder().host("127.0.0.1").eventLoops(1)
                .route("/flap", closingWith(1001, sessions)).build().start();
        servers.add(server);
        Observer observer = new Observer();
        // A session counts as a failed try when it ends sooner than the ceiling of the delay before the next: from
        // 400 ms up, wide enough for a drop to reach onClose however loaded the machine (20 ms made it 40 ms).
        ReconnectingSession session = client.connectReconnecting(
                URI.create("ws://127.0.0.1:" + server.port() + "/flap"), ClientOptions.defaults(),
                ReconnectPolicy.builder().initialDelay(Duration.ofMillis(200)).maxTries(4).build(), new Recorder(),
                observer);
        Status last = session.ended().get(10, TimeUnit.SECONDS);
        assertEquals(State.GAVE_UP, last.state());
        assertEquals(4, sessions.get());
        List<Integer> tries = observer.all.stream().filter(s -> s.status().state() == State.RECONNECTING)
                .map(s -> s.status().tries()).toList();
        assertEquals(List.of(1, 2, 3), tries, "the backoff grows across sessions that drop at once");
    }

    @Test
    void unauthorizedHandshakeIsFinal() throws Exception {
        try (HandMadeServer server = new HandMadeServer()) {
            Observer observer = new Observer();
            ReconnectingSession session = client.connectReconnecting(server.uri("/"), ClientOptions.defaults(),
                    ReconnectPolicy.builder().initialDelay(Duration.ofMillis(20)).build(), new Recorder(), observer);
            server.accept().raw().write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
            Status last = session.ended().get(10, TimeUnit.SECONDS);
            assertEquals(State.GAVE_UP, last.state());
            assertTrue(last.reason().startsWith("handshake refused with 401"), last.reason());
            server.socket.setSoTimeout(200);
            assertThrows(java.net.SocketTimeoutException.class, server.socket::accept, "no second try");
        }
    }

    @Test
    void givesUpAfterMaxTriesWithEachStateReported() throws Exception {
        int closed = closedPort();
        Observer observer = new Observer();
        ReconnectingSession session = client.connectReconnecting(URI.create("ws://127.0.0.1:" + closed + "/"),
                ClientOptions.defaults(), ReconnectPolicy.builder().initialDelay(Duration.ofMillis(20)).maxTries(3)
                        .build(), new Recorder(), observer);
        Status last = session.ended().get(10, TimeUnit.SECONDS);
        assertEquals(State.GAVE_UP, last.state());
        assertTrue(last.reason().startsWith("gave up after 3 tries; last: ConnectException"), last.reason());
        List<String> states = observer.all.stream().map(s -> s.status().state() + ":" + s.status().tries()).toList();
        assertEquals(List.of("CONNECTING:1", "RECONNECTING:1", "CONNECTING:2", "RECONNECTING:2", "CONNECTING:3",
                "GAVE_UP:3"), states);
    }

    /**
     * An observer that throws is the application's bug, reported and survived as a listener's is: every state is
     * still reached and reported, and the session still tries, gives up and ends.
     */
    @Test
    void anObserverThatThrowsChangesNothing() throws Exception {
        int closed = closedPort();
        Observer observer = new Observer();
        ReconnectingSession session = client.connectReconnecting(URI.create("ws://127.0.0.1:" + closed + "/"),
                ClientOptions.defaults(), ReconnectPolicy.builder().initialDelay(Duration.ofMillis(20)).maxTries(2)
                        .build(), new Recorder(), status -> {
                    observer.accept(status);
                    throw new IllegalStateException("observer bug");
                });
        assertEquals(State.GAVE_UP, session.ended().get(10, TimeUnit.SECONDS).state());
        List<String> states = observer.all.stream().map(s -> s.status().state() + ":" + s.status().tries()).toList();
        assertEquals(List.of("CONNECTING:1", "RECONNECTING:1", "CONNECTING:2", "GAVE_UP:2"), states);
    }

    @Test
    void closeStopsItWhileWaitingToReconnect() throws Exception {
        int closed = closedPort();
        Observer observer = new Observer();
        ReconnectingSession session = client.connectReconnecting(URI.create("ws://127.0.0.1:" + closed + "/"),
                ClientOptions.defaults(), ReconnectPolicy.builder().initialDelay(Duration.ofMillis(200))
                        .holdWhileDisconnected(100).build(), new Recorder(), observer);
        observer.await(State.RECONNECTING);
        CompletableFuture<Void> held = session.sendText("held");
        session.close();
        assertEquals(State.CLOSED, session.status().state());
        assertThrows(ExecutionException.class, () -> held.get(10, TimeUnit.SECONDS), "held sends fail on close");
        Thread.sleep(500);
        assertEquals(State.CLOSED, observer.all.get(observer.all.size() - 1).status().state(),
                "no try after close: " + observer.all);
    }

    @Test
    void closeWhileOpenClosesTheSessionWith1000AndStops() throws Exception {
        Recorder serverSide = new Recorder();
        Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/echo", serverSide).build().start();
        servers.add(server);
        Observer observer = new Observer();
        ReconnectingSession session = client.connectReconnecting(
                URI.create("ws://127.0.0.1:" + server.port() + "/echo"), ClientOptions.defaults(),
                ReconnectPolicy.builder().build(), new Recorder(), observer);
        observer.await(State.OPEN);
        assertNotNull(session.session());
        assertEquals(State.CLOSED, session.close(1000, "done").get(10, TimeUnit.SECONDS).state());
        assertEquals("close:1000:done", serverSide.awaitClose());
    }

    @Test
    void heldBytesAreBounded() throws Exception {
        int closed = closedPort();
        ReconnectingSession session = client.connectReconnecting(URI.create("ws://127.0.0.1:" + closed + "/"),
                ClientOptions.defaults(), ReconnectPolicy.builder().initialDelay(Duration.ofSeconds(5))
                        .holdWhileDisconnected(10).build(), new Recorder(), s -> { });
        CompletableFuture<Void> fits = session.sendText("0123456789");
        ExecutionException e = assertThrows(ExecutionException.class, () -> session.sendText("x").get());
        assertInstanceOf(OutboundLimitExceededException.class, e.getCause());
        assertFalse(fits.isDone());
        session.close();
    }

    @Test
    void heldTextWithAnUnpairedSurrogateIsRefusedAtTheCallAsAnOpenSessionRefusesIt() throws Exception {
        String unpaired = "ab\uD800c";
        Server server = echo(0);
        Session session = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), new Recorder())
                .get(10, TimeUnit.SECONDS);
        Throwable open = assertThrows(ExecutionException.class,
                () -> session.sendText(unpaired).get(10, TimeUnit.SECONDS)).getCause();
        ReconnectingSession held = client.connectReconnecting(URI.create("ws://127.0.0.1:" + closedPort() + "/"),
                ClientOptions.defaults(), ReconnectPolicy.builder().initialDelay(Duration.ofSeconds(5))
                        .holdWhileDisconnected(10).build(), new Recorder(), s -> { });
        CompletableFuture<Void> refused = held.sendText(unpaired);
        assertTrue(refused.isCompletedExceptionally(), "refused at the call, not held");
        Throwable cause = assertThrows(ExecutionException.class, refused::get).getCause();
        assertEquals(open.getClass(), cause.getClass());
        assertEquals(open.getMessage(), cause.getMessage());
        assertFalse(held.sendText("0123456789").isDone(), "the refused text took none of the held bytes");
        held.close();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void anOnOpenThatThrowsEndsThatSessionAndTheNextTryFollows() throws Exception {
        AtomicInteger opens = new AtomicInteger();
        Recorder failingFirst = new Recorder() {
            @Override
            public void onOpen(Session session) {
                super.onOpen(session);
                if (opens.incrementAndGet() == 1) {
                    throw new IllegalStateException("the application's first onOpen fails");
                }
            }
        };
        Server server = echo(0);
        Observer observer = new Observer();
        ReconnectingSession session = client.connectReconnecting(
                URI.create("ws://127.0.0.1:" + server.port() + "/echo"), ClientOptions.defaults(),
                ReconnectPolicy.builder().initialDelay(Duration.ofMillis(50)).build(), failingFirst, observer);
        Observer.Seen reconnecting = observer.await(State.RECONNECTING);
        assertTrue(reconnecting.status().reason().startsWith("closed 1011"), reconnecting.status().toString());
        observer.await(State.OPEN);
        assertEquals(2, opens.get());
        session.close();
    }

    /** How the application's first onOpen ends the fresh session it is given, and how onOpen itself ends. */
    enum EndInOnOpen {
        ABORT_AND_RETURN(true, false),
        ABORT_AND_THROW(true, true),
        CLOSE_AND_RETURN(false, false),
        CLOSE_AND_THROW(false, true);

        final boolean abort;
        final boolean thenThrow;

        EndInOnOpen(boolean abort, boolean thenThrow) {
            this.abort = abort;
            this.thenThrow = thenThrow;
        }
    }

    @ParameterizedTest
    @EnumSource(EndInOnOpen.class)
    void aSessionTheApplicationEndsInItsOnOpenIsFollowedByTheNextTry(EndInOnOpen how) throws Exception {
        AtomicInteger opens = new AtomicInteger();
        Recorder endingFirst = new Recorder() {
            @Override
            public void onOpen(Session session) {
                super.onOpen(session);
                if (opens.incrementAndGet() > 1) {
                    return;
                }
                if (how.abort) {
                    session.abort();
                } else {
                    session.close(1000, "ended in onOpen");
                }
                if (how.thenThrow) {
                    throw new IllegalStateException("the application's first onOpen fails after ending it");
                }
            }
        };
        Server server = echo(0);
        Observer observer = new Observer();
        // A session counts as a failed try when it ends sooner than the ceiling of the delay before the next, here
        // twice the initial delay: a second, for the end in onOpen to reach onClose however loaded the machine.
        ReconnectingSession session = client.connectReconnecting(
                URI.create("ws://127.0.0.1:" + server.port() + "/echo"), ClientOptions.defaults(),
                ReconnectPolicy.builder().initialDelay(Duration.ofMillis(500)).build(), endingFirst, observer);
        observer.await(State.OPEN);
        assertEquals(2, opens.get());
        List<String> states = observer.all.stream().map(s -> s.status().state() + ":" + s.status().tries()).toList();
        assertEquals(List.of("CONNECTING:1", "RECONNECTING:1", "CONNECTING:2", "OPEN:2"), states,
                "the first session ended in onOpen, a failed try, and was never reported open");
        session.sendText("on the second session").get(5, TimeUnit.SECONDS);
        assertEquals(State.CLOSED, session.close(1000, "").get(10, TimeUnit.SECONDS).state());
    }

    @Test
    void aCloseFromOnOpenClosesThatSessionWithItsCode() throws Exception {
        Recorder serverSide = new Recorder();
        Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/echo", serverSide).build().start();
        servers.add(server);
        ReconnectingSession[] holder = new ReconnectingSession[1];
        CompletableFuture<Void> created = new CompletableFuture<>();
        Recorder closingInOnOpen = new Recorder() {
            @Override
            public void onOpen(Session session) {
                super.onOpen(session);
                created.join();
                holder[0].close(4000, "from onOpen");
            }
        };
        Observer observer = new Observer();
        holder[0] = client.connectReconnecting(URI.create("ws://127.0.0.1:" + server.port() + "/echo"),
                ClientOptions.defaults(), ReconnectPolicy.builder().build(), closingInOnOpen, observer);
        created.complete(null);
        assertEquals("close:4000:from onOpen", serverSide.awaitClose());
        assertEquals(State.CLOSED, holder[0].ended().get(10, TimeUnit.SECONDS).state());
        // The server's reply echoes the code only.
        assertEquals("close:4000:", closingInOnOpen.awaitClose());
    }

    @Test
    void aCloseWithACodeThatMayNotBeSentThrowsAndChangesNothing() throws Exception {
        Server server = echo(0);
        Observer observer = new Observer();
        ReconnectingSession session = client.connectReconnecting(
                URI.create("ws://127.0.0.1:" + server.port() + "/echo"), ClientOptions.defaults(),
                ReconnectPolicy.builder().build(), new Recorder(), observer);
        observer.await(State.OPEN);
        // RFC 6455 §7.4.1: 1005 stands for a close without a code, and is never sent.
        assertThrows(IllegalArgumentException.class, () -> session.close(1005, ""));
        assertEquals(State.OPEN, session.status().state());
        assertEquals(State.CLOSED, session.close(1000, "").get(10, TimeUnit.SECONDS).state());
    }
}
