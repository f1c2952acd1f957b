package io.sockwave.interop.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Why the Tomcat server row shows n/a for the smallest window, with no Sockwave involved: a bare socket offers
 * permessage-deflate with {@code server_max_window_bits=N} to the matrix's Tomcat server, which upgrades without the
 * extension for any N below 15 (RFC 7692 §7.1.2.1 lets a server decline such an offer) and takes it at 15.
 */
class TomcatDeflateWindowTest {
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {8, 9, 14, 15})
    void tomcatServerDeclinesAWindowBelowFifteenBits(int bits) throws Exception {
        try (EchoServer server = TomcatServer.factory().start(Setup.plain().withDeflate(Setup.Deflate.DEFAULT, bits));
             Socket socket = new Socket("127.0.0.1", server.uri().getPort())) {
            String response = BareUpgrade.offer(socket, "/echo",
                    "permessage-deflate; server_max_window_bits=" + bits);
            assertTrue(response.startsWith("HTTP/1.1 101"), response);
            List<String> expected = bits < 15 ? List.of() : List.of("permessage-deflate;server_max_window_bits=15");
            assertEquals(expected, BareUpgrade.extensions(response), response);
        }
    }
}
