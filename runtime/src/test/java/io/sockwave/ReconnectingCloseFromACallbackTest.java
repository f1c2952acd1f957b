package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link ReconnectingSession#close()} called from its own listener: a message that says "bye" is answered by closing.
 * The call used to wait for the session's end, which could not come while the callback ran (on the event loop, which
 * also reads the closing handshake; on an executor, where the session's onClose waits for the callback): the loop
 * stood still for ten seconds, then the session was aborted and ended 1006 instead of closing normally.
 */
class ReconnectingCloseFromACallbackTest {
    @Test
    void closeInACallbackOnTheEventLoopClosesNormally() throws Exception {
        closeInOnTextEndsWith1000(null);
    }

    @Test
    void closeInACallbackOnAnExecutorClosesNormally() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            closeInOnTextEndsWith1000(executor);
        } finally {
            executor.shutdown();
        }
    }

    private static void closeInOnTextEndsWith1000(ExecutorService executor) throws Exception {
        CompletableFuture<ReconnectingSession> self = new CompletableFuture<>();
        CompletableFuture<String> closed = new CompletableFuture<>();
        CompletableFuture<Long> closeCallNanos = new CompletableFuture<>();
        Listener closesOnBye = new Listener() {
            @Override
            public void onText(Session session, String text) {
                if (text.equals("bye")) {
                    long start = System.nanoTime();
                    self.join().close();
                    closeCallNanos.complete(System.nanoTime() - start);
                }
            }

            @Override
            public void onClose(Session session, int code, String reason) {
                closed.complete(code + ":" + reason);
            }
        };
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).route("/", new EchoListener())
                .build().start();
             Client client = Client.create()) {
            CompletableFuture<Void> open = new CompletableFuture<>();
            ReconnectingSession session = client.connectReconnecting(
                    URI.create("ws://127.0.0.1:" + server.port() + "/"),
                    ClientOptions.builder().callbackExecutor(executor).build(), ReconnectPolicy.builder().build(),
                    closesOnBye, status -> {
                        if (status.state() == ReconnectingSession.State.OPEN) {
                            open.complete(null);
                        }
                    });
            self.complete(session);
            open.get(10, TimeUnit.SECONDS);
            session.sendText("bye");
            assertEquals("1000:", closed.get(30, TimeUnit.SECONDS), "the echo's server answered the close");
            // It used to wait out its 10 seconds: on an executor the close then ended 1000 all the same, late.
            assertTrue(closeCallNanos.get(10, TimeUnit.SECONDS) < TimeUnit.SECONDS.toNanos(5),
                    "close() in the callback returned without waiting for an end that has to follow the callback");
            ReconnectingSession.Status last = session.ended().get(10, TimeUnit.SECONDS);
            assertEquals(ReconnectingSession.State.CLOSED, last.state());
            assertEquals("closed 1000", last.reason());
        }
    }
}
