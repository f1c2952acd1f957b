package io.sockwave.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.handshake.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompactHeadersTest {
    @Test
    void aTypicalHandshakeRoundTripsInFewBytes() {
        HttpHeaders headers = new HttpHeaders()
                .add("Host", "127.0.0.1:8080")
                .add("Upgrade", "websocket")
                .add("Connection", "Upgrade")
                .add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .add("Sec-WebSocket-Version", "13");
        byte[] packed = CompactHeaders.pack("/chat?room=1", headers);
        assertEquals("/chat?room=1", CompactHeaders.target(packed));
        assertEquals(lines(headers), lines(CompactHeaders.headers(packed)));
        // Target and line feed 13, Host 16, Upgrade 2, Connection 2, key 26, version 2.
        assertEquals(61, packed.length);
    }

    @Test
    void linesThatOnlyStartLikeKnownOnesOrAreUnknownRoundTripAsSent() {
        HttpHeaders headers = new HttpHeaders()
                .add("upgrade", "websocket")
                .add("Upgrade", "websocket2")
                .add("Connection", "keep-alive, Upgrade")
                .add("Connection", "close")
                .add("Sec-WebSocket-Version", "8, 13")
                .add("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits")
                .add("Origin", "https://example.com")
                .add("Origin", "null")
                .add("X-Custom", "a:b\tc")
                .add("Cookie", "")
                .add("Hostname", "h");
        byte[] packed = CompactHeaders.pack("/", headers);
        assertEquals(lines(headers), lines(CompactHeaders.headers(packed)));
        assertTrue(packed.length < 2 + lines(headers).stream().mapToInt(l -> l.length() + 1).sum());
    }

    private static List<String> lines(HttpHeaders headers) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            lines.add(headers.name(i) + ":" + headers.value(i));
        }
        return lines;
    }
}
