package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Graceful shutdown and close: 1001 to every session, a bounded wait, and every thread released. */
class GracefulShutdownTest {
    private static long loopThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("sockwave-") && t.isAlive()).count();
    }

    @Test
    void everySessionGetsGoingAwayAndTheServerStops() throws Exception {
        long threadsBefore = loopThreads();
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
        assertEquals(threadsBefore, loopThreads(), "the server's and client's loop threads ended");
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
