package io.sockwave.bench.peers.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The generator's prepared opening handshake and its checks of the server's answer (RFC 6455 §4.1, §4.2.2). */
class UpgradeTest {
    private static String key(Upgrade upgrade) {
        String request = upgrade.request().toString(StandardCharsets.US_ASCII);
        Matcher m = Pattern.compile("Sec-WebSocket-Key: (\\S+)\r\n").matcher(request);
        assertTrue(m.find(), request);
        return m.group(1);
    }

    private static String response(String accept) {
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept;
    }

    @Test
    void section1_3_acceptOfTheRfcExampleKey() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Upgrade.accept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void section4_1_requestCarriesTheRequiredHeaders() {
        String request = Upgrade.prepare("127.0.0.1", 8080, "/echo", 1).request()
                .toString(StandardCharsets.US_ASCII);
        assertTrue(request.startsWith("GET /echo HTTP/1.1\r\n"), request);
        assertTrue(request.contains("Host: 127.0.0.1:8080\r\n"), request);
        assertTrue(request.contains("Upgrade: websocket\r\n"), request);
        assertTrue(request.contains("Connection: Upgrade\r\n"), request);
        assertTrue(request.contains("Sec-WebSocket-Version: 13\r\n"), request);
        assertTrue(request.endsWith("\r\n\r\n"), request);
    }

    @Test
    void distinctSeedsGiveDistinctKeys() {
        assertNotEquals(key(Upgrade.prepare("h", 1, "/", 1)), key(Upgrade.prepare("h", 1, "/", 2)));
    }

    @Test
    void section4_1_validAcceptanceIsAccepted() {
        Upgrade upgrade = Upgrade.prepare("h", 1, "/echo", 3);
        assertNull(upgrade.verify(response(Upgrade.accept(key(upgrade)))));
        String lowerCase = "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nconnection: keep-alive, upgrade"
                + "\r\nsec-websocket-accept: " + Upgrade.accept(key(upgrade));
        assertNull(upgrade.verify(lowerCase), "header names are case-insensitive");
    }

    @Test
    void section4_1_wrongAcceptStatusOrHeadersAreRejected() {
        Upgrade upgrade = Upgrade.prepare("h", 1, "/echo", 3);
        String accept = Upgrade.accept(key(upgrade));
        assertNotNull(upgrade.verify(response(Upgrade.accept("dGhlIHNhbXBsZSBub25jZQ=="))), "another key's accept");
        assertNotNull(upgrade.verify(response(accept).replace("101 Switching Protocols", "200 OK")), "status 200");
        assertNotNull(upgrade.verify(response(accept).replace("Upgrade: websocket\r\n", "")), "no Upgrade");
        assertNotNull(upgrade.verify(response(accept).replace("Connection: Upgrade\r\n", "")), "no Connection");
        assertNotNull(upgrade.verify(response(accept).replace("\r\nSec-WebSocket-Accept: " + accept, "")),
                "no Accept");
    }
}
