package io.sockwave.bench;

import io.sockwave.protocol.Limits;
import io.sockwave.protocol.handshake.HttpHeadParser;
import io.sockwave.protocol.handshake.OriginPolicy;
import io.sockwave.protocol.handshake.ServerHandshake;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * The server's side of an opening handshake (RFC 6455 §4.2): parsing a browser-sized upgrade request, validating
 * it, deriving {@code Sec-WebSocket-Accept} and encoding the {@code 101} response, as a server's event loop does: with
 * one parser reset for each head, and the response written into a buffer it reuses.
 */
public class HandshakeBenchmark extends ThroughputBenchmark {
    private static final String REQUEST = "GET /chat HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Origin: http://example.com\r\n"
            + "Sec-WebSocket-Protocol: chat, superchat\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\n"
            + "Accept-Language: en-US,en;q=0.9\r\n"
            + "Cache-Control: no-cache\r\n"
            + "\r\n";

    private byte[] request;
    private ServerHandshake handshake;
    private HttpHeadParser parser;
    private ByteBuffer response;

    /** Builds the request bytes and a handshake with one subprotocol. */
    @Setup
    public void setUp() {
        request = REQUEST.getBytes(StandardCharsets.US_ASCII);
        handshake = new ServerHandshake(List.of("chat"), List.of(), OriginPolicy.any());
        parser = HttpHeadParser.requests(Limits.DEFAULTS);
        response = ByteBuffer.allocate(1024);
    }

    /** Parses, validates and answers one request. */
    @Benchmark
    public ByteBuffer accept(ByteCounter counter) {
        parser.reset();
        if (!parser.parse(ByteBuffer.wrap(request))) {
            throw new IllegalStateException("request incomplete");
        }
        counter.bytes += request.length;
        return handshake.accept(parser.request()).encode(response.clear()).flip();
    }
}
