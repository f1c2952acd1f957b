package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.handshake.HttpHeaders;
import io.sockwave.protocol.handshake.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server closes the connection after every refusal and every answer to a plain request, so it owns the fields
 * that say how the connection and the body end, whatever an upgrade hook or the HTTP handler put in the response.
 * RFC 9112 §9.6: a server that closes sends the {@code close} connection option; a {@code keep-alive} beside it
 * (or a {@code Keep-Alive} field) would contradict it, and RFC 9110 §7.6.1 makes {@code Connection} one list, sent
 * here as one field. RFC 9110 §7.8: whoever sends {@code Upgrade} lists {@code upgrade} in {@code Connection};
 * §15.5.22: a 426 carries {@code Upgrade}. RFC 9112 §6.2: no {@code Content-Length} beside
 * {@code Transfer-Encoding}, and the server, which frames bodies by their length, sends none of the latter.
 */
class Rfc9112Section9_6ClosingAnswerHeadersTest {
    private final AtomicReference<UpgradeDecision> decision = new AtomicReference<>();
    private final AtomicReference<HttpResponse> page = new AtomicReference<>();
    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String refusedWith(UpgradeDecision refusal) throws Exception {
        decision.set(refusal);
        return exchange(RawSocket.upgrade("/chat", ""));
    }

    private String answeredWith(HttpResponse response) throws Exception {
        page.set(response);
        return exchange("GET /page HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    }

    private String exchange(String bytes) throws Exception {
        if (server == null) {
            server = Server.builder().host("127.0.0.1").port(0).eventLoops(1)
                    .upgradeHook(UpgradeHook.of(upgrade -> decision.get()))
                    .httpHandler(get -> page.get())
                    .route("/chat", new Recorder()).build().start();
        }
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(bytes);
            return raw.readUntilEof();
        }
    }

    @Test
    void aRefusalWithKeepAliveAddedSendsOneConnectionCloseInItsPlace() throws Exception {
        assertEquals("HTTP/1.1 401 Unauthorized\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Connection: close\r\n"
                + "WWW-Authenticate: Bearer\r\n"
                + "Date: (date)\r\n"
                + "Content-Length: 8\r\n"
                + "\r\n"
                + "sign in\n", RawSocket.undated(refusedWith(UpgradeDecision.reject(401, "sign in")
                .withHeader("Connection", "keep-alive").withHeader("WWW-Authenticate", "Bearer"))));
    }

    @Test
    void aRefusalRepeatingCloseSendsItOnce() throws Exception {
        String answer = refusedWith(UpgradeDecision.reject(403, "no").withHeader("Connection", "close"));
        assertEquals(1, fields(answer, "Connection"), answer);
        assertTrue(answer.contains("\r\nConnection: close\r\n"), answer);
    }

    @Test
    void aWholeRefusalResponseWithKeepAliveFieldsLosesThem() throws Exception {
        HttpHeaders headers = new HttpHeaders().add("Connection", "keep-alive").add("Keep-Alive", "timeout=5")
                .add("Content-Type", "text/plain");
        String answer = refusedWith(UpgradeDecision.reject(new HttpResponse(503, "Service Unavailable", headers,
                "later".getBytes(StandardCharsets.US_ASCII))));
        assertEquals("HTTP/1.1 503 Service Unavailable\r\n"
                + "Connection: close\r\n"
                + "Content-Type: text/plain\r\n"
                + "Date: (date)\r\n"
                + "Content-Length: 5\r\n"
                + "\r\n"
                + "later", RawSocket.undated(answer));
    }

    /** RFC 9110 §15.5.22 and §7.8: a hook's own 426 names the protocol and lists upgrade in Connection. */
    @Test
    void aRefusalWith426CarriesUpgradeListedInConnection() throws Exception {
        String answer = refusedWith(UpgradeDecision.reject(426, "upgrade to websocket, properly"));
        assertTrue(answer.startsWith("HTTP/1.1 426 Upgrade Required\r\n"), answer);
        assertEquals(1, fields(answer, "Upgrade"), answer);
        assertTrue(answer.contains("\r\nUpgrade: websocket\r\n"), answer);
        assertEquals(1, fields(answer, "Connection"), answer);
        assertTrue(answer.contains("\r\nConnection: Upgrade, close\r\n"), answer);
    }

    @Test
    void aRefusalThatAdvertisesUpgradeListsItInConnection() throws Exception {
        String answer = refusedWith(UpgradeDecision.reject(400, "bad").withHeader("Upgrade", "websocket"));
        assertEquals(1, fields(answer, "Connection"), answer);
        assertTrue(answer.contains("\r\nConnection: Upgrade, close\r\n"), answer);
    }

    @Test
    void otherConnectionOptionsAreKeptInTheOneField() throws Exception {
        String answer = refusedWith(UpgradeDecision.reject(400, "bad").withHeader("X-Trace", "1")
                .withHeader("Connection", "X-Trace, Keep-Alive"));
        assertEquals(1, fields(answer, "Connection"), answer);
        assertTrue(answer.contains("\r\nConnection: X-Trace, close\r\n"), answer);
    }

    @Test
    void anHttpHandlerAnswerWithKeepAliveSendsOneConnectionClose() throws Exception {
        HttpResponse response = HttpResponse.of(200, "text/plain", "hi".getBytes(StandardCharsets.US_ASCII));
        response.headers().add("Connection", "keep-alive");
        assertEquals("HTTP/1.1 200 OK\r\n"
                + "Content-Type: text/plain\r\n"
                + "Connection: close\r\n"
                + "Date: (date)\r\n"
                + "Content-Length: 2\r\n"
                + "\r\n"
                + "hi", RawSocket.undated(answeredWith(response)));
        // The handler's own response is left as it made it: it may hand out the same one again.
        assertEquals(java.util.List.of("keep-alive"), response.headers().all("Connection"));
        assertTrue(answeredWith(response).contains("\r\nConnection: close\r\n"));
    }

    /** RFC 9112 §6.2: the server writes the body as it is, framed by Content-Length, so Transfer-Encoding is false. */
    @Test
    void anHttpHandlerAnswerWithTransferEncodingIsAnsweredWith500() throws Exception {
        HttpResponse response = HttpResponse.of(200, "text/plain", "2\r\nhi\r\n0\r\n\r\n".getBytes(
                StandardCharsets.US_ASCII));
        response.headers().add("Transfer-Encoding", "chunked");
        String answer = answeredWith(response);
        assertTrue(answer.startsWith("HTTP/1.1 500 "), answer);
        assertFalse(answer.contains("Transfer-Encoding"), answer);
    }

    @Test
    void anHttpHandlerAnswerWhoseContentLengthIsNotItsBodysIsAnsweredWith500() throws Exception {
        HttpResponse response = HttpResponse.of(200, "text/plain", "hello".getBytes(StandardCharsets.US_ASCII));
        response.headers().add("Content-Length", "50");
        String answer = answeredWith(response);
        assertTrue(answer.startsWith("HTTP/1.1 500 "), answer);
    }

    private static int fields(String answer, String name) {
        String head = answer.substring(0, answer.indexOf("\r\n\r\n") + 2).toLowerCase(java.util.Locale.ROOT);
        int count = 0;
        for (String line : head.split("\r\n")) {
            if (line.startsWith(name.toLowerCase(java.util.Locale.ROOT) + ":")) {
                count++;
            }
        }
        return count;
    }
}
