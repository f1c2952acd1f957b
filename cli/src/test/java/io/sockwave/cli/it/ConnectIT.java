package io.sockwave.cli.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.Listener;
import io.sockwave.Server;
import io.sockwave.Session;
import io.sockwave.cli.tls.TlsContexts;
import io.sockwave.testsupport.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sockwave connect} run from the shaded jar with piped standard input and output, as a script would run it,
 * against a Sockwave server in the test that records what the client did.
 */
class ConnectIT {
    private Server server;
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> clientClose = new CompletableFuture<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A server on 127.0.0.1 whose /ws runs the listener and records messages and the client's close code. */
    private String start(Listener behaviour) throws IOException {
        return start(Server.builder(), behaviour, "ws");
    }

    private String start(Server.Builder builder, Listener behaviour, String scheme) throws IOException {
        server = builder.host("127.0.0.1").port(0).route("/ws", new Listener() {
            @Override
            public void onOpen(Session session) {
                behaviour.onOpen(session);
            }

            @Override
            public void onText(Session session, String text) {
                received.add(text);
                behaviour.onText(session, text);
            }

            @Override
            public void onBinary(Session session, ByteBuffer data) {
                byte[] bytes = new byte[data.remaining()];
                data.duplicate().get(bytes);
                received.add(bytes);
                behaviour.onBinary(session, data);
            }

            @Override
            public void onClose(Session session, int code, String reason) {
                clientClose.complete(code);
            }
        }).build().start();
        return scheme + "://127.0.0.1:" + server.port() + "/ws";
    }

    private static final Listener ECHO = new Listener() {
        @Override
        public void onText(Session session, String text) {
            session.sendText(text);
        }

        @Override
        public void onBinary(Session session, ByteBuffer data) {
            session.sendBinary(data);
        }
    };

    @Test
    void pipedLinesAndSendOptionsGoOutEchoesArePrintedAndEndOfInputClosesWith1000() throws Exception {
        String url = start(ECHO);
        try (SockwaveProcess connect = SockwaveProcess.start("connect", url, "--send", "one", "--send", "two")) {
            connect.write("three\n\u00fcn\u00efc\u00f8d\u00e9 \u2713\n\nlast\n");
            // Input ends only once the echoes are in: a server may drop echoes it has not begun when a close comes.
            connect.awaitOut("^last$");
            connect.closeInput();
            assertEquals(0, connect.awaitExit(), connect.toString());
            assertEquals(List.of("one", "two", "three", "\u00fcn\u00efc\u00f8d\u00e9 \u2713", "", "last"),
                    connect.outLines());
            assertTrue(connect.errLines().contains("closed 1000 (normal closure)"), connect.toString());
        }
        assertEquals(1000, clientClose.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("one", "two", "three", "\u00fcn\u00efc\u00f8d\u00e9 \u2713", "", "last"),
                List.copyOf(received));
    }

    @Test
    void endOfInputClosesAtOnceWithoutWaitingForReplies() throws Exception {
        String url = start(new Listener() { });
        try (SockwaveProcess connect = SockwaveProcess.start("connect", url, "--send", "only")) {
            connect.closeInput();
            assertEquals(0, connect.awaitExit(), connect.toString());
            assertTrue(connect.errLines().contains("closed 1000 (normal closure)"), connect.toString());
        }
        assertEquals(1000, clientClose.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("only"), List.copyOf(received));
    }

    @Test
    void echoModeSendsBackEveryMessageUnchangedUntilTheServerCloses() throws Exception {
        byte[] binary = {0, 1, (byte) 0x80, (byte) 0xff};
        String url = start(new Listener() {
            @Override
            public void onOpen(Session session) {
                session.sendText("h\u00e9llo \u2713");
                session.sendBinary(ByteBuffer.wrap(binary));
                session.sendText("");
            }

            @Override
            public void onText(Session session, String text) {
                if (text.isEmpty()) {
                    session.close(1000, "done");
                }
            }
        });
        try (SockwaveProcess connect = SockwaveProcess.start("connect", url, "--echo")) {
            // Standard input stays open: an echo client must not wait for it.
            assertEquals(0, connect.awaitExit(), connect.toString());
            assertTrue(connect.errLines().contains("closed 1000 (normal closure): done"), connect.toString());
            assertEquals(List.of(), connect.outLines());
        }
        assertEquals("h\u00e9llo \u2713", received.poll(1, TimeUnit.SECONDS));
        assertArrayEquals(binary, (byte[]) received.poll(1, TimeUnit.SECONDS));
        assertEquals("", received.poll(1, TimeUnit.SECONDS));
    }

