package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.handshake.HttpResponse;
import io.sockwave.testsupport.ExternalProgram;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * curl, as users and health checks run it, against the server's plain HTTP side: it must read every answer as
 * complete and end without an error (exit status 0), through connections the server closes after each answer,
 * HEAD, HTTP/1.0 and {@code OPTIONS *}.
 */
class CurlAgainstPlainHttpTest {
    private static final String PAGE = "<h1>page</h1>";

    @TempDir
    Path dir;
    private Server server;
    private final List<String> served = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(1)
                .route("/chat", new EchoListener())
                .httpHandler(request -> {
                    served.add(request.method() + " " + request.target() + " " + request.version());
                    return HttpResponse.of(200, "text/html", PAGE.getBytes(StandardCharsets.UTF_8));
                })
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /** @return what curl wrote to standard output (its {@code -w} lines), once it exited with status 0 */
    private String curl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--max-time", "20"));
        command.addAll(List.of(arguments));
        try (ExternalProgram curl = ExternalProgram.start("curl", command)) {
            assertTrue(curl.process().waitFor(30, TimeUnit.SECONDS), "curl did not end: " + curl.logTail());
            assertEquals(0, curl.process().exitValue(), "curl failed: " + curl.logTail());
            return curl.logTail();
        }
    }

    /**
     * RFC 9112 §9.6: each answer closes its connection, which curl sees from {@code Connection: close}: two URLs
     * fetched in one run are both served, each on a connection of its own, without an error.
     */
    @Test
    void rfc9112_9_6_curlFetchesTwoPagesOverConnectionsTheServerCloses() throws Exception {
        Path out = dir.resolve("out");
        String report = curl("--output", out.toString(), "--output", dir.resolve("out2").toString(),
                "--write-out", "%{http_code} %{num_connects} %{size_download}\\n", url("/a"), url("/b"));
        assertEquals("200 1 " + PAGE.length() + "\n200 1 " + PAGE.length(), report);
        assertEquals(PAGE, Files.readString(out));
        assertEquals(List.of("GET /a HTTP/1.1", "GET /b HTTP/1.1"), served);
    }

    /** RFC 9110 §9.3.2: {@code curl --head} reads the head, with GET's Content-Length, and no body after it. */
    @Test
    void rfc9110_9_3_2_curlHeadReadsGetsHeadAndEnds() throws Exception {
        Path headers = dir.resolve("headers");
        String report = curl("--head", "--dump-header", headers.toString(), "--output", "/dev/null",
                "--write-out", "%{http_code} %{size_download}", url("/"));
        assertEquals("200 0", report);
        String head = Files.readString(headers, StandardCharsets.ISO_8859_1);
        assertTrue(head.contains("\r\nContent-Length: " + PAGE.length() + "\r\n"), head);
        assertTrue(head.contains("\r\nDate: "), head);
    }

    /** RFC 9112 §9.3: an HTTP/1.0 client gets its page and the end of the connection. */
    @Test
    void rfc9112_9_3_curlOverHttp10() throws Exception {
        assertEquals("200 " + PAGE.length(), curl("--http1.0", "--output", "/dev/null", "--write-out",
                "%{http_code} %{size_download}", url("/")));
        assertEquals(List.of("GET / HTTP/1.0"), served);
    }

    /** RFC 9112 §3.2.4: {@code OPTIONS *} reaches the handler with the asterisk as its target. */
    @Test
    void rfc9112_3_2_4_curlOptionsAsterisk() throws Exception {
        assertEquals("200", curl("--request", "OPTIONS", "--request-target", "*", "--output", "/dev/null",
                "--write-out", "%{http_code}", url("/")));
        assertEquals(List.of("OPTIONS * HTTP/1.1"), served);
    }
}
