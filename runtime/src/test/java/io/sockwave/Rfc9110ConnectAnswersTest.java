package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the client reads an HTTP proxy's answer to {@code CONNECT} (RFC 9110 §9.3.6), byte by byte, against a
 * hand-made proxy that then plays the WebSocket server at the tunnel's far end.
 */
class Rfc9110ConnectAnswersTest {
    private final Client client = Client.create();

    @AfterEach
    void stop() {
        client.close();
    }

    /**
     * RFC 9110 §15.2: a client must parse one or more 1xx responses received before the final one, even one it did
     * not expect; the tunnel opens on the 2xx that follows them.
     */
    @Test
    void interimResponsesAheadOfThe200AreReadPast() throws Exception {
        try (HandMadeServer proxy = new HandMadeServer()) {
            CompletableFuture<Session> connect = client.connect(URI.create("ws://127.0.0.1:9/tunnelled"),
                    ClientOptions.builder().proxy(Proxy.http("127.0.0.1", proxy.socket.getLocalPort())).build(),
                    new Recorder());
            HandMadeServer.Accepted accepted = proxy.accept();
            assertTrue(accepted.request().startsWith("CONNECT 127.0.0.1:9 HTTP/1.1\r\n"), accepted.request());
            accepted.raw().write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                    + "HTTP/1.1 200 Connection established\r\n\r\n");
            String upgrade = accepted.raw().readHead();
            assertTrue(upgrade.startsWith("GET /tunnelled HTTP/1.1\r\n"), upgrade);
            accepted.raw().accept101(upgrade);
            assertEquals("/tunnelled", connect.get(10, TimeUnit.SECONDS).path());
            accepted.raw().close();
        }
    }

    /**
     * 101 is no interim response to read past: it switches protocols, which RFC 9110 §15.2.2 allows only in answer
     * to an Upgrade, and CONNECT is none. The tunnel is refused with that status.
     */
    @Test
    void a101AnswerToConnectIsARefusal() throws Exception {
        try (HandMadeServer proxy = new HandMadeServer()) {
            CompletableFuture<Session> connect = client.connect(URI.create("ws://127.0.0.1:9/"),
                    ClientOptions.builder().proxy(Proxy.http("127.0.0.1", proxy.socket.getLocalPort())).build(),
                    new Recorder());
            HandMadeServer.Accepted accepted = proxy.accept();
            accepted.raw().write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n");
            ExecutionException e = assertThrows(ExecutionException.class, () -> connect.get(10, TimeUnit.SECONDS));
            assertEquals(101, assertInstanceOf(ProxyException.class, e.getCause()).code());
            accepted.raw().expectEof();
        }
    }

    /** A proxy that sends nothing but interim responses is cut off, as a server that does so is. */
    @Test
    void aProxySendingOnlyInterimResponsesIsRefused() throws Exception {
        try (HandMadeServer proxy = new HandMadeServer()) {
            CompletableFuture<Session> connect = client.connect(URI.create("ws://127.0.0.1:9/"),
                    ClientOptions.builder().proxy(Proxy.http("127.0.0.1", proxy.socket.getLocalPort())).build(),
                    new Recorder());
            HandMadeServer.Accepted accepted = proxy.accept();
            accepted.raw().write("HTTP/1.1 100 Continue\r\n\r\n".repeat(17));
            ExecutionException e = assertThrows(ExecutionException.class, () -> connect.get(10, TimeUnit.SECONDS));
            ProxyException refused = assertInstanceOf(ProxyException.class, e.getCause());
            assertTrue(refused.getMessage().contains("interim responses"), refused.getMessage());
            accepted.raw().expectEof();
        }
    }
}
