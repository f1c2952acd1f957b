package io.sockwave.protocol;

import static io.sockwave.protocol.Frames.CLOSE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 6455 §7.4 and the IANA "WebSocket Close Code Number Registry": which status codes may travel in a close frame.
 *
 * <p>Decided: 1000-1003 and 1007-1011 (§7.4.1), 1012-1014 (registered with IANA since: Service Restart, Try Again
 * Later, Bad Gateway) and 3000-4999 (§7.4.2: registered libraries and private use) are valid. 0-999 are unused,
 * 1004 is reserved, 1005, 1006 and 1015 must never be sent (§7.4.1), 1016-2999 are reserved for future revisions
 * and extensions, and 5000 up are undefined: receiving any of these fails the connection with 1002.
 */
class Section7_4CloseCodesTest {

    /** The decision above, written independently of {@link CloseCode#isValidOnWire}. */
    private static boolean expectedValid(int code) {
        return switch (code) {
            case 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014 -> true;
            default -> code >= 3000 && code <= 4999;
        };
    }

    @Test
    void everyCodeFrom0To5000IsAcceptedAndEchoedOrFailsWith1002() {
        for (int code = 0; code <= 5000; code++) {
            assertReceivedCode(code);
        }
        assertReceivedCode(0xFFFF);
    }

    private static void assertReceivedCode(int code) {
        Peer server = Peer.server();

        List<Event> events = server.receive(Frames.client(CLOSE, Frames.closePayload(code, Frames.utf8("bye"))));

        List<Frames.Decoded> out = server.output();
        assertEquals(1, out.size(), "code " + code);
        if (expectedValid(code)) {
            assertEquals(List.of(new Event.Close(code, "bye")), events, "code " + code);
            assertArrayEquals(Frames.bigEndian(code, 2), out.get(0).payload(), "§5.5.1: the reply echoes the code");
        } else {
            assertEquals(List.of(new Event.Failure(CloseCode.PROTOCOL_ERROR, "invalid close code " + code)), events);
            assertEquals(CloseCode.PROTOCOL_ERROR, out.get(0).closeCode(), "code " + code);
        }
        assertEquals(State.CLOSED, server.state());
    }

    @Test
    void isValidOnWireFollowsTheRegistryForEveryCode() {
        for (int code = -1; code <= 70_000; code++) {
            assertEquals(expectedValid(code), CloseCode.isValidOnWire(code), "code " + code);
        }
    }

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535, -1, 65536})
    void theApiRefusesToSendCodesThatMayNotAppearOnTheWire(int code) {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> server.close(code, ""));

        assertEquals("close code " + code + " may not be sent (RFC 6455 §7.4)", e.getMessage());
        assertEquals(State.OPEN, server.state(), "a refused close changes nothing");
    }

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999})
    void theApiSendsEveryValidCode(int code) {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));

        Frames.Decoded close = Frames.decode(server.close(code, "why"));

        assertEquals(CLOSE, close.opcode());
        assertEquals(code, close.closeCode());
        assertEquals("why", close.closeReason());
    }

    @Test
    void codesHaveReadableDescriptions() {
        assertEquals("normal closure", CloseCode.describe(1000));
        assertEquals("message too big", CloseCode.describe(1009));
        assertEquals("application code", CloseCode.describe(4000));
        assertEquals("reserved code", CloseCode.describe(2000));
        assertEquals("reserved code", CloseCode.describe(1004));
    }

    /**
     * The codes registered with IANA's WebSocket Close Code Number Registry after RFC 6455 (§11.7), which this end
     * accepts on the wire, have their registered names: {@code sockwave connect} printed "1013 (reserved code)" for
     * the chat's "try again later".
     */
    @Test
    void codesRegisteredAfterTheRfcHaveTheirNames() {
        assertEquals("service restart", CloseCode.describe(1012));
        assertEquals("try again later", CloseCode.describe(1013));
        assertEquals("bad gateway", CloseCode.describe(1014));
    }
}
