package io.sockwave.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** RFC 6454 §5's origin comparison, which decides whether credentials follow a redirect, and what is a downgrade. */
class RedirectOriginTest {
    @Test
    void rfc6454Section5OriginIsSchemeHostAndEffectivePort() {
        assertTrue(ClientUpgrade.sameOrigin(URI.create("ws://Example.com/a"), URI.create("ws://example.com:80/b")));
        assertTrue(ClientUpgrade.sameOrigin(URI.create("wss://example.com/"), URI.create("WSS://example.com:443/")));
        assertFalse(ClientUpgrade.sameOrigin(URI.create("wss://example.com/"), URI.create("ws://example.com:443/")));
        assertFalse(ClientUpgrade.sameOrigin(URI.create("ws://example.com/"), URI.create("ws://example.com:81/")));
        assertFalse(ClientUpgrade.sameOrigin(URI.create("ws://a.example/"), URI.create("ws://b.example/")));
    }

    @Test
    void onlyLeavingTlsIsADowngrade() {
        assertTrue(ClientUpgrade.isDowngrade(URI.create("wss://example.com/"), URI.create("ws://example.com/")));
        assertTrue(ClientUpgrade.isDowngrade(URI.create("WSS://example.com/"), URI.create("ws://other.example/")));
        assertFalse(ClientUpgrade.isDowngrade(URI.create("ws://example.com/"), URI.create("wss://example.com/")));
        assertFalse(ClientUpgrade.isDowngrade(URI.create("wss://a.example/"), URI.create("wss://b.example/")));
        assertFalse(ClientUpgrade.isDowngrade(URI.create("ws://a.example/"), URI.create("ws://b.example/")));
    }
}
