package io.sockwave.interop.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.testsupport.ExternalProgram;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Headless Firefox ESR as a client of Sockwave's server, feature by feature, one browser for the class, driven
 * without WebDriver (see {@link FirefoxClient}). Firefox offers plain permessage-deflate on every connection; the
 * server imposes the variants. Its WebSocket.extensions names the extension without the parameters the server
 * answered (Chromium's gives the header's value), so the deflate cells take them from Sockwave's server; {@link
 * #firefoxOffersPlainDeflateAndNamesItWithoutParameters} shows both against a bare socket, without Sockwave.
 */
class FirefoxClientMatrixTest {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final String ANSWER = "permessage-deflate; server_no_context_takeover; client_no_context_takeover";
    private static final Map<Feature, Outcome> PEER_BUGS = Map.of();
    private static FirefoxClient firefox;

    @BeforeAll
    static void startBrowser() throws Exception {
        if (!ExternalProgram.installed(FirefoxClient.FIREFOX)) {
            String missing = "headless Firefox is not installed (Debian's firefox-esr)";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(missing + "; .ci/run installs it, so under CI=true this is an error");
            }
            Assumptions.abort(missing + ": apt-get install -y firefox-esr");
        }
        Matrix.version(Row.FIREFOX_CLIENT, FirefoxClient.version().replaceFirst("^(\\d+).*", "$1"));
        firefox = new FirefoxClient();
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (firefox != null) {
            firefox.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void feature(Feature feature) throws Exception {
        Cells.run(Row.FIREFOX_CLIENT, feature, PEER_BUGS, () -> Scenarios.peerClient(firefox).run(feature));
    }

    @Test
    void firefoxOffersPlainDeflateAndNamesItWithoutParameters() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> offer = new CompletableFuture<>();
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> answer(listener, offer));
            try (Link link = firefox.connect(URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/"),
                    Setup.plain())) {
                assertEquals(List.of("permessage-deflate"), extensions(offer.get(30, TimeUnit.SECONDS)));
                assertEquals("permessage-deflate", link.extensions(), "the bare socket answered " + ANSWER);
            }
            served.get(30, TimeUnit.SECONDS);
        }
    }

    /** Accepts one WebSocket handshake with {@link #ANSWER}, hands over the request, and waits for the close. */
    private static void answer(ServerSocket listener, CompletableFuture<String> offer) {
        try (Socket socket = listener.accept()) {
            socket.setSoTimeout(30_000);
            String request = BareUpgrade.readHead(socket.getInputStream());
            String key = header(request, "sec-websocket-key").get(0);
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
            socket.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\nSec-WebSocket-Extensions: "
                    + ANSWER + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            offer.complete(request);
            // Holds the connection until the client's close frame (or its end) arrives.
            socket.getInputStream().read();
        } catch (Exception e) {
            offer.completeExceptionally(e);
            throw new IllegalStateException(e);
        }
    }

    private static List<String> extensions(String request) {
        return header(request, "sec-websocket-extensions");
    }

    private static List<String> header(String head, String name) {
        List<String> values = head.lines()
                .filter(line -> line.toLowerCase(Locale.ROOT).startsWith(name + ":"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .toList();
        assertTrue(!values.isEmpty(), "no " + name + " in " + head);
        return values;
    }
}
