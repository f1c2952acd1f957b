package io.sockwave.interop.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
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
            socket.setSoTimeout(30_000);
            String key = Base64.getEncoder().encodeToString("sixteen byte key".getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=" + bits
                    + "; client_max_window_bits\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String response = readHead(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 101"), response);
            assertEquals(List.of(FIXED_ANSWER), extensions(response), response);
        }
    }

    static List<String> extensions(String response) {
        return response.lines()
                .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-extensions:"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .toList();
    }

    /** @return an HTTP head, up to and without the blank line */
    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection ended within the HTTP head: " + head);
            }
            head.append((char) b);
        }
        return head.substring(0, head.length() - 4);
    }
}
