package io.sockwave.protocol.handshake;

import static io.sockwave.protocol.handshake.Wire.respond;
import static io.sockwave.protocol.handshake.Wire.statusLine;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 6455 §4.4 and §4.2.2 step 4 /version/: a server that does not speak the requested version answers 426 and
 * lists the version it speaks, so that the client can retry with it.
 */
class Section4_4VersionNegotiationTest {
    private static final ServerHandshake SERVER = new ServerHandshake(List.of(), List.of(), OriginPolicy.any());

    private static String request(String versionFields) {
        return "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" + versionFields + "\r\n";
    }

    /** §4.4's 426, naming the protocol in Upgrade as RFC 9110 §15.5.22 requires of every 426. */
    private static String upgradeRequired(String reason) {
        String body = reason + "\n";
        return "HTTP/1.1 426 Upgrade Required\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade, close\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Content-Length: " + body.length() + "\r\n"
                + "\r\n"
                + body;
    }

    @Test
    void theRfcExampleVersion25IsAnsweredWithTheVersionSpokenAndTheRetrySucceeds() {
        assertEquals(upgradeRequired("unsupported Sec-WebSocket-Version 25; this server speaks version 13"),
                respond(SERVER, request("Sec-WebSocket-Version: 25\r\n")));
        assertEquals("HTTP/1.1 101 Switching Protocols",
                statusLine(respond(SERVER, request("Sec-WebSocket-Version: 13\r\n"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8", "7", "0", "013", "13.0", "14", "13, 8", "thirteen"})
    void anyVersionOtherThanExactly13IsAnswered426(String version) {
        assertEquals(upgradeRequired("unsupported Sec-WebSocket-Version " + version
                        + "; this server speaks version 13"),
                respond(SERVER, request("Sec-WebSocket-Version: " + version + "\r\n")));
    }

    @Test
    void aMissingVersionIsAnswered426() {
        assertEquals(upgradeRequired("missing Sec-WebSocket-Version; this server speaks version 13"),
                respond(SERVER, request("")));
    }

    @Test
    void anEmptyVersionIsAnswered426() {
        assertEquals(upgradeRequired("empty Sec-WebSocket-Version; this server speaks version 13"),
                respond(SERVER, request("Sec-WebSocket-Version: \r\n")));
    }

    @Test
    void aRepeatedVersionIsAnswered426EvenWhenBothSay13() {
        assertEquals(upgradeRequired("repeated Sec-WebSocket-Version; this server speaks version 13"),
                respond(SERVER, request("Sec-WebSocket-Version: 13\r\nSec-WebSocket-Version: 13\r\n")));
    }

    @Test
    void optionalWhitespaceAroundTheVersionIsNotPartOfIt() {
        assertEquals("HTTP/1.1 101 Switching Protocols",
                statusLine(respond(SERVER, request("sec-websocket-version:\t 13 \r\n"))));
    }

    @Test
    void theVersionIsCheckedBeforeTheKeySoThatOldDraftClientsLearnWhatToSpeak() {
        // A draft-76 client sends Sec-WebSocket-Key1/Key2 and no Sec-WebSocket-Key or version.
        String draft76 = "GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\nSec-WebSocket-Key2: 12998 5 Y3 1  .P00\r\n\r\n";
        assertEquals(upgradeRequired("missing Sec-WebSocket-Version; this server speaks version 13"),
                respond(SERVER, draft76));
    }
}
