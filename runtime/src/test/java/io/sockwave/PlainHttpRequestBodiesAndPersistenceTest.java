package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.handshake.HttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the server reads what comes with and after a plain HTTP request, through a real socket. It serves one request
 * per connection and does not read request bodies: it answers with {@code Connection: close} (RFC 9112 §9.6),
 * discards whatever follows the head while it closes, and so never reads a body, or a request smuggled in one, as a
 * request of its own (RFC 9112 §11.2). A body whose length cannot be found is refused first (§6.3).
 */
class PlainHttpRequestBodiesAndPersistenceTest {
    private Server server;
    private final List<String> served = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(1)
                .route("/chat", new EchoListener())
                .httpHandler(request -> {
                    served.add(request.method() + " " + request.target());
                    return HttpResponse.of(200, "text/plain", ("served " + request.target()).getBytes(
                            StandardCharsets.UTF_8));
                })
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String exchange(String request) throws Exception {
        return RawSocket.exchange(server.port(), request);
    }

    private static int answers(String bytes) {
        return bytes.split("HTTP/1\\.1 \\d\\d\\d ", -1).length - 1;
    }

    /**
     * RFC 9112 §9.3: a client may pipeline; a server that closes after its first answer says so with
     * {@code Connection: close} (§9.6) and answers nothing after it, so the client retries the rest on a new
     * connection rather than reading half an exchange.
     */
    @Test
    void rfc9112_9_3_pipelinedRequestsGetOneAnswerThatClosesTheConnection() throws Exception {
        String answer = exchange("GET /first HTTP/1.1\r\nHost: h\r\n\r\nGET /second HTTP/1.1\r\nHost: h\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
        assertTrue(answer.contains("\r\nConnection: close\r\n"), answer);
        assertTrue(answer.endsWith("\r\n\r\nserved /first"), answer);
        assertEquals(1, answers(answer), answer);
        assertEquals(List.of("GET /first"), served);
    }

    /** RFC 9112 §9.6: a request sent after an answer with {@code close} is not served; the connection ends. */
    @Test
    void rfc9112_9_6_aRequestAfterTheAnswerOnTheSameConnectionIsNotServed() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write("GET /first HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n\r\n");
            String head = raw.readHead();
            assertTrue(head.contains("\r\nConnection: close\r\n"), head);
            try {
                raw.write("GET /second HTTP/1.1\r\nHost: h\r\n\r\n");
            } catch (IOException closedAlready) {
                // The server may have closed before this write: the request is not served either way.
            }
            assertEquals("served /first", raw.readUntilEof());
        }
        assertEquals(List.of("GET /first"), served);
    }

    /** RFC 9112 §9.6 after a refused upgrade (RFC 6455 §4.2.2): what follows the refused request is not served. */
    @Test
    void rfc9112_9_6_aRequestPipelinedAfterARefusedUpgradeIsNotServed() throws Exception {
        String answer = exchange(RawSocket.upgrade("/nowhere", "") + "GET /after HTTP/1.1\r\nHost: h\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 404 "), answer);
        assertEquals(1, answers(answer), answer);
        assertEquals(List.of(), served);
    }

    /**
     * RFC 9112 §9.3 and RFC 9110 §7.6.1: an HTTP/1.0 request, with or without {@code keep-alive}, gets an answer
     * that says the connection closes, and nothing after it.
     */
    @Test
    void rfc9112_9_3_http10RequestsAreAnsweredWithClose() throws Exception {
        for (String extra : new String[] {"", "Connection: keep-alive\r\n"}) {
            String answer = exchange("GET /old HTTP/1.0\r\n" + extra + "\r\nGET /more HTTP/1.0\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
            assertTrue(answer.contains("\r\nConnection: close\r\n") && !answer.contains("Keep-Alive"), answer);
            assertEquals(1, answers(answer), answer);
        }
        assertEquals(List.of("GET /old", "GET /old"), served);
    }

    /**
     * RFC 9112 §6.3 item 6 and §11.2: a Content-Length body is the request's, never a request; one that holds a
     * request line is discarded with the rest.
     */
    @Test
    void rfc9112_11_2_aContentLengthBodyHoldingARequestIsNotServed() throws Exception {
        String smuggled = "GET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n";
        String answer = exchange("POST /form HTTP/1.1\r\nHost: h\r\nContent-Length: " + smuggled.length()
                + "\r\n\r\n" + smuggled);
        assertTrue(answer.endsWith("\r\n\r\nserved /form"), answer);
        assertEquals(1, answers(answer), answer);
        assertEquals(List.of("POST /form"), served);
    }

    /**
     * RFC 9112 §6.1, §7.1 and §11.2: a chunked body, which the server does not read, is never parsed as a request:
     * the connection closes after the answer, and a request hidden behind the last chunk is not served.
     */
    @Test
    void rfc9112_6_1_aChunkedBodyIsNeverReadAsARequest() throws Exception {
        String answer = exchange("POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n");
        assertTrue(answer.contains("\r\nConnection: close\r\n") && answer.endsWith("\r\n\r\nserved /upload"), answer);
        assertEquals(1, answers(answer), answer);
        assertEquals(List.of("POST /upload"), served);
    }

    /**
     * RFC 9112 §6.3 item 4: "If a Transfer-Encoding header field is present in a request and the chunked transfer
     * coding is not the final encoding, the message body length cannot be determined reliably; the server MUST
     * respond with the 400 (Bad Request) status code and then close the connection." Chunked applied twice is as
     * unreliable (§7.1: a sender "MUST NOT apply the chunked transfer coding more than once").
     */
    @Test
    void rfc9112_6_3_transferEncodingNotEndingInChunkedIs400() throws Exception {
        String[] codings = {"Transfer-Encoding: gzip\r\n", "Transfer-Encoding: chunked, gzip\r\n",
            "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n", "Transfer-Encoding: chunked, chunked\r\n",
            "Transfer-Encoding: \r\n", "Transfer-Encoding: xchunked\r\n"};
        for (String coding : codings) {
            String answer = exchange("POST /upload HTTP/1.1\r\nHost: h\r\n" + coding + "\r\n0\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), coding + " -> " + answer);
            assertTrue(answer.contains("\r\nConnection: close\r\n"), answer);
        }
        assertEquals(List.of(), served);
        String answer = exchange("POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"
                + "0\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
    }

    /**
     * RFC 9110 §10.1.1: a server may answer a request that expects 100-continue with its final status instead, and
     * the client then need not send the body; it gets that answer without waiting, and the connection closes.
     */
    @Test
    void rfc9110_10_1_1_expectContinueGetsTheFinalAnswerWithoutTheBody() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write("PUT /file HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            String head = raw.readHead();
            assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
            assertTrue(head.contains("\r\nConnection: close\r\n"), head);
            assertEquals("served /file", raw.readUntilEof());
        }
    }

    /**
     * RFC 9112 §9.6: a server that closes while the client still sends would reset the connection, which can lose
     * its answer before the client reads it; the server closes its side and reads the rest away first. A client
     * uploading a large body it is not asked for still reads the whole answer and a clean end of stream.
     */
    @Test
    void rfc9112_9_6_aLargeUnreadBodyDoesNotCostTheClientItsAnswer() throws Exception {
        int length = 4 * 1024 * 1024;
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write("POST /big HTTP/1.1\r\nHost: h\r\nContent-Length: " + length + "\r\n\r\n");
            OutputStream out = raw.socket.getOutputStream();
            CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
                byte[] chunk = new byte[64 * 1024];
                try {
                    for (int sent = 0; sent < length; sent += chunk.length) {
                        out.write(chunk);
                    }
                    raw.socket.shutdownOutput();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            String answer = raw.readUntilEof();
            assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n") && answer.endsWith("\r\n\r\nserved /big"), answer);
            upload.get(10, TimeUnit.SECONDS);
        }
    }
}
