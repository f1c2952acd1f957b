package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.Limits;
import io.sockwave.protocol.handshake.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server's opening handshake (RFC 6455 §4.2) at the byte level, through a real socket: the exact 101 for the
 * RFC's example, and each refusal with its status, followed by the connection being closed, never reused.
 */
class Section4_2ServerHandshakeTest {
    private Server server;
    private final Recorder chat = new Recorder();

    @BeforeEach
    void start() throws Exception {
        server = Server.builder()
                .host("127.0.0.1")
                .eventLoops(1)
                .subprotocols("chat")
                .allowedOrigins(List.of("http://example.com"))
                .limits(Limits.DEFAULTS.withMaxHandshakeBytes(1024))
                .route("/chat", chat)
                .httpHandler(request -> request.path().equals("/")
                        ? HttpResponse.of(200, "text/html; charset=utf-8",
                                "<h1>hi</h1>".getBytes(StandardCharsets.UTF_8))
                        : HttpResponse.error(404, "nothing at " + request.path()))
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String refused(String request) throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(request);
            String response = raw.readUntilEof();
            // A 426 lists Upgrade in Connection too (RFC 9110 §7.8).
            assertTrue(response.matches("(?s).*\r\nConnection: (Upgrade, )?close\r\n.*"), response);
            return response;
        }
    }

    @Test
    void rfcExampleRequestGetsTheExact101OfSection1_3() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.RFC_REQUEST);
            assertEquals("HTTP/1.1 101 Switching Protocols\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                    + "Sec-WebSocket-Protocol: chat\r\n"
                    + "\r\n", raw.readHead());
            Session session = chat.session();
            assertEquals("chat", session.subprotocol());
            assertEquals("http://example.com", session.requestHeaders().first("Origin"));
            assertEquals("/chat", session.path());
        }
    }

    @Test
    void framesSentRightAfterTheRequestHeadAreRead() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port())) {
            byte[] head = RawSocket.upgrade("/chat", "").getBytes(StandardCharsets.ISO_8859_1);
            byte[] frame = RawSocket.masked(0x81, "pipelined");
            byte[] both = new byte[head.length + frame.length];
            System.arraycopy(head, 0, both, 0, head.length);
            System.arraycopy(frame, 0, both, head.length, frame.length);
            raw.write(both);
            assertTrue(raw.readHead().startsWith("HTTP/1.1 101 "));
            chat.expect("open");
            chat.expect("text:pipelined");
        }
    }

    @Test
    void missingKeyIs400() throws Exception {
        String response = refused("GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 400 Bad Request\r\n"), response);
        assertTrue(response.contains("Sec-WebSocket-Key"), response);
    }

    @Test
    void malformedRequestLineIs400() throws Exception {
        assertTrue(refused("GET\r\n\r\n").startsWith("HTTP/1.1 400 "));
    }

    @Test
    void originNotAllowedIs403() throws Exception {
        String response = refused(RawSocket.upgrade("/chat", "Origin: http://evil.example\r\n"));
        assertTrue(response.startsWith("HTTP/1.1 403 Forbidden\r\n"), response);
    }

    @Test
    void unknownPathIs404AndTheServerKeepsServing() throws Exception {
        String response = refused(RawSocket.upgrade("/nowhere", ""));
        assertTrue(response.startsWith("HTTP/1.1 404 Not Found\r\n"), response);
        assertTrue(response.contains("/nowhere"), response);
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.open("/chat");
        }
    }

    @Test
    void wrongVersionIs426WithTheVersionSpoken() throws Exception {
        String response = refused(RawSocket.upgrade("/chat", "").replace("Version: 13", "Version: 8"));
        assertTrue(response.startsWith("HTTP/1.1 426 Upgrade Required\r\n"), response);
        assertTrue(response.contains("\r\nSec-WebSocket-Version: 13\r\n"), response);
        assertTrue(response.contains("\r\nUpgrade: websocket\r\n"), response);
    }

    @Test
    void oversizedHeadIs431() throws Exception {
        String response = refused(RawSocket.upgrade("/chat", "X-Padding: " + "a".repeat(2000) + "\r\n"));
        assertTrue(response.startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"), response);
    }

    @Test
    void postUpgradeIs405() throws Exception {
        String response = refused(RawSocket.upgrade("/chat", "").replace("GET ", "POST "));
        assertTrue(response.startsWith("HTTP/1.1 405 "), response);
    }

    @Test
    void plainHttpGoesToTheHttpHandler() throws Exception {
        String page = refused("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        assertTrue(page.startsWith("HTTP/1.1 200 OK\r\n"), page);
        assertTrue(page.contains("Content-Type: text/html; charset=utf-8\r\n"), page);
        assertTrue(page.endsWith("\r\n\r\n<h1>hi</h1>"), page);
        assertTrue(refused("GET /missing HTTP/1.1\r\nHost: h\r\n\r\n").startsWith("HTTP/1.1 404 "));
    }

    @Test
    void defaultHttpHandlerAnswers404() throws Exception {
        try (Server plain = Server.builder().host("127.0.0.1").eventLoops(1).build().start();
             RawSocket raw = RawSocket.connect(plain.port())) {
            raw.write("GET /index.html HTTP/1.1\r\nHost: h\r\n\r\n");
            assertTrue(raw.readUntilEof().startsWith("HTTP/1.1 404 Not Found\r\n"));
        }
    }

    @Test
    void failingHttpHandlerAnswers500() throws Exception {
        try (Server broken = Server.builder().host("127.0.0.1").eventLoops(1)
                .httpHandler(request -> {
                    throw new IllegalStateException("boom");
                }).build().start();
             RawSocket raw = RawSocket.connect(broken.port())) {
            raw.write("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            assertTrue(raw.readUntilEof().startsWith("HTTP/1.1 500 Internal Server Error\r\n"));
        }
    }

    @Test
    void aRefusedConnectionIsNotReusedForASecondRequest() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.upgrade("/nowhere", "") + RawSocket.upgrade("/chat", ""));
            String response = raw.readUntilEof();
            assertTrue(response.startsWith("HTTP/1.1 404 "), response);
            assertEquals(1, response.split("HTTP/1.1 ").length - 1, "exactly one response: " + response);
        }
    }
}
