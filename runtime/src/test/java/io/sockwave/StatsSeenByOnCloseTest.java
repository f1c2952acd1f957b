package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link ServerStats} says a closed connection's change is seen "at once": a thread that {@code onClose} tells of the
 * end (a monitor, a test) finds the session counted out, even while {@code onClose} itself is still running. The
 * counts used to be published only after the listener calls that end the session returned, so a slow onClose kept
 * a session it had been told was closed in every snapshot meanwhile.
 */
class StatsSeenByOnCloseTest {

    @Test
    void aSessionIsCountedOutBeforeOnCloseRuns() throws Exception {
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        CompletableFuture<Void> statsRead = new CompletableFuture<>();
        Listener slowClose = new Listener() {
            @Override
            public void onClose(Session session, int code, String reason) {
                closed.complete(code);
                // Still running when the other thread reads the stats: it reads them while this call lasts.
                statsRead.orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
            }
        };
        try (Server server = Server.builder().host("127.0.0.1").port(0).eventLoops(1).route("/", slowClose)
                .build().start()) {
            try (RawSocket raw = RawSocket.connect(server.port())) {
                raw.open("/");
                raw.socket.setSoLinger(true, 0); // a reset: the server's read fails and it ends the session at once
            }
            assertEquals(1006, closed.get(10, TimeUnit.SECONDS));
            ServerStats stats = server.stats();
            statsRead.complete(null);
            assertEquals(0, stats.sessions(), stats.toString());
            assertEquals(0, stats.connections(), stats.toString());
        }
    }
}
