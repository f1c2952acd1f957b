package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A ws:// URI whose port no TCP connection can have, or whose authority is no host and port, and a proxy variable
 * that is no proxy URL: refused when given, with what is wrong and without the password, rather than failing each
 * connect alike (a reconnecting session would retry for ever) or reaching a proxy's CONNECT or SOCKS5 request.
 */
class UnusableUriTest {
    private static final URI PAST_65535 = URI.create("ws://alice:secret@127.0.0.1:65536/chat");

    @Test
    void aPortPast65535IsRefusedByConnectNamingItWithoutThePassword() {
        try (Client client = Client.create()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> client.connect(PAST_65535, new Recorder()));
            assertEquals("URI port 65536 is past 65535, the largest TCP port: ws://alice:***@127.0.0.1:65536/chat",
                    e.getMessage());
        }
    }

    /** Through a proxy the port would go into the CONNECT line or the SOCKS5 request: refused before that. */
    @Test
    void aPortPast65535IsRefusedThroughEitherProxy() {
        try (Client client = Client.create()) {
            for (Proxy proxy : new Proxy[] {Proxy.http("127.0.0.1", 3128), Proxy.socks5("127.0.0.1", 1080)}) {
                ClientOptions options = ClientOptions.builder().proxy(proxy).build();
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> client.connect(URI.create("ws://127.0.0.1:70000/"), options, new Recorder()));
                assertTrue(e.getMessage().startsWith("URI port 70000 is past 65535"), proxy + ": " + e.getMessage());
            }
        }
    }

    @Test
    void aReconnectingSessionRefusesAPortPast65535BeforeAnyTry() {
        try (Client client = Client.create()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> client.connectReconnecting(PAST_65535, ClientOptions.defaults(),
                            ReconnectPolicy.builder().build(), new Recorder(), status -> { }));
            assertFalse(e.getMessage().contains("secret"), e.getMessage());
        }
    }

    /** URI keeps an authority that is no host and port as a registry name, without a host: say what is wrong. */
    @Test
    void anAuthorityThatIsNoHostAndPortIsNamedWithoutTheUserInformation() {
        try (Client client = Client.create()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> client.connect(URI.create("ws://alice:secret@127.0.0.1:99999999999/"), new Recorder()));
            assertEquals("URI has no usable host: '127.0.0.1:99999999999' is not a host name or IP literal with an"
                    + " optional port of 0 to 65535 (RFC 3986 §3.2.2, §3.2.3): ws://alice:***@127.0.0.1:99999999999/",
                    e.getMessage());
        }
    }

    @Test
    void aProxyUrlWhosePortIsNoNumberSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Proxy.parse("http://alice:secret@127.0.0.1:99999999999"));
        assertEquals("proxy URL http://alice:***@127.0.0.1:99999999999 has no host: '127.0.0.1:99999999999' is not"
                + " a host name or IP literal with an optional port of 1 to 65535", e.getMessage());
    }

    /**
     * A proxy variable that is no proxy URL fails every try alike (as curl fails the transfer): a reconnecting
     * session gives up at the first, naming the variable, rather than retrying for ever.
     */
    @Test
    void aReconnectingSessionGivesUpAtOnceOnAnInvalidProxyVariable() throws Exception {
        ClientOptions options = ClientOptions.builder()
                .proxyChooser(ProxyChooser.fromEnvironment(Map.of("http_proxy", "http://127.0.0.1:99999"))).build();
        ReconnectPolicy policy = ReconnectPolicy.builder().initialDelay(Duration.ofMillis(10))
                .maxDelay(Duration.ofMillis(10)).maxTries(3).build();
        try (Client client = Client.create()) {
            ReconnectingSession session = client.connectReconnecting(URI.create("ws://127.0.0.1:1/"), options, policy,
                    new Recorder(), status -> { });
            ReconnectingSession.Status end = session.ended().get(10, TimeUnit.SECONDS);
            assertEquals(ReconnectingSession.State.GAVE_UP, end.state());
            assertEquals(1, end.tries(), end.toString());
            assertEquals("cannot connect: http_proxy: proxy port must be 1 to 65535, was 99999", end.reason());
        }
    }
}
