package io.sockwave.interop.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Why the gorilla server row shows ✗ for the smallest window, with no Sockwave involved: a bare socket written here
 * offers permessage-deflate with {@code server_max_window_bits=N} to the matrix's gorilla server, which accepts the
 * offer with its one fixed answer, without {@code server_max_window_bits}. RFC 7692 §7.1.2.1: a server accepts such
 * an offer by answering {@code server_max_window_bits} with the same or a smaller value, or declines the offer; so a
 * client that asked for a small window cannot take that answer.
 */
class GorillaDeflateWindowTest {
    private static final String FIXED_ANSWER = "permessage-deflate; server_no_context_takeover; client_no_context_takeover";

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {8, 9, 12})
    void gorillaServerAcceptsAWindowOfferWithoutAnsweringIt(int bits) throws Exception {
        EchoServer.Factory gorilla = ScriptedServer.factory(args -> GorillaPeer.command("server", args),
                new PeerTraits() { });
        try (EchoServer server = gorilla.start(Setup.plain().withDeflate(Setup.Deflate.DEFAULT, bits));
             Socket socket = new Socket("127.0.0.1", server.uri().getPort())) {
            String response = BareUpgrade.offer(socket, "/", "permessage-deflate; server_max_window_bits=" + bits
                    + "; client_max_window_bits");
            assertTrue(response.startsWith("HTTP/1.1 101"), response);
            assertEquals(List.of(FIXED_ANSWER), BareUpgrade.extensions(response), response);
        }
    }
}
