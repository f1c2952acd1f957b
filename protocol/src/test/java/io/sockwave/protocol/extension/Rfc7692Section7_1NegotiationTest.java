package io.sockwave.protocol.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** RFC 7692 §5 and §7.1: offers, responses and their parameters, for both roles. */
class Rfc7692Section7_1NegotiationTest {
    private static final PerMessageDeflate SERVER = PerMessageDeflate.defaults();

    private static String accept(PerMessageDeflate server, String... offers) {
        Extension e = server.accept(java.util.Arrays.stream(offers).map(DeflatePeers::offer).toList());
        try {
            return e == null ? null : e.negotiated().toHeaderValue();
        } finally {
            if (e != null) {
                e.close();
            }
        }
    }

    @Test
    void section7_plainOfferIsAcceptedWithoutParameters() {
        assertEquals("permessage-deflate", accept(SERVER, "permessage-deflate"));
    }

    @Test
    void section7_1_1_noContextTakeoverRequestsAreEchoed() {
        assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                accept(SERVER, "permessage-deflate; client_no_context_takeover; server_no_context_takeover"));
    }

    @Test
    void section7_1_1_serverMayImposeNoContextTakeoverInBothDirections() {
        PerMessageDeflate strict = PerMessageDeflate.builder().serverNoContextTakeover(true)
                .clientNoContextTakeover(true).build();
        assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                accept(strict, "permessage-deflate"));
    }

    @Test
    void section7_1_2_1_serverMaxWindowBitsIsAcceptedWithTheSameOrSmallerValue() {
        assertEquals("permessage-deflate; server_max_window_bits=10",
                accept(SERVER, "permessage-deflate; server_max_window_bits=10"));
        PerMessageDeflate small = PerMessageDeflate.builder().serverMaxWindowBits(9).build();
        assertEquals("permessage-deflate; server_max_window_bits=9",
                accept(small, "permessage-deflate; server_max_window_bits=12"));
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14, 15})
    void section7_1_2_1_everyServerWindowFrom8To15IsAccepted(int bits) {
        assertEquals("permessage-deflate; server_max_window_bits=" + bits,
                accept(SERVER, "permessage-deflate; server_max_window_bits=" + bits));
    }

    @Test
    void section7_1_2_2_clientMaxWindowBitsIsAnsweredOnlyWhenOfferedAndWanted() {
        assertEquals("permessage-deflate", accept(SERVER, "permessage-deflate; client_max_window_bits"));
        PerMessageDeflate limiting = PerMessageDeflate.builder().clientMaxWindowBits(10).build();
        assertEquals("permessage-deflate; client_max_window_bits=10",
                accept(limiting, "permessage-deflate; client_max_window_bits"));
        assertEquals("permessage-deflate; client_max_window_bits=9",
                accept(limiting, "permessage-deflate; client_max_window_bits=9"));
        assertEquals("permessage-deflate", accept(limiting, "permessage-deflate"),
                "client_max_window_bits must not be sent to a client that did not offer it");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; server_max_window_bits=16",
        "permessage-deflate; client_max_window_bits=7",
        "permessage-deflate; client_max_window_bits=16",
        "permessage-deflate; server_max_window_bits=010",
        "permessage-deflate; server_max_window_bits=ten",
        "permessage-deflate; server_max_window_bits",
        "permessage-deflate; server_no_context_takeover=1",
        "permessage-deflate; client_no_context_takeover=yes",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
        "permessage-deflate; client_max_window_bits=10; client_max_window_bits=11",
        "permessage-deflate; x-unknown",
    })
    void section7_1_invalidOffersAreDeclined(String offer) {
        assertNull(accept(SERVER, offer), offer);
    }

    @Test
    void section5_1_theFirstOfferTheServerCanHonourIsChosen() {
        assertEquals("permessage-deflate; client_no_context_takeover",
                accept(SERVER, "permessage-deflate; x-unknown=1", "permessage-deflate; client_no_context_takeover",
                        "permessage-deflate"));
    }

    @Test
    void section7_1_clientOffersItCanHonourAnyClientWindow() {
        assertEquals("permessage-deflate; client_max_window_bits",
                PerMessageDeflate.defaults().offers().get(0).toHeaderValue());
        PerMessageDeflate asking = PerMessageDeflate.builder().serverNoContextTakeover(true).serverMaxWindowBits(10)
                .clientMaxWindowBits(12).build();
        assertEquals("permessage-deflate; server_no_context_takeover; server_max_window_bits=10; "
                + "client_max_window_bits=12", asking.offers().get(0).toHeaderValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "permessage-deflate; x-unknown",
        "permessage-deflate; server_max_window_bits=16",
        "permessage-deflate; server_max_window_bits",
        "permessage-deflate; client_max_window_bits",
        "permessage-deflate; client_max_window_bits=7",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
        "permessage-deflate; client_no_context_takeover=1",
    })
    void section7_1_clientRefusesAnInvalidResponse(String response) {
        assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.defaults().accepted(DeflatePeers.offer(response)));
    }

    @Test
    void section7_1_1_1_clientRefusesAResponseThatIgnoresItsNoContextTakeoverRequest() {
        PerMessageDeflate asking = PerMessageDeflate.builder().serverNoContextTakeover(true).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> asking.accepted(DeflatePeers.offer("permessage-deflate")));
        assertTrue(e.getMessage().contains("server_no_context_takeover"), e.getMessage());
    }

    @Test
    void section7_1_2_1_clientRefusesALargerServerWindowThanItAskedFor() {
        PerMessageDeflate asking = PerMessageDeflate.builder().serverMaxWindowBits(10).build();
        assertThrows(IllegalArgumentException.class,
                () -> asking.accepted(DeflatePeers.offer("permessage-deflate; server_max_window_bits=11")));
        assertThrows(IllegalArgumentException.class, () -> asking.accepted(DeflatePeers.offer("permessage-deflate")));
        assertNotNull(asking.accepted(DeflatePeers.offer("permessage-deflate; server_max_window_bits=9")));
    }

    @Test
    void section7_1_clientAcceptsWhatTheServerMayAddUnasked() {
        PerMessageDeflate client = PerMessageDeflate.defaults();
        for (String response : List.of("permessage-deflate; server_no_context_takeover",
                "permessage-deflate; client_no_context_takeover", "permessage-deflate; client_max_window_bits=8",
                "permessage-deflate; server_max_window_bits=12")) {
            Extension e = client.accepted(DeflatePeers.offer(response));
            assertEquals(response, e.negotiated().toHeaderValue());
            e.close();
        }
    }

    @Test
    void builderRefusesOutOfRangeSettings() {
        assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().serverMaxWindowBits(7));
        assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().clientMaxWindowBits(16));
        assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().level(10));
        assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().threshold(-1));
    }
}
