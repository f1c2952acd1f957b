package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the client writes on its own request from what it was given: credentials as their exact UTF-8 bytes or
 * refused when they have none (an unpaired surrogate, which {@code getBytes} would send as {@code '?'}), SOCKS5's
 * one-byte lengths (RFC 1929 §2) checked when configured, and no CR or LF from any value into a request head.
 */
class ClientCredentialsAndHeadersTest {
    private static final String LONE_SURROGATE = "al\uD800ce";

    @Test
    void anUnpairedSurrogateInProxyCredentialsIsRefusedWhenConfigured() {
        for (Proxy proxy : List.of(Proxy.http("127.0.0.1", 3128), Proxy.socks5("127.0.0.1", 1080))) {
            IllegalArgumentException user = assertThrows(IllegalArgumentException.class,
                    () -> proxy.withCredentials(LONE_SURROGATE, "secret"));
            assertTrue(user.getMessage().contains("user name holds an unpaired surrogate"), user.getMessage());
            IllegalArgumentException password = assertThrows(IllegalArgumentException.class,
                    () -> proxy.withCredentials("alice", "se\uDC00cret"));
            assertTrue(password.getMessage().contains("password holds an unpaired surrogate"), password.getMessage());
        }
    }

    /** Escaped bytes that are not UTF-8 would be decoded as U+FFFD: credentials other than those written. */
    @Test
    void proxyUserInformationThatIsNotUtf8IsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Proxy.parse("socks5://al%FFce:secret@127.0.0.1:1080"));
        assertTrue(e.getMessage().contains("not UTF-8 once percent-decoded"), e.getMessage());
    }

    /** RFC 1929 §2: ULEN and PLEN are one byte; the limit is in bytes of UTF-8, not in characters. */
    @Test
    void socks5CredentialsPast255BytesAreRefusedWhenConfigured() {
        Proxy proxy = Proxy.socks5("127.0.0.1", 1080);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> proxy.withCredentials("é".repeat(128), "secret"));
        assertEquals("the SOCKS5 user name is 256 bytes of UTF-8: RFC 1929 allows at most 255", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> proxy.withCredentials("alice", "x".repeat(256)));
        assertEquals("the SOCKS5 password is 256 bytes of UTF-8: RFC 1929 allows at most 255", e.getMessage());
    }

    /** RFC 1929 §2 on the wire: VER 1, ULEN, UNAME, PLEN, PASSWD, the lengths in bytes of UTF-8, 255 the largest. */
    @Test
    void socks5CredentialsGoAsTheirUtf8BytesWithTheirByteLengths() throws Exception {
        String user = "ü" + "u".repeat(253);
        String password = "pässwörd";
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Client client = Client.create()) {
            CompletableFuture<byte[]> authentication = answerOnce(listening, (in, out) -> {
                assertArrayEquals(new byte[] {5, 2, 0, 2}, in.readNBytes(4), "the greeting");
                out.write(new byte[] {5, 2});
                byte[] head = in.readNBytes(2);
                byte[] name = in.readNBytes(head[1] & 0xFF);
                byte[] pass = in.readNBytes(in.readUnsignedByte());
                out.write(new byte[] {1, 1}); // refused: the test has what it wanted
                return RawSocket.concat(head, name, new byte[] {(byte) pass.length}, pass);
            });
            Proxy proxy = Proxy.socks5("127.0.0.1", listening.getLocalPort()).withCredentials(user, password);
            ExecutionException failed = assertThrows(ExecutionException.class, () -> client.connect(
                    URI.create("ws://127.0.0.1:1/"), ClientOptions.builder().proxy(proxy).build(), new Recorder())
                    .get(10, TimeUnit.SECONDS));
            assertTrue(failed.getCause() instanceof ProxyException, failed.getCause().toString());
            byte[] name = user.getBytes(StandardCharsets.UTF_8);
            byte[] pass = password.getBytes(StandardCharsets.UTF_8);
            assertEquals(255, name.length);
            assertArrayEquals(RawSocket.concat(new byte[] {1, (byte) 255}, name, new byte[] {(byte) pass.length}, pass),
                    authentication.get(10, TimeUnit.SECONDS));
        }
    }

    /** RFC 1928 §5: ATYP 3 and a one-byte length; a name of 255 bytes, the longest, is sent whole. */
    @Test
    void aSocks5TargetNameOf255BytesIsSentWithItsLength() throws Exception {
        String host = String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(63));
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Client client = Client.create()) {
            CompletableFuture<byte[]> request = answerOnce(listening, (in, out) -> {
                assertArrayEquals(new byte[] {5, 1, 0}, in.readNBytes(3), "the greeting");
                out.write(new byte[] {5, 0});
                byte[] head = in.readNBytes(5);
                byte[] name = in.readNBytes(head[4] & 0xFF);
                byte[] port = in.readNBytes(2);
                out.write(new byte[] {5, 1, 0, 1, 0, 0, 0, 0, 0, 0}); // general failure
                return RawSocket.concat(head, name, port);
            });
            Proxy proxy = Proxy.socks5("127.0.0.1", listening.getLocalPort());
            ExecutionException failed = assertThrows(ExecutionException.class, () -> client.connect(
                    URI.create("ws://" + host + ":8080/"), ClientOptions.builder().proxy(proxy).build(),
                    new Recorder()).get(10, TimeUnit.SECONDS));
            assertTrue(failed.getCause() instanceof ProxyException, failed.getCause().toString());
            assertArrayEquals(RawSocket.concat(new byte[] {5, 1, 0, 3, (byte) 255},
                    host.getBytes(StandardCharsets.US_ASCII), new byte[] {0x1F, (byte) 0x90}),
                    request.get(10, TimeUnit.SECONDS));
        }
    }

    /** What a hand-made proxy reads from the client and writes back, returning what the test checks. */
    private interface Exchange {
        byte[] run(DataInputStream in, OutputStream out) throws IOException;
    }

    /** @return completes with what the exchange returned, with the first connection the listener accepts */
    private static CompletableFuture<byte[]> answerOnce(ServerSocket listening, Exchange exchange)
            throws IOException {
        listening.setSoTimeout(10_000);
        return CompletableFuture.supplyAsync(() -> {
            try (Socket socket = listening.accept()) {
                socket.setSoTimeout(10_000);
                return exchange.run(new DataInputStream(socket.getInputStream()), socket.getOutputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Each way a value reaches a request head refuses CR and LF, and the NUL and other controls beside them. */
    @Test
    void noValueCarriesALineBreakIntoTheRequest() {
        for (String value : List.of("a\r\nX-Injected: 1", "a\nX-Injected: 1", "a\rX", "a\u0000b")) {
            assertThrows(IllegalArgumentException.class, () -> ClientOptions.builder().header("X-Custom", value),
                    "header " + value);
            assertThrows(IllegalArgumentException.class, () -> ClientOptions.builder().header("Origin", value),
                    "Origin " + value);
            assertThrows(IllegalArgumentException.class,
                    () -> ClientOptions.builder().subprotocols(value).build(), "subprotocol " + value);
            assertThrows(IllegalArgumentException.class,
                    () -> Proxy.http("127.0.0.1", 3128).withCredentials("alice", value), "proxy password " + value);
            assertThrows(IllegalArgumentException.class,
                    () -> Proxy.http("127.0.0.1", 3128).withCredentials(value, "secret"), "proxy user " + value);
        }
        try (Client client = Client.create()) {
            for (String userInfo : List.of("alice:a%0D%0AX-Injected:%201", "a%0Alice:secret")) {
                assertThrows(IllegalArgumentException.class, () -> client.connect(
                        URI.create("ws://" + userInfo + "@127.0.0.1:1/"), new Recorder()), userInfo);
            }
        }
    }

    /**
     * The request head on the wire: the URI's credentials as Basic over their UTF-8 bytes (RFC 7617 §2.1), the
     * header values as given, one field a line, and nothing more.
     */
    @Test
    void theRequestHeadHoldsExactlyTheFieldsGiven() throws Exception {
        try (HandMadeServer server = new HandMadeServer(); Client client = Client.create()) {
            URI uri = URI.create("ws://al%C3%AFce:p%C3%A4ss@127.0.0.1:" + server.socket.getLocalPort() + "/chat");
            ClientOptions options = ClientOptions.builder().header("Origin", "http://127.0.0.1")
                    .header("X-Tabbed", "a\tb").subprotocols("chat").build();
            client.connect(uri, options, new Recorder());
            String head = server.accept().request();
            String basic = Base64.getEncoder().encodeToString("alïce:päss".getBytes(StandardCharsets.UTF_8));
            List<String> lines = List.of(head.split("\r\n", -1));
            assertEquals("GET /chat HTTP/1.1", lines.get(0));
            assertEquals(List.of("", ""), lines.subList(lines.size() - 2, lines.size()), "one blank line ends it");
            List<String> names = lines.subList(1, lines.size() - 2).stream()
                    .map(line -> line.substring(0, line.indexOf(':'))).toList();
            assertEquals(List.of("Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
                    "Sec-WebSocket-Protocol", "Origin", "X-Tabbed", "Authorization"), names, head);
            assertTrue(lines.contains("Authorization: Basic " + basic), head);
            assertTrue(lines.contains("X-Tabbed: a\tb"), head);
        }
    }
}
