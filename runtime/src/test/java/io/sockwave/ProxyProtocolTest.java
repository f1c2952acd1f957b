package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's side of the proxy protocols at the byte level, against hand-made proxies that misbehave in ways real
 * ones rarely do: RFC 1928's CONNECT request for a host name, a proxy that never answers (the connect timeout covers
 * the proxy leg), an answer larger than the handshake limit, and bytes after the answer.
 */
class ProxyProtocolTest {
    private final Client client = Client.create();
    private ServerSocket proxy;

    @AfterEach
    void stop() throws IOException {
        client.close();
        if (proxy != null) {
            proxy.close();
        }
    }

    /** A proxy that accepts one connection and runs the script on it, on its own thread. */
    private CompletableFuture<Void> proxy(Script script) throws IOException {
        proxy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        return CompletableFuture.runAsync(() -> {
            try (Socket socket = proxy.accept()) {
                socket.setSoTimeout(10_000);
                script.run(new DataInputStream(socket.getInputStream()), socket.getOutputStream());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private interface Script {
        void run(DataInputStream in, OutputStream out) throws IOException;
    }

    private Throwable failure(URI uri, ClientOptions options) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client.connect(uri, options, new Recorder()).get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void rfc1928Section4ConnectRequestNamesTheHostForTheProxyToResolve() throws Exception {
        CompletableFuture<byte[]> request = new CompletableFuture<>();
        CompletableFuture<Void> script = proxy((in, out) -> {
            byte[] greeting = new byte[3];
            in.readFully(greeting);
            assertArrayEquals(new byte[] {5, 1, 0}, greeting, "VER 5, one method: no authentication");
            out.write(new byte[] {5, 0});
            byte[] head = new byte[5];
            in.readFully(head);
            byte[] rest = new byte[head[4] + 2];
            in.readFully(rest);
            request.complete(RawSocket.concat(head, rest));
            // REP 2: connection not allowed by ruleset, with a zero IPv4 BND.ADDR and BND.PORT.
            out.write(new byte[] {5, 2, 0, 1, 0, 0, 0, 0, 0, 0});
        });
        Throwable e = failure(URI.create("ws://localhost:8080/"),
                ClientOptions.builder().proxy(Proxy.socks5("127.0.0.1", proxy.getLocalPort())).build());
        byte[] name = "localhost".getBytes(StandardCharsets.US_ASCII);
        byte[] expected = RawSocket.concat(new byte[] {5, 1, 0, 3, (byte) name.length}, name,
                new byte[] {0x1F, (byte) 0x90});
        assertArrayEquals(expected, request.get(5, TimeUnit.SECONDS), "VER 5, CONNECT, RSV, ATYP 3, name, port 8080");
        ProxyException refusal = assertInstanceOf(ProxyException.class, e);
        assertEquals(2, refusal.code());
        assertTrue(refusal.getMessage().contains("reply 2 (connection not allowed by ruleset)"), refusal.getMessage());
        script.get(5, TimeUnit.SECONDS);
    }

    @Test
    void rfc1929UsernamePasswordRequestIsSentWhenTheProxyChoosesIt() throws Exception {
        CompletableFuture<byte[]> authentication = new CompletableFuture<>();
        proxy((in, out) -> {
            byte[] greeting = new byte[4];
            in.readFully(greeting);
            assertArrayEquals(new byte[] {5, 2, 0, 2}, greeting, "no authentication, username/password");
            out.write(new byte[] {5, 2});
            byte[] auth = new byte[1 + 1 + 5 + 1 + 6];
            in.readFully(auth);
            authentication.complete(auth);
            out.write(new byte[] {1, 1});
        });
        Throwable e = failure(URI.create("ws://127.0.0.1:8080/"), ClientOptions.builder()
                .proxy(Proxy.socks5("127.0.0.1", proxy.getLocalPort()).withCredentials("alice", "s3cret")).build());
        assertArrayEquals(RawSocket.concat(new byte[] {1, 5}, "alice".getBytes(StandardCharsets.US_ASCII),
                new byte[] {6}, "s3cret".getBytes(StandardCharsets.US_ASCII)),
                authentication.get(5, TimeUnit.SECONDS));
        assertTrue(assertInstanceOf(ProxyException.class, e).getMessage().contains("RFC 1929 status 1"));
    }

    /** RFC 1929 §2: ULEN is 1 to 255, so an empty user name cannot be sent; it is refused where it is configured. */
    @Test
    void rfc1929EmptyUserNameIsRefusedWhereItIsConfigured() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Proxy.socks5("127.0.0.1", 1080).withCredentials("", "s3cret"));
        assertTrue(e.getMessage().contains("RFC 1929"), e.getMessage());
        IllegalArgumentException parsed = assertThrows(IllegalArgumentException.class,
                () -> Proxy.parse("socks5://:s3cret@127.0.0.1:1080"));
        assertTrue(parsed.getMessage().contains("empty user name"), parsed.getMessage());
        // An HTTP proxy's Basic credentials may have an empty user-id (RFC 7617 §2 allows it).
        assertEquals("", Proxy.parse("http://:s3cret@127.0.0.1:3128").username());
    }

    /** A user name without a password, as {@code socks5://alice@host} gives, is sent with PLEN 0, as curl sends it. */
    @Test
    void rfc1929EmptyPasswordIsSentAsAZeroLength() throws Exception {
        CompletableFuture<byte[]> authentication = new CompletableFuture<>();
        proxy((in, out) -> {
            byte[] greeting = new byte[4];
            in.readFully(greeting);
            out.write(new byte[] {5, 2});
            byte[] auth = new byte[1 + 1 + 5 + 1];
            in.readFully(auth);
            authentication.complete(auth);
            out.write(new byte[] {1, 1});
        });
        Throwable e = failure(URI.create("ws://127.0.0.1:8080/"), ClientOptions.builder()
                .proxy(Proxy.parse("socks5://alice@127.0.0.1:" + proxy.getLocalPort())).build());
        assertArrayEquals(RawSocket.concat(new byte[] {1, 5}, "alice".getBytes(StandardCharsets.US_ASCII),
                new byte[] {0}), authentication.get(5, TimeUnit.SECONDS));
        assertTrue(assertInstanceOf(ProxyException.class, e).getMessage().contains("RFC 1929 status 1"));
    }

    @Test
    void httpConnectRequestCarriesBasicCredentials() throws Exception {
        CompletableFuture<String> head = new CompletableFuture<>();
        proxy((in, out) -> {
            head.complete(readHead(in));
            out.write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        });
        Throwable e = failure(URI.create("wss://[::1]:8443/"), ClientOptions.builder()
                .proxy(Proxy.http("127.0.0.1", proxy.getLocalPort()).withCredentials("alice", "s3cret")).build());
        assertEquals("CONNECT [::1]:8443 HTTP/1.1\r\nHost: [::1]:8443\r\n"
                + "Proxy-Authorization: Basic YWxpY2U6czNjcmV0\r\n\r\n", head.get(5, TimeUnit.SECONDS));
        ProxyException refusal = assertInstanceOf(ProxyException.class, e);
        assertEquals(502, refusal.code());
        assertTrue(refusal.getMessage().endsWith("refused CONNECT [::1]:8443: 502 Bad Gateway"),
                refusal.getMessage());
    }

    /** RFC 6874 §4: an IPv6 zone names an interface of the client's host, so a proxy is asked for the bare address. */
    @Test
    void rfc6874ZoneIdIsNotSentToTheProxy() throws Exception {
        CompletableFuture<String> head = new CompletableFuture<>();
        proxy((in, out) -> {
            head.complete(readHead(in));
            out.write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        });
        failure(URI.create("ws://[fe80::1%25eth0]:8443/"),
                ClientOptions.builder().proxy(Proxy.http("127.0.0.1", proxy.getLocalPort())).build());
        assertEquals("CONNECT [fe80::1]:8443 HTTP/1.1\r\nHost: [fe80::1]:8443\r\n\r\n", head.get(5, TimeUnit.SECONDS));
    }

    @Test
    void connectTimeoutCoversAProxyThatNeverAnswers() throws Exception {
        proxy((in, out) -> {
            readHead(in);
            // Silent until the client gives up and closes.
            in.read();
        });
        long start = System.nanoTime();
        Throwable e = failure(URI.create("ws://127.0.0.1:8080/"), ClientOptions.builder()
                .connectTimeout(Duration.ofMillis(300)).handshakeTimeout(Duration.ofSeconds(30))
                .proxy(Proxy.http("127.0.0.1", proxy.getLocalPort())).build());
        assertInstanceOf(TimeoutException.class, e);
        assertTrue(e.getMessage().contains("did not open a tunnel to 127.0.0.1:8080 within 300 ms"), e.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(9), "failed by the connect timeout");
    }

    @Test
    void proxyAnswerIsBoundedLikeAResponseHead() throws Exception {
        proxy((in, out) -> {
            readHead(in);
            out.write("HTTP/1.1 200 Connection established\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] header = ("X-Padding: " + "a".repeat(1000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                for (int i = 0; i < 1000; i++) {
                    out.write(header);
                }
            } catch (IOException closedByTheClient) {
                // expected: the client stops reading at its limit
            }
        });
        Throwable e = failure(URI.create("ws://127.0.0.1:8080/"), ClientOptions.builder()
                .proxy(Proxy.http("127.0.0.1", proxy.getLocalPort())).build());
        ProxyException refusal = assertInstanceOf(ProxyException.class, e);
        assertTrue(refusal.getMessage().contains("no valid HTTP head: response head exceeds"), refusal.getMessage());
    }

    @Test
    void bytesAfterTheProxysAnswerFailTheConnect() throws Exception {
        proxy((in, out) -> {
            readHead(in);
            out.write("HTTP/1.1 200 Connection established\r\n\r\nHTTP/1.1 101".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            readHead(in);
        });
        Throwable e = failure(URI.create("ws://127.0.0.1:8080/"), ClientOptions.builder()
                .proxy(Proxy.http("127.0.0.1", proxy.getLocalPort())).build());
        assertTrue(assertInstanceOf(ProxyException.class, e).getMessage().contains("sent 12 bytes beyond its answer"),
                e.getMessage());
    }

    @Test
    void unreachableProxyIsReportedAsTheProxysFailure() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Throwable e = failure(URI.create("ws://127.0.0.1:8080/"), ClientOptions.builder()
                .proxy(Proxy.socks5("127.0.0.1", closed)).build());
        ProxyException unreachable = assertInstanceOf(ProxyException.class, e);
        assertTrue(unreachable.getMessage().startsWith("cannot reach socks5://127.0.0.1:" + closed + ": "),
                unreachable.getMessage());
        assertInstanceOf(java.net.ConnectException.class, unreachable.getCause());
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
