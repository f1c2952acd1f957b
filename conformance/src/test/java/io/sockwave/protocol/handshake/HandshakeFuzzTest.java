package io.sockwave.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sockwave.protocol.Limits;
import io.sockwave.protocol.extension.Extension;
import io.sockwave.protocol.extension.PerMessageDeflate;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The opening handshake in both roles on random heads (RFC 6455 §4.1, §4.2): {@link ServerHandshake#accept} and
 * {@link ClientHandshake#verify} either agree or refuse with a {@link HandshakeException} carrying a 4xx status (or
 * the status a client received); nothing else escapes. The server's answer, when it accepts, is a 101 carrying the
 * accept key of the request's key (§4.2.2). In responses, {@code $ACCEPT} stands for the right accept key, so that
 * the fuzzer gets past the check no random input passes.
 */
class HandshakeFuzzTest {
    private static final Limits LIMITS = Limits.DEFAULTS.withMaxHandshakeBytes(4096).withMaxHandshakeHeaders(32);

    @FuzzTest(maxDuration = "5m")
    void serverAcceptsOrRefuses(FuzzedDataProvider data) {
        ServerHandshake server = new ServerHandshake(List.of("chat", "superchat"),
                List.of(PerMessageDeflate.defaults()),
                data.consumeBoolean() ? OriginPolicy.any() : OriginPolicy.allowList(List.of("http://example.com")));
        HttpHeadParser parser = HttpHeadParser.requests(LIMITS);
        try {
            if (!parser.parse(ByteBuffer.wrap(data.consumeRemainingAsBytes()))) {
                return;
            }
            HttpRequest request = parser.request();
            ServerHandshake.Accepted accepted = server.accept(request);
            assertEquals(101, accepted.response().status());
            assertEquals(AcceptKey.derive(request.headers().first("Sec-WebSocket-Key").trim()),
                    accepted.response().headers().first("Sec-WebSocket-Accept"));
            accepted.extensions().forEach(Extension::close);
        } catch (HandshakeException e) {
            assertTrue(e.status() >= 400 && e.status() < 600, "status " + e.status());
        }
    }

    @FuzzTest(maxDuration = "5m")
    void clientVerifiesOrRefuses(FuzzedDataProvider data) {
        ClientHandshake client = new ClientHandshake(URI.create("ws://127.0.0.1:8080/chat"), new HttpHeaders(),
                List.of("chat", "superchat"), List.of(PerMessageDeflate.defaults()));
        String head = new String(data.consumeRemainingAsBytes(), StandardCharsets.ISO_8859_1)
                .replace("$ACCEPT", AcceptKey.derive(client.key()));
        HttpHeadParser parser = HttpHeadParser.responses(LIMITS);
        try {
            if (!parser.parse(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)))) {
                return;
            }
            HttpResponse response = parser.response();
            ClientHandshake.Accepted accepted = client.verify(response);
            assertEquals(101, response.status());
            accepted.extensions().forEach(Extension::close);
        } catch (HandshakeException e) {
            // The status received (any three digits, RFC 7230 §3.1.2: the first fuzzing run sent 901), or 0 for a
            // response that is malformed.
            assertTrue(e.status() == 0 || e.status() >= 100 && e.status() <= 999, "status " + e.status());
        }
    }
}
