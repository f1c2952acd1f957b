package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.handshake.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A callback executor the application shut down before the server: what would run on it is still answered. An
 * upgrade hook or an HTTP handler that cannot be run gets 503 (RFC 9110 §15.6.4: the server cannot handle the
 * request for now), never a connection dropped without a word.
 */
class ShutDownCallbackExecutorTest {
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor();
    private Server server;

    @BeforeEach
    void start() throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(1).callbackExecutor(callbacks)
                .route("/hooked", UpgradeHook.of(request -> UpgradeDecision.accept()), new Recorder())
                .httpHandler(request -> HttpResponse.of(200, "text/plain; charset=utf-8",
                        "page".getBytes(StandardCharsets.UTF_8)))
                .build().start();
        callbacks.shutdown();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String exchange(String request) throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(request);
            return raw.readUntilEof();
        }
    }

    @Test
    void upgradeWhoseHookCannotRunGets503() throws Exception {
        String response = exchange(RawSocket.upgrade("/hooked", ""));
        assertTrue(response.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), response);
    }

    @Test
    void plainRequestWhoseHandlerCannotRunGets503() throws Exception {
        String response = exchange("GET /page HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), response);
        String head = exchange("HEAD /page HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertTrue(head.startsWith("HTTP/1.1 503 Service Unavailable\r\n") && head.endsWith("\r\n\r\n"), head);
        assertEquals(0, server.stats().sessions());
    }
}
