package io.sockwave.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The shared words a parsed head reuses: exact byte matches only, anything else is the text as written. */
class KnownTextTest {
    private static String of(String text, int padding) {
        byte[] bytes = ("..." + text + "...").getBytes(StandardCharsets.ISO_8859_1);
        return KnownText.of(bytes, 3, 3 + text.length() - padding);
    }

    @Test
    void aKnownWordIsTheSharedInstance() {
        assertSame(KnownText.of("Sec-WebSocket-Key".getBytes(StandardCharsets.ISO_8859_1), 0, 17),
                of("Sec-WebSocket-Key", 0));
        assertSame("HTTP/1.1", of("HTTP/1.1", 0));
    }

    @Test
    void nearMissesAreTheirOwnText() {
        // Other case, a prefix of a word, a word with more after it, and the empty range are not words.
        assertEquals("host", of("host", 0));
        assertEquals("Hos", of("Host", 1));
        assertEquals("Upgrades", of("Upgrades", 0));
        assertEquals("", of("", 0));
        assertEquals("caf\u00e9", of("caf\u00e9", 0));
    }
}
