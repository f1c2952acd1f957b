package io.sockwave.bench.peers.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The generator's permessage-deflate offers and its checks of the server's answer (RFC 7692 §5, §7.1). */
class DeflateOfferTest {
    private static final DeflateOffer ON = DeflateOffer.CONTEXT_TAKEOVER;
    private static final DeflateOffer OFF = DeflateOffer.NO_CONTEXT_TAKEOVER;

    @Test
    void section5_theRequestCarriesTheOffer() {
        String request = Upgrade.prepare("127.0.0.1", 1, "/echo", 1, OFF).request()
                .toString(StandardCharsets.US_ASCII);
        assertTrue(request.contains("Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover;"
                + " client_no_context_takeover\r\n"), request);
        assertEquals(false, Upgrade.prepare("h", 1, "/", 1).request().toString(StandardCharsets.US_ASCII)
                .contains("Sec-WebSocket-Extensions"));
    }

    @Test
    void section7_1_answersThatAcceptTheOfferAsMade() {
        assertNull(ON.verify("permessage-deflate"));
        assertNull(ON.verify("Permessage-Deflate; server_max_window_bits=12"));
        assertNull(OFF.verify("permessage-deflate; server_no_context_takeover; client_no_context_takeover"));
        assertNull(OFF.verify("permessage-deflate;server_no_context_takeover"),
                "the client's own parameter may be left out");
    }

    @Test
    void section7_1_answersThatDoNotAreFailures() {
        assertNotNull(ON.verify(null), "declined");
        assertNotNull(OFF.verify("permessage-deflate"), "§7.1.1.1: server_no_context_takeover must be answered");
        assertNotNull(ON.verify("permessage-deflate; client_no_context_takeover"), "a different negotiation");
        assertNotNull(ON.verify("permessage-deflate; client_max_window_bits=10"), "§7.1.2.2: not offered");
        assertNotNull(ON.verify("permessage-deflate; server_max_window_bits=16"), "§7.1.2.1: 8 to 15");
        assertNotNull(OFF.verify("permessage-deflate; server_no_context_takeover; server_no_context_takeover"));
        assertNotNull(ON.verify("x-webkit-deflate-frame"));
        assertNotNull(ON.verify("permessage-deflate, permessage-deflate"));
    }

    @Test
    void section4_1_upgradeFailsWhenTheServerDeclines() {
        Upgrade upgrade = Upgrade.prepare("h", 1, "/echo", 5, ON);
        String key = upgrade.request().toString(StandardCharsets.US_ASCII)
                .replaceAll("(?s).*Sec-WebSocket-Key: (\\S+).*", "$1");
        String head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + Upgrade.accept(key);
        assertTrue(upgrade.verify(head).contains("did not accept permessage-deflate"), upgrade.verify(head));
        assertNull(upgrade.verify(head + "\r\nSec-WebSocket-Extensions: permessage-deflate"));
    }
}
