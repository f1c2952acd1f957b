package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The connect and handshake timeouts bound the whole opening, redirects included: a chain of redirects, each well
 * within the handshake timeout, cannot stretch the connect to one handshake timeout per hop.
 */
class OpeningDeadlineTest {
    private static final int REDIRECTS = 40;
    private static final long HOP_MILLIS = 150;

    private final Client client = Client.create();

    @AfterEach
    void stop() {
        client.close();
    }

    /** Answers every upgrade request, after a pause, with a redirect to the next path; counts the hops. */
    private static CompletableFuture<Void> slowRedirects(HandMadeServer server, AtomicInteger hops) {
        return CompletableFuture.runAsync(() -> {
            try {
                while (true) {
                    HandMadeServer.Accepted accepted = server.accept();
                    int hop = hops.incrementAndGet();
                    Thread.sleep(HOP_MILLIS);
                    accepted.raw().write("HTTP/1.1 307 Temporary Redirect\r\nLocation: /hop" + hop
                            + "\r\nContent-Length: 0\r\n\r\n");
                }
            } catch (SocketTimeoutException | SocketException ended) {
                // The client stopped following, or the test closed the server.
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aChainOfSlowRedirectsFailsWithinTheConnectAndHandshakeTimeouts() throws Exception {
        try (HandMadeServer server = new HandMadeServer()) {
            AtomicInteger hops = new AtomicInteger();
            slowRedirects(server, hops);
            // 0.5 s + 0.5 s for the whole opening: about 7 hops of 150 ms. Each hop alone is far within 0.5 s, so
            // with a fresh deadline per hop the client would follow all 40 and fail on the 41st redirect instead.
            ClientOptions options = ClientOptions.builder().followRedirects(REDIRECTS)
                    .connectTimeout(Duration.ofMillis(500)).handshakeTimeout(Duration.ofMillis(500)).build();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.connect(server.uri("/"), options, new Recorder()).get(30, TimeUnit.SECONDS));
            TimeoutException timeout = assertInstanceOf(TimeoutException.class, e.getCause());
            assertTrue(timeout.getMessage().contains("redirect"), timeout.getMessage());
            assertTrue(hops.get() < REDIRECTS, "followed " + hops.get() + " redirects");
        }
    }
}
