package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Proxy URLs and the proxy environment variables, read as curl reads them. */
class ProxyChooserTest {
    private static Proxy choose(Map<String, String> env, String uri) {
        return ProxyChooser.fromEnvironment(env).choose(URI.create(uri));
    }

    @Test
    void proxyUrlsAsCurlReadsThem() {
        assertEquals(Proxy.http("proxy.example", 1080), Proxy.parse("proxy.example"), "no scheme: http, port 1080");
        assertEquals(Proxy.http("proxy.example", 3128), Proxy.parse("http://proxy.example:3128/"));
        assertEquals(Proxy.socks5("::1", 1080), Proxy.parse("socks5h://[::1]"));
        Proxy withCredentials = Proxy.parse("socks5://al%40ice:p%3As+s@127.0.0.1:9050");
        assertEquals("al@ice", withCredentials.username());
        assertEquals("p:s+s", withCredentials.password(), "percent-decoded; '+' is no space in a URL");
        assertEquals("socks5://al@ice@127.0.0.1:9050", withCredentials.toString(), "never the password");
        IllegalArgumentException https = assertThrows(IllegalArgumentException.class,
                () -> Proxy.parse("https://proxy.example"));
        assertTrue(https.getMessage().contains("unsupported proxy scheme https"), https.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Proxy.parse("socks4://proxy.example"));
    }

    /** A TCP port is 1 to 65535, as {@link Proxy#http} checks; a URL's port (RFC 3986 §3.2.3) is any digits. */
    @Test
    void aProxyUrlWhosePortIsNoTcpPortIsRefused() {
        for (String url : new String[] {"http://proxy.example:0", "http://proxy.example:65536",
                "socks5://127.0.0.1:99999"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Proxy.parse(url), url);
            assertTrue(e.getMessage().contains("port"), e.getMessage());
        }
        assertEquals(Proxy.http("proxy.example", 65535), Proxy.parse("http://proxy.example:65535"));
    }

    /**
     * RFC 7617 §2: a Basic user-id with a colon is invalid (the proxy would split it there), and neither part may hold
     * a control character; RFC 1929 sets no such rule for SOCKS5.
     */
    @Test
    void basicCredentialsThatRfc7617CannotCarryAreRefused() {
        Proxy http = Proxy.http("proxy.example", 3128);
        IllegalArgumentException colon = assertThrows(IllegalArgumentException.class,
                () -> http.withCredentials("corp:alice", "pw"));
        assertTrue(colon.getMessage().contains("colon"), colon.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Proxy.parse("http://corp%3Aalice:pw@proxy.example"));
        assertThrows(IllegalArgumentException.class, () -> http.withCredentials("alice", "p\nw"));
        assertEquals("p:w", http.withCredentials("alice", "p:w").password(), "a colon in the password is fine");
        assertEquals("corp:alice", Proxy.socks5("127.0.0.1", 1080).withCredentials("corp:alice", "pw").username());
    }

    @Test
    void wssUsesHttpsProxyAndWsUsesLowerCaseHttpProxyOnly() {
        Map<String, String> env = Map.of("HTTPS_PROXY", "http://secure:1", "HTTP_PROXY", "http://upper:2");
        assertEquals(Proxy.http("secure", 1), choose(env, "wss://example.com/"));
        assertEquals(Proxy.DIRECT, choose(env, "ws://example.com/"), "HTTP_PROXY is ignored (httpoxy)");
        Map<String, String> lower = Map.of("https_proxy", "http://lower:1", "HTTPS_PROXY", "http://upper:1",
                "http_proxy", "socks5://plain:3");
        assertEquals(Proxy.http("lower", 1), choose(lower, "wss://example.com/"), "lower case wins");
        assertEquals(Proxy.socks5("plain", 3), choose(lower, "ws://example.com/"));
    }

    @Test
    void allProxyIsTheFallbackAndEmptyValuesCountAsUnset() {
        Map<String, String> env = Map.of("ALL_PROXY", "socks5://all:9", "https_proxy", "");
        assertEquals(Proxy.socks5("all", 9), choose(env, "wss://example.com/"));
        assertEquals(Proxy.socks5("all", 9), choose(env, "ws://example.com/"));
        assertEquals(Proxy.DIRECT, choose(Map.of(), "ws://example.com/"));
    }

