package io.sockwave.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 6455 §7.4.1: 1004, 1005, 1006 and 1015 (and the other codes below 3000 no one registered) "MUST NOT be set as
 * a status code in a Close control frame by an endpoint". A ProtocolException is documented to carry "the close code
 * to send, one for which CloseCode.isValidOnWire holds"; one that breaks that is refused where it is made, before a
 * connection failed with it could put the code on the wire.
 */
class Section7_4_1ReservedCodesFromTheApplicationTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000})
    void aProtocolExceptionWithACodeThatMayNotBeSentIsRefused(int code) {
        assertThrows(IllegalArgumentException.class, () -> new ProtocolException(code, "app"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {1005, 1006, 1015})
    void aHandlerFailingAMessageWithAReservedCodePutsNoCloseFrameWithItOnTheWire(int code) {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));
        EventHandler refusing = new EventHandler() {
            @Override
            public void onText(String text) {
                throw new ProtocolException(code, "refused");
            }
        };

        assertThrows(IllegalArgumentException.class,
                () -> server.receive(ByteBuffer.wrap(Frames.client(Frames.TEXT, Frames.utf8("hi"))), refusing));

        assertNull(server.pollOutput(), "no close frame may carry " + code);
        assertNull(server.failure());
        assertEquals(State.OPEN, server.state());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {1000, 1011, 1014, 3000, 4999})
    void codesThatMaySendStillFailTheConnectionWithThatCode(int code) {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));

        server.fail(new ProtocolException(code, "app"), new EventQueue());

        assertEquals(code, Frames.decode(server.pollOutput()).closeCode());
        assertFalse(server.isOutputOpen());
    }
}
