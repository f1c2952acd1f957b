package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code Proxy-Authorization} field set with {@link ClientOptions.Builder#header} is for a proxy (RFC 9110
 * §11.7.2): through an HTTP proxy it goes with {@code CONNECT}, and it is never sent inside a tunnel, where the only
 * listener is the WebSocket server. Checked on the bytes, against a hand-made proxy that then plays the server.
 */
class ProxyAuthorizationHeaderTest {
    private static final String FIELD = "Proxy-Authorization: Bearer proxy-t0ken\r\n";

    private final Client client = Client.create();

    @AfterEach
    void stop() {
        client.close();
    }

    private static ClientOptions options(Proxy proxy) {
        return ClientOptions.builder().header("Proxy-Authorization", "Bearer proxy-t0ken")
                .header("Authorization", "Bearer server-t0ken").proxy(proxy).build();
    }

    @Test
    void throughAnHttpProxyItGoesWithConnectAndNotToTheServer() throws Exception {
        try (HandMadeServer proxy = new HandMadeServer()) {
            CompletableFuture<Session> connect = client.connect(URI.create("ws://127.0.0.1:9/chat"),
                    options(Proxy.http("127.0.0.1", proxy.socket.getLocalPort())), new Recorder());
            HandMadeServer.Accepted accepted = proxy.accept();
            assertTrue(accepted.request().startsWith("CONNECT 127.0.0.1:9 HTTP/1.1\r\n"), accepted.request());
            assertTrue(accepted.request().contains("\r\n" + FIELD), accepted.request());
            assertFalse(accepted.request().contains("server-t0ken"), accepted.request());
            accepted.raw().write("HTTP/1.1 200 Connection established\r\n\r\n");
            String upgrade = accepted.raw().readHead();
            assertFalse(upgrade.contains("Proxy-Authorization"), upgrade);
            assertTrue(upgrade.contains("\r\nAuthorization: Bearer server-t0ken\r\n"), upgrade);
            accepted.raw().accept101(upgrade);
            Session session = connect.get(10, TimeUnit.SECONDS);
            assertEquals(null, session.requestHeaders().first("Proxy-Authorization"));
            accepted.raw().close();
        }
    }

    /** The proxy's own credentials are what its CONNECT carries; the field set by hand is not sent twice. */
    @Test
    void theProxysOwnCredentialsWinOverTheField() throws Exception {
        try (HandMadeServer proxy = new HandMadeServer()) {
            client.connect(URI.create("ws://127.0.0.1:9/"),
                    options(Proxy.http("127.0.0.1", proxy.socket.getLocalPort()).withCredentials("al", "pw")),
                    new Recorder());
            String head = proxy.accept().request();
            assertTrue(head.contains("\r\nProxy-Authorization: Basic YWw6cHc=\r\n"), head);
            assertFalse(head.contains("proxy-t0ken"), head);
        }
    }

    @Test
    void throughASocks5ProxyItIsNotSentToTheServer() throws Exception {
        try (HandMadeServer proxy = new HandMadeServer()) {
            CompletableFuture<Session> connect = client.connect(URI.create("ws://127.0.0.1:9/chat"),
                    options(Proxy.socks5("127.0.0.1", proxy.socket.getLocalPort())), new Recorder());
            Socket socket = proxy.socket.accept();
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            // RFC 1928: greeting (no authentication), then CONNECT to 127.0.0.1:9, answered with success.
            assertArrayEquals(new byte[] {5, 1, 0}, in.readNBytes(3));
            out.write(new byte[] {5, 0});
            assertArrayEquals(new byte[] {5, 1, 0, 1, 127, 0, 0, 1, 0, 9}, in.readNBytes(10));
            out.write(new byte[] {5, 0, 0, 1, 127, 0, 0, 1, 0, 9});
            RawSocket raw = new RawSocket(socket);
            String upgrade = raw.readHead();
            assertFalse(upgrade.contains("Proxy-Authorization"), upgrade);
            assertTrue(upgrade.contains("\r\nAuthorization: Bearer server-t0ken\r\n"), upgrade);
            raw.accept101(upgrade);
            connect.get(10, TimeUnit.SECONDS);
            raw.close();
        }
    }
}
