package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.handshake.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A bounded callback executor that is full refuses work: the server answers what it cannot hand over with
 * {@code 503 Service Unavailable} (RFC 9110 §15.6.4), a plain request as an upgrade whose hook cannot run. A plain
 * request used to be dropped without an answer, each one logged as an unexpected failure with its stack trace.
 */
@Timeout(30)
class SaturatedCallbackExecutorTest {
    private final CountDownLatch release = new CountDownLatch(1);
    /** One thread, no queue: while its thread is busy, every task is refused. */
    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new SynchronousQueue<>());

    @BeforeEach
    void occupy() {
        executor.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @AfterEach
    void free() {
        release.countDown();
        executor.shutdown();
    }

    @Test
    void aPlainRequestTheExecutorRefusesGets503() throws Exception {
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).callbackExecutor(executor)
                .httpHandler(request -> HttpResponse.of(200, "text/plain", "page".getBytes(StandardCharsets.UTF_8)))
                .route("/ws", new EchoListener()).build().start();
             RawSocket raw = RawSocket.connect(server.port())) {
            raw.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            String response = raw.readUntilEof();
            assertTrue(response.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), response);
        }
    }

    @Test
    void anUpgradeWhoseHookTheExecutorRefusesGets503() throws Exception {
        try (Server server = Server.builder().host("127.0.0.1").eventLoops(1).callbackExecutor(executor)
                .upgradeHook(UpgradeHook.of(request -> UpgradeDecision.accept()))
                .route("/ws", new EchoListener()).build().start();
             RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.upgrade("/ws", ""));
            String response = raw.readUntilEof();
            assertTrue(response.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), response);
        }
    }
}
