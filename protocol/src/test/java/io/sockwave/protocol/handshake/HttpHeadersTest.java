package io.sockwave.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 7230 §3.2: field names are case-insensitive, fields keep their order and may repeat. */
class HttpHeadersTest {
    @Test
    void looksUpNamesIgnoringCaseAndKeepsEveryValueInOrder() {
        HttpHeaders headers = new HttpHeaders().add("Via", "a").add("Host", "h").add("VIA", "b");
        assertEquals("a", headers.first("via"));
        assertEquals(List.of("a", "b"), headers.all("vIa"));
        assertEquals(2, headers.count("via"));
        assertEquals(0, headers.count("Origin"));
        assertNull(headers.first("Origin"));
        assertEquals(List.of(), headers.all("Origin"));
        assertEquals(3, headers.size());
        List<String> seen = new ArrayList<>();
        headers.forEach((name, value) -> seen.add(name + ":" + value));
        assertEquals(List.of("Via:a", "Host:h", "VIA:b"), seen);
        assertEquals("VIA", headers.name(2));
        assertEquals("h", headers.value(1));
        assertThrows(IndexOutOfBoundsException.class, () -> headers.name(3));
    }

    @Test
    void readsCommaSeparatedListsAcrossRepeatedFields() {
        // RFC 7230 §3.2.2: repeated fields are one list; §7: empty elements are skipped.
        HttpHeaders headers = new HttpHeaders()
                .add("Connection", " keep-alive ,\tUpgrade")
                .add("connection", ",, close ,");
        assertEquals(List.of("keep-alive", "Upgrade", "close"), headers.tokens("Connection"));
        assertTrue(headers.containsToken("connection", "upgrade"));
        assertTrue(headers.containsToken("Connection", "CLOSE"));
        assertFalse(headers.containsToken("Connection", "up"), "whole elements only");
        assertFalse(headers.containsToken("Connection", "keep-alive ,"), "elements are trimmed and split");
        assertFalse(headers.containsToken("Connection", ""), "empty elements are not elements");
        assertFalse(headers.containsToken("Upgrade", "websocket"));
        assertTrue(new HttpHeaders().add("Upgrade", "websocket\t").containsToken("Upgrade", "WebSocket"));
        assertFalse(new HttpHeaders().add("Upgrade", "websockets").containsToken("Upgrade", "websocket"));
    }

    @Test
    void listsAreReadOnlyWhateverTheirLength() {
        HttpHeaders headers = new HttpHeaders().add("A", "1").add("B", "2").add("b", "3");
        for (List<String> list : List.of(headers.all("A"), headers.all("B"), headers.all("C"), headers.tokens("B"),
                headers.tokens("C"))) {
            assertThrows(UnsupportedOperationException.class, () -> list.add("x"), list.toString());
        }
        assertEquals(List.of("2", "3"), headers.all("b"));
        assertEquals(List.of("1"), headers.all("a"));
    }

    @Test
    void refusesNamesThatAreNotTokens() {
        for (String name : List.of("", "Bad Name", "Bad:Name", "X(Y)", "Caf\u00e9")) {
            assertThrows(IllegalArgumentException.class, () -> new HttpHeaders().add(name, "v"), name);
        }
    }

    @Test
    void refusesValuesThatWouldSplitTheHeadOrCannotBeEncoded() {
        for (String value : List.of("a\r\nX-Injected: 1", "a\nb", "a\rb", "a\u0000b", "a\u007fb", "\u20ac")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new HttpHeaders().add("X", value));
            assertTrue(e.getMessage().startsWith("header X: character U+"), e.getMessage());
        }
        assertEquals("tab\tand caf\u00e9", new HttpHeaders().add("X", "tab\tand caf\u00e9").first("x"));
    }

    @Test
    void equalWhenTheSameFieldsAreInTheSameOrder() {
        HttpHeaders a = new HttpHeaders().add("Host", "h").add("X", "1");
        HttpHeaders b = new HttpHeaders().add("host", "h").add("x", "1");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new HttpHeaders().add("X", "1").add("Host", "h"));
        assertNotEquals(a, new HttpHeaders().add("Host", "H").add("X", "1"), "values are case-sensitive");
    }
}
