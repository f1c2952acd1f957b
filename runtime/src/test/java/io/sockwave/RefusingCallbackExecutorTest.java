package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.handshake.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A callback executor that refuses work, a bounded one that is full or one the application shut down before the
 * server: what would run on it is still answered. An upgrade hook or an HTTP handler that cannot be run gets
 * {@code 503 Service Unavailable} (RFC 9110 §15.6.4: the server cannot handle the request for now), never a
 * connection dropped without a word. A plain request used to be dropped, logged as an unexpected failure.
 */
@Timeout(30)
class RefusingCallbackExecutorTest {
    enum Refusal {
        /** One thread, no queue, the thread busy: every task is refused. */
        FULL,
        /** Shut down once the server started. */
        SHUT_DOWN
    }

    private final CountDownLatch release = new CountDownLatch(1);
    private ExecutorService executor;
    private Server server;

    private void start(Refusal refusal) throws Exception {
        if (refusal == Refusal.FULL) {
            executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new SynchronousQueue<>());
            executor.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        } else {
            executor = Executors.newSingleThreadExecutor();
        }
        server = Server.builder().host("127.0.0.1").eventLoops(1).callbackExecutor(executor)
                .route("/hooked", UpgradeHook.of(request -> UpgradeDecision.accept()), new Recorder())
                .httpHandler(request -> HttpResponse.of(200, "text/plain; charset=utf-8",
                        "page".getBytes(StandardCharsets.UTF_8)))
                .build().start();
        if (refusal == Refusal.SHUT_DOWN) {
            executor.shutdown();
        }
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (executor != null) {
            executor.shutdown();
        }
        if (server != null) {
            server.close();
        }
    }

    private String exchange(String request) throws Exception {
        return RawSocket.exchange(server.port(), request);
    }

    @ParameterizedTest
    @EnumSource(Refusal.class)
    void anUpgradeWhoseHookCannotRunGets503(Refusal refusal) throws Exception {
        start(refusal);
        String response = exchange(RawSocket.upgrade("/hooked", ""));
        assertTrue(response.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), response);
        assertEquals(0, server.stats().sessions());
    }

    @ParameterizedTest
    @EnumSource(Refusal.class)
    void aPlainRequestWhoseHandlerCannotRunGets503(Refusal refusal) throws Exception {
        start(refusal);
        String response = exchange("GET /page HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), response);
        String head = exchange("HEAD /page HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertTrue(head.startsWith("HTTP/1.1 503 Service Unavailable\r\n") && head.endsWith("\r\n\r\n"), head);
    }
}
