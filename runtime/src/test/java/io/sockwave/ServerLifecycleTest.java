package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What {@link Server#start()}, {@link Server#port()}, {@link Server#shutdown}, {@link Server#close()} and the
 * builders' counts promise in their Javadoc: the states a server goes through and what each call does out of turn.
 */
class ServerLifecycleTest {
    private static Server.Builder echo() {
        return Server.builder().host("127.0.0.1").eventLoops(1).route("/echo", new EchoListener());
    }

    @Test
    void portAndAddressBeforeStartThrowIllegalState() {
        Server server = echo().build();
        assertEquals("the server is not started", assertThrows(IllegalStateException.class, server::port)
                .getMessage());
        assertThrows(IllegalStateException.class, server::address);
    }

    @Test
    void startingTwiceThrowsIllegalStateAndTheFirstServerServesOn() throws Exception {
        try (Server server = echo().build().start(); Client client = Client.create()) {
            assertEquals("the server was started already",
                    assertThrows(IllegalStateException.class, server::start).getMessage());
            Recorder recorder = new Recorder();
            Session session = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), recorder)
                    .get(10, TimeUnit.SECONDS);
            recorder.expect("open");
            session.sendText("still here");
            recorder.expect("text:still here");
        }
    }

    @Test
    void aPortInUseFailsStartWithIOExceptionAndTheServerMayNotBeRetried() throws Exception {
        try (Server first = echo().build().start()) {
            Server second = echo().port(first.port()).build();
            assertThrows(IOException.class, second::start);
            assertThrows(IllegalStateException.class, second::port);
            second.close();
        }
    }

    @Test
    void closeIsIdempotent() throws Exception {
        Server server = echo().build().start();
        server.close();
        server.close();
        assertTrue(server.shutdown(Duration.ofSeconds(1)), "nothing is left to close");
    }

    /**
     * After close, address() and port() still say where the server listened (as {@link java.net.ServerSocket} does),
     * though nothing listens there any more: the port is free once close returns; stats() counts nothing left.
     */
    @Test
    void afterCloseTheAddressIsWhereItListenedAndNothingIsHeld() throws Exception {
        Server server = echo().build().start();
        InetSocketAddress bound = server.address();
        try (Client client = Client.create()) {
            Recorder recorder = new Recorder();
            client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), recorder)
                    .get(10, TimeUnit.SECONDS);
            recorder.expect("open");
            assertEquals(1, server.stats().sessions());
            server.close();
            assertEquals(bound, server.address());
            assertEquals(bound.getPort(), server.port());
            assertEquals(new ServerStats(0, 0, 0, 0, 0), server.stats());
            try (ServerSocket again = new ServerSocket()) {
                again.bind(bound);
            }
            String closed = recorder.next();
            assertTrue(closed.startsWith("close:1006:"), closed);
        }
        assertEquals(bound, server.address(), "after shutdown too");
        assertTrue(server.shutdown(Duration.ofSeconds(1)));
    }

    /** Server.shutdown's Javadoc: on one of the server's own loops it would wait for itself, so it throws. */
    @Test
    void shutdownFromACallbackThrowsIllegalStateAndTheServerServesOn() throws Exception {
        AtomicReference<Server> self = new AtomicReference<>();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Listener shuttingDown = new Listener() {
            @Override
            public void onText(Session session, String text) {
                try {
                    self.get().shutdown(Duration.ofSeconds(1));
                    thrown.complete(null);
                } catch (RuntimeException e) {
                    thrown.complete(e);
                }
                session.sendText(text);
            }
        };
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/stop", shuttingDown).build();
             Client client = Client.create()) {
            self.set(server.start());
            Recorder recorder = new Recorder();
            Session session = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/stop"), recorder)
                    .get(10, TimeUnit.SECONDS);
            recorder.expect("open");
            session.sendText("stop");
            assertInstanceOf(IllegalStateException.class, thrown.get(10, TimeUnit.SECONDS));
            recorder.expect("text:stop");
            assertTrue(server.shutdown(Duration.ofSeconds(5)), "from another thread it shuts down");
        }
    }

    @Test
    void eventLoopCountsBelowOneAreRefusedAtTheCall() {
        assertEquals("eventLoops must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> Server.builder().eventLoops(0)).getMessage());
        assertEquals("eventLoops must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> Client.create(0)).getMessage());
    }
}