    @Test
    void wrongSecWebSocketAcceptFailsWithAPlainReason() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> request = CompletableFuture.supplyAsync(() -> answerWrongly(fake));
            try (SockwaveProcess connect = SockwaveProcess.start("connect",
                    "ws://127.0.0.1:" + fake.getLocalPort() + "/")) {
                assertEquals(4, connect.awaitExit(), connect.toString());
                connect.awaitErr("^sockwave connect: cannot connect to ws://127\\.0\\.0\\.1:\\d+/: handshake failed:"
                        + " .*Sec-WebSocket-Accept");
            }
            assertTrue(request.get(10, TimeUnit.SECONDS).contains("Sec-WebSocket-Key: "));
        }
    }

    /** Reads the request and answers 101 with an accept value derived from another key. */
    private static String answerWrongly(ServerSocket fake) {
        try (Socket s = fake.accept()) {
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.read());
            }
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + RawHttp.RFC_ACCEPT + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.getInputStream().read();
            return head.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void refusedConnectionFailsWithTheReason() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        try (SockwaveProcess connect = SockwaveProcess.start("connect", "ws://127.0.0.1:" + port + "/")) {
            assertEquals(1, connect.awaitExit(), connect.toString());
            connect.awaitErr("cannot connect to ws://127\\.0\\.0\\.1:" + port + "/: .*refused");
        }
    }

    @Test
    void headersAndSubprotocolsAreOffered() throws Exception {
        CompletableFuture<String> header = new CompletableFuture<>();
        String url = start(Server.builder().subprotocols("chat.v2"), new Listener() {
            @Override
            public void onOpen(Session session) {
                header.complete(session.requestHeaders().first("X-Test") + " " + session.subprotocol());
            }
        }, "ws");
        try (SockwaveProcess connect = SockwaveProcess.start("connect", url, "-H", "X-Test: yes",
                "-s", "chat.v1", "--subprotocol", "chat.v2")) {
            connect.closeInput();
            assertEquals(0, connect.awaitExit(), connect.toString());
            connect.awaitErr("^connected to " + url + " \\(subprotocol chat\\.v2\\)$");
        }
        assertEquals("yes chat.v2", header.get(10, TimeUnit.SECONDS));
    }

    @Test
    void binaryFileIsSentAndBinaryMessagesArePrintedAsHex(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("data.bin"), new byte[] {0, 0x7f, (byte) 0xff});
        String url = start(ECHO);
        try (SockwaveProcess connect = SockwaveProcess.start("connect", url, "--binary", file.toString())) {
            connect.awaitOut("^\\[binary 3 bytes\\] 007fff$");
            connect.closeInput();
            assertEquals(0, connect.awaitExit(), connect.toString());
        }
        assertArrayEquals(new byte[] {0, 0x7f, (byte) 0xff}, (byte[]) received.poll(1, TimeUnit.SECONDS));
    }

    @Test
    void waitKeepsReceivingAfterInputEnds() throws Exception {
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try {
            String url = start(new Listener() {
                @Override
                public void onText(Session session, String text) {
                    later.schedule(() -> session.sendText("later: " + text), 700, TimeUnit.MILLISECONDS);
                }
            });
            try (SockwaveProcess connect = SockwaveProcess.start("connect", url, "--send", "ping me",
                    "--wait", "2")) {
                connect.closeInput();
                assertEquals(0, connect.awaitExit(), connect.toString());
                assertEquals(List.of("later: ping me"), connect.outLines());
            }
        } finally {
            later.shutdownNow();
        }
    }

    @Test
    void serversCloseCodeAndReasonArePrintedAndAnUnusualCodeExitsWith3() throws Exception {
        String url = start(new Listener() {
            @Override
            public void onOpen(Session session) {
                session.close(4000, "bye now");
            }
        });
        try (SockwaveProcess connect = SockwaveProcess.start("connect", url)) {
            assertEquals(3, connect.awaitExit(), connect.toString());
            assertTrue(connect.errLines().contains("closed 4000 (application code): bye now"), connect.toString());
        }
    }

    @Test
    void pingReportsEachPong() throws Exception {
        String url = start(ECHO);
        try (SockwaveProcess connect = SockwaveProcess.start("connect", url, "--ping", "100ms")) {
            connect.awaitErr("^pong after \\d+\\.\\d{3} ms$");
            connect.closeInput();
            assertEquals(0, connect.awaitExit(), connect.toString());
        }
    }

    @Test
    void selfSignedServerNeedsInsecure(@TempDir Path dir) throws Exception {
        TestCertificates made = TestCertificates.make(dir, "tls", "-keyalg", "EC", "-groupname", "secp256r1");
        String url = start(Server.builder().tls(TlsContexts.fromPem(made.certificatePem(), made.keyPem())), ECHO,
                "wss");
        try (SockwaveProcess connect = SockwaveProcess.start("connect", url)) {
            assertEquals(5, connect.awaitExit(), connect.toString());
            connect.awaitErr("TLS handshake failed: .*add --insecure");
        }
        try (SockwaveProcess connect = SockwaveProcess.start("connect", url, "--insecure", "--send", "secret")) {
            connect.awaitOut("^secret$");
            connect.closeInput();
            assertEquals(0, connect.awaitExit(), connect.toString());
            assertEquals(List.of("secret"), connect.outLines());
        }
    }
}
