package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The password of a proxy URL or of a ws:// URI stays out of the exceptions made from them, as it stays out of
 * {@link Proxy#toString()}: applications log exceptions. An {@code https_proxy} naming an https:// proxy (common, and
 * not supported) used to fail every connect with its password in the message, and a reconnecting session to a URI
 * with credentials refused each send while disconnected the same way.
 */
class PasswordsStayOutOfMessagesTest {
    private static final String SECRET = "s3cret";

    private static String everything(Throwable thrown) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    private static void assertNoPassword(Throwable thrown) {
        String trace = everything(thrown);
        assertFalse(trace.contains(SECRET), trace);
        assertTrue(thrown.getMessage().contains("alice:***@"), thrown.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://alice:s3cret@proxy.example:8443", "socks4://alice:s3cret@proxy.example",
        "http://alice:s3cret@:3128", "http://alice:s3cret@proxy.example:3128/a path", "alice:s3cret@proxy example"})
    void anInvalidProxyUrlIsRefusedWithoutItsPassword(String url) {
        assertNoPassword(assertThrows(IllegalArgumentException.class, () -> Proxy.parse(url)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://alice:s3cret@127.0.0.1/", "ws://alice:s3cret@/", "ws://alice:s3cret@127.0.0.1/#top"})
    void aUriThatMakesNoHandshakeIsRefusedWithoutItsPassword(String uri) {
        try (Client client = Client.create()) {
            assertNoPassword(assertThrows(IllegalArgumentException.class,
                    () -> client.connect(URI.create(uri), new Recorder())));
        }
    }

    @Test
    void aConnectThroughAnInvalidProxyFromTheEnvironmentFailsWithoutItsPassword() throws Exception {
        ClientOptions options = ClientOptions.builder()
                .proxyChooser(ProxyChooser.fromEnvironment(Map.of("https_proxy", "https://alice:s3cret@proxy:8443")))
                .build();
        try (Client client = Client.create()) {
            ExecutionException failed = assertThrows(ExecutionException.class, () -> client.connect(
                    URI.create("wss://127.0.0.1:1/"), options, new Recorder()).get(10, TimeUnit.SECONDS));
            assertTrue(failed.getCause().getMessage().startsWith("https_proxy: "), failed.getCause().getMessage());
            assertNoPassword(failed.getCause());
        }
    }

    @Test
    void aReconnectingSessionRefusesSendsWithoutTheUrisPassword() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        try (Client client = Client.create()) {
            ReconnectingSession session = client.connectReconnecting(
                    URI.create("ws://alice:" + SECRET + "@127.0.0.1:" + closed + "/"), ClientOptions.defaults(),
                    ReconnectPolicy.builder().maxTries(1).build(), new Recorder(), status -> { });
            assertEquals(ReconnectingSession.State.GAVE_UP, session.ended().get(10, TimeUnit.SECONDS).state());
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> session.sendText("hello").get(10, TimeUnit.SECONDS));
            assertNoPassword(refused.getCause());
        }
    }
}