    @Test
    void noProxyExemptsNamesTheirSubdomainsAddressesAndRanges() {
        Map<String, String> env = Map.of("all_proxy", "http://p:1",
                "NO_PROXY", ".internal.example, localhost 10.0.0.0/8,[::1]");
        assertEquals(Proxy.DIRECT, choose(env, "ws://internal.example/"));
        assertEquals(Proxy.DIRECT, choose(env, "ws://chat.INTERNAL.example/"));
        assertEquals(Proxy.http("p", 1), choose(env, "ws://notinternal.example/"), "a suffix is no subdomain");
        assertEquals(Proxy.DIRECT, choose(env, "ws://localhost:8080/"));
        assertEquals(Proxy.DIRECT, choose(env, "ws://10.1.2.3/"));
        assertEquals(Proxy.http("p", 1), choose(env, "ws://11.1.2.3/"));
        assertEquals(Proxy.DIRECT, choose(env, "ws://[::1]:80/"));
        assertEquals(Proxy.DIRECT, choose(Map.of("all_proxy", "http://p:1", "no_proxy", "*"), "wss://any/"));
    }

    /** As documented and as curl reads it: {@code *} exempts every host only as the whole value, not in a list. */
    @Test
    void anAsteriskExemptsEveryHostOnlyAlone() {
        Map<String, String> env = Map.of("all_proxy", "http://p:1", "no_proxy", "localhost,*");
        assertEquals(Proxy.DIRECT, choose(env, "ws://localhost/"));
        assertEquals(Proxy.http("p", 1), choose(env, "ws://example.com/"));
        assertEquals(Proxy.DIRECT, choose(Map.of("all_proxy", "http://p:1", "no_proxy", " * "), "ws://example.com/"));
    }

    /** A fully qualified name's trailing dot is ignored, in the host as in the entry, as curl ignores it. */
    @Test
    void aTrailingDotIsIgnoredInTheHostAndInTheEntry() {
        Map<String, String> env = Map.of("all_proxy", "http://p:1", "no_proxy", "internal.example.,localhost");
        assertEquals(Proxy.DIRECT, choose(env, "ws://chat.internal.example/"));
        assertEquals(Proxy.DIRECT, choose(env, "ws://internal.example./"));
        assertEquals(Proxy.DIRECT, choose(env, "ws://localhost.:8080/"));
        assertEquals(Proxy.http("p", 1), choose(env, "ws://example./"));
    }

    /** An IP address entry is an address, not a string: {@code ::1} is {@code 0:0:0:0:0:0:0:1}, as curl has it. */
    @Test
    void anAddressEntryExemptsTheSameAddressWrittenAnotherWay() {
        Map<String, String> env = Map.of("all_proxy", "http://p:1", "no_proxy", "::1,10.0.0.7");
        assertEquals(Proxy.DIRECT, choose(env, "ws://[0:0:0:0:0:0:0:1]:8080/"));
        assertEquals(Proxy.DIRECT, choose(env, "ws://[0::1]/"));
        assertEquals(Proxy.http("p", 1), choose(env, "ws://[::2]/"));
        assertEquals(Proxy.DIRECT, choose(env, "ws://10.0.0.7/"));
        assertEquals(Proxy.http("p", 1), choose(env, "ws://10.0.0.70/"));
    }

    @Test
    void anInvalidVariableFailsTheConnectNamingIt() {
        try (Client client = Client.create()) {
            ClientOptions options = ClientOptions.builder()
                    .proxyChooser(ProxyChooser.fromEnvironment(Map.of("https_proxy", "https://p:1"))).build();
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> client.connect(URI.create("wss://example.com/"), options, new Recorder()).get());
            assertTrue(e.getCause().getMessage().startsWith("https_proxy: unsupported proxy scheme https"),
                    e.getCause().getMessage());
        }
    }
}
