package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code Proxy-Authorization} field set by hand belongs to the proxy (RFC 9110 §11.7.2), not to the origin: a
 * redirect to another origin through the same HTTP proxy keeps sending it with each {@code CONNECT}, while the
 * origin's {@code Authorization} is dropped; a redirect whose target goes through another proxy drops it, for the
 * rest of the chain. Hand-made proxies on loopback read each CONNECT and then play the server inside the tunnel.
 */
class ProxyCredentialsAcrossRedirectsTest {
    private static final String PROXY_FIELD = "\r\nProxy-Authorization: Bearer proxy-t0ken\r\n";

    private final Client client = Client.create();

    @AfterEach
    void stop() {
        client.close();
    }

    private static ClientOptions.Builder options() {
        return ClientOptions.builder().followRedirects(3).header("Proxy-Authorization", "Bearer proxy-t0ken")
                .header("Authorization", "Bearer server-t0ken");
    }

    /** Reads a CONNECT, opens the tunnel, reads the upgrade request inside it and answers with a redirect. */
    private static String[] tunnelThenRedirect(HandMadeServer proxy, String location) throws IOException {
        HandMadeServer.Accepted accepted = proxy.accept();
        accepted.raw().write("HTTP/1.1 200 Connection established\r\n\r\n");
        String upgrade = accepted.raw().readHead();
        accepted.raw().write("HTTP/1.1 307 Temporary Redirect\r\nLocation: " + location
                + "\r\nContent-Length: 0\r\n\r\n");
        return new String[] {accepted.request(), upgrade};
    }

    @Test
    void theSameProxyKeepsItsCredentialsAcrossARedirectToAnotherOrigin() throws Exception {
        try (HandMadeServer proxy = new HandMadeServer()) {
            CompletableFuture<Session> connect = client.connect(URI.create("ws://127.0.0.1:9/a"),
                    options().proxy(Proxy.http("127.0.0.1", proxy.socket.getLocalPort())).build(), new Recorder());
            String[] first = tunnelThenRedirect(proxy, "ws://127.0.0.1:10/b");
            assertTrue(first[0].startsWith("CONNECT 127.0.0.1:9 "), first[0]);
            assertTrue(first[0].contains(PROXY_FIELD), first[0]);
            assertTrue(first[1].contains("\r\nAuthorization: Bearer server-t0ken\r\n"), first[1]);

            HandMadeServer.Accepted second = proxy.accept();
            assertTrue(second.request().startsWith("CONNECT 127.0.0.1:10 "), second.request());
            assertTrue(second.request().contains(PROXY_FIELD), "the proxy is the same: " + second.request());
            second.raw().write("HTTP/1.1 200 Connection established\r\n\r\n");
            String upgrade = second.raw().readHead();
            assertTrue(upgrade.startsWith("GET /b "), upgrade);
            assertFalse(upgrade.contains("server-t0ken"), "another origin: " + upgrade);
            assertFalse(upgrade.contains("proxy-t0ken"), "never inside the tunnel: " + upgrade);
            connect.cancel(true);
        }
    }

    @Test
    void anotherProxyDoesNotGetThemAndTheyStayDroppedOnTheWayBack() throws Exception {
        try (HandMadeServer first = new HandMadeServer(); HandMadeServer second = new HandMadeServer()) {
            Proxy a = Proxy.http("127.0.0.1", first.socket.getLocalPort());
            Proxy b = Proxy.http("127.0.0.1", second.socket.getLocalPort());
            ProxyChooser chooser = uri -> uri.getPort() == 10 ? b : a;
            CompletableFuture<Session> connect = client.connect(URI.create("ws://127.0.0.1:9/a"),
                    options().proxyChooser(chooser).build(), new Recorder());
            assertTrue(tunnelThenRedirect(first, "ws://127.0.0.1:10/b")[0].contains(PROXY_FIELD));

            String[] throughB = tunnelThenRedirect(second, "ws://127.0.0.1:9/c");
            assertTrue(throughB[0].startsWith("CONNECT 127.0.0.1:10 "), throughB[0]);
            assertFalse(throughB[0].contains("proxy-t0ken"), "another proxy: " + throughB[0]);

            HandMadeServer.Accepted back = first.accept();
            assertTrue(back.request().startsWith("CONNECT 127.0.0.1:9 "), back.request());
            assertFalse(back.request().contains("proxy-t0ken"), "dropped for good: " + back.request());
            connect.cancel(true);
        }
    }

    /** Through a proxy then directly: what was the proxy's is not handed to the server. */
    @Test
    void aDirectHopAfterAProxiedOneDoesNotGetThem() throws Exception {
        try (HandMadeServer proxy = new HandMadeServer(); HandMadeServer server = new HandMadeServer()) {
            Proxy a = Proxy.http("127.0.0.1", proxy.socket.getLocalPort());
            int direct = server.socket.getLocalPort();
            ProxyChooser chooser = uri -> uri.getPort() == direct ? Proxy.DIRECT : a;
            CompletableFuture<Session> connect = client.connect(URI.create("ws://127.0.0.1:9/a"),
                    options().proxyChooser(chooser).build(), new Recorder());
            tunnelThenRedirect(proxy, server.uri("/b").toString());
            String upgrade = server.accept().request();
            assertTrue(upgrade.startsWith("GET /b "), upgrade);
            assertFalse(upgrade.contains("proxy-t0ken"), upgrade);
            assertFalse(upgrade.contains("server-t0ken"), upgrade);
            connect.cancel(true);
        }
    }
}
