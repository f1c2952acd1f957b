package io.sockwave.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6455 §10.2 and §4.2.2 step 4 /origin/, with origins compared as RFC 6454 §6.2 serializes them. */
class Section10_2OriginPolicyTest {
    private static final OriginPolicy APP = OriginPolicy.allowList(List.of("https://app.example.com",
            "http://127.0.0.1:8080"));

    @Test
    void allowsListedOriginsIgnoringAsciiCase() {
        assertTrue(APP.allows("https://app.example.com"));
        assertTrue(APP.allows("HTTPS://APP.Example.Com"));
        assertTrue(APP.allows("http://127.0.0.1:8080"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example.com", "http://app.example.com", "https://app.example.com:443",
        "https://app.example.com/", "https://app.example.com.evil.net", "http://127.0.0.1", "http://127.0.0.1:8081",
        "null", ""})
    void refusesEverythingElseExactly(String origin) {
        assertFalse(APP.allows(origin));
    }

    @Test
    void foldsOnlyAsciiLettersNotUnicodeLookAlikes() {
        // U+212A KELVIN SIGN lower-cases to 'k' under Unicode rules, which origin comparison must not apply.
        OriginPolicy policy = OriginPolicy.allowList(List.of("https://kiosk.example"));
        assertTrue("https://kiosk.example".equalsIgnoreCase("https://\u212Aiosk.example"), "the trap is real");
        assertFalse(policy.allows("https://\u212Aiosk.example"));
    }

    @Test
    void allowsRequestsWithoutOriginWhichDoNotComeFromBrowsers() {
        assertTrue(APP.allows(null));
    }

    @Test
    void anyAllowsEveryOrigin() {
        assertTrue(OriginPolicy.any().allows("https://evil.example.com"));
        assertTrue(OriginPolicy.any().allows(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/", "app.example.com", "https://", "https://a.com/path",
        "null", "://a.com", "https://a .com", "https://a.com?x"})
    void refusesEntriesThatCanNeverMatchASerializedOrigin(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OriginPolicy.allowList(List.of(entry)));
        assertEquals("not an origin (scheme://host[:port], no path): '" + entry + "'", e.getMessage());
    }

    /** RFC 6454 §6.2: a default port is never serialized, so an entry naming it would refuse every browser. */
    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com:443", "HTTP://app.example.com:80", "http://[::1]:80",
        "wss://app.example.com:443"})
    void refusesEntriesThatSpellOutTheDefaultPort(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OriginPolicy.allowList(List.of(entry)));
        assertTrue(e.getMessage().startsWith("'" + entry + "' can never match: browsers omit the default port"),
                e.getMessage());
    }

    @Test
    void acceptsOtherPortsAndIpv6Hosts() {
        OriginPolicy policy = OriginPolicy.allowList(List.of("https://app.example.com:8443", "http://[::1]:8080",
                "http://[::1]", "https://app.example.com:80"));
        assertTrue(policy.allows("https://app.example.com:8443"));
        assertTrue(policy.allows("http://[::1]:8080"));
        assertTrue(policy.allows("http://[::1]"));
        assertTrue(policy.allows("https://app.example.com:80"));
    }
}
