package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.handshake.HandshakeException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link UpgradeDecision#reject(int, String)} through real sockets: the message goes into a {@code text/plain;
 * charset=utf-8} body only, on one line, its control characters escaped, so a message quoting what a client sent
 * can neither add a header (response splitting, RFC 9112 §2.2) nor break the line; what cannot be sent whole is
 * refused at the call, naming the argument.
 */
class RefusalMessageTest {
    private final AtomicReference<String> message = new AtomicReference<>();
    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start() throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(1)
                .route("/rooms/{room}", UpgradeHook.of(request -> UpgradeDecision.reject(403, message.get())),
                        new EchoListener())
                .build().start();
    }

    @Test
    void aMessageQuotingTheClientStaysOneLineOfTheUtf8Body() throws Exception {
        start();
        message.set("no room \"a\r\nSet-Cookie: sid=evil\r\n\r\n\u001b[2J\" for you \u2713\tsorry \uD83D\uDE00 \uD800");
        String escaped = "no room \"a\\u000D\\u000ASet-Cookie: sid=evil\\u000D\\u000A\\u000D\\u000A\\u001B[2J\""
                + " for you \u2713\tsorry \uD83D\uDE00 \\uD800\n";
        byte[] body = escaped.getBytes(StandardCharsets.UTF_8);
        String answer = RawSocket.undated(RawSocket.exchange(server.port(), RawSocket.upgrade("/rooms/a", "")));
        assertEquals("HTTP/1.1 403 Forbidden\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Connection: close\r\n"
                + "Date: (date)\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "\r\n"
                + new String(body, StandardCharsets.ISO_8859_1), answer);
    }

    @Test
    void aMessageUpToTheClientsRefusalBodyArrivesWhole() throws Exception {
        start();
        String longest = "x".repeat(Client.MAX_REFUSAL_BODY - 3) + "\u00e9";
        message.set(longest);
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/rooms/a");
        try (Client client = Client.create()) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.connect(uri, new Recorder()).get(10, TimeUnit.SECONDS));
            HandshakeException refused = assertInstanceOf(HandshakeException.class, e.getCause());
            assertEquals(403, refused.status());
            assertEquals("text/plain; charset=utf-8", refused.headers().first("Content-Type"));
            assertArrayEquals((longest + "\n").getBytes(StandardCharsets.UTF_8), refused.body());
        }
    }

    @Test
    void whatCannotBeSentWholeIsRefusedAtTheCallNamingTheArgument() {
        String tooLong = "x".repeat(Client.MAX_REFUSAL_BODY - 2) + "\u00e9";
        IllegalArgumentException large = assertThrows(IllegalArgumentException.class,
                () -> UpgradeDecision.reject(403, tooLong));
        assertTrue(large.getMessage().startsWith("message: 4097 bytes"), large.getMessage());
        // Escapes count: six bytes for each control character.
        String manyControls = "\n".repeat(Client.MAX_REFUSAL_BODY / 6 + 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> UpgradeDecision.reject(403, manyControls))
                .getMessage().startsWith("message: "));
        IllegalArgumentException status = assertThrows(IllegalArgumentException.class,
                () -> UpgradeDecision.reject(302, "moved"));
        assertTrue(status.getMessage().startsWith("status: "), status.getMessage());
        assertEquals("message", assertThrows(NullPointerException.class, () -> UpgradeDecision.reject(403, null))
                .getMessage());
    }
}
