package io.sockwave.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.Listener;
import io.sockwave.Server;
import io.sockwave.Session;
import io.sockwave.cli.tls.TlsContexts;
import io.sockwave.testsupport.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sockwave connect}'s pipes, output formats, proxies, TLS files, keepalive, reconnect and exit statuses, run
 * from the shaded jar against servers in the test.
 */
class ConnectClientIT {
    private final List<Server> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(Server::close);
    }

    private String start(Server.Builder builder, Listener listener, String scheme) throws IOException {
        Server server = builder.host("127.0.0.1").port(0).route("/ws", listener).build().start();
        servers.add(server);
        return scheme + "://127.0.0.1:" + server.port() + "/ws";
    }

    /**
     * Echoes, and reads no faster than the client takes its echoes back: without that, a client slow to read (a
     * loaded machine, a slow disk) lets the echoes of a 50 MiB file pass the server's 4 MiB outbound limit, whose
     * default policy fails the send, and a message is never echoed.
     */
    private static final Listener ECHO = new Listener() {
        @Override
        public void onText(Session session, String text) {
            session.sendText(text);
            pushBack(session);
        }

        @Override
        public void onBinary(Session session, ByteBuffer data) {
            session.sendBinary(data);
            pushBack(session);
        }

        @Override
        public void onWritable(Session session) {
            session.resumeReading();
        }

        private void pushBack(Session session) {
            if (!session.isWritable()) {
                session.suspendReading();
            }
        }
    };

    @Test
    void binaryStdinCarriesA50MiBFileToAnEchoAndBackByteForByte(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("random.bin");
        byte[] bytes = new byte[50 << 20];
        new Random(17).nextBytes(bytes);
        Files.write(input, bytes);
        bytes = null;
        Path output = dir.resolve("echoed.bin");
        Path errors = dir.resolve("stderr.txt");
        String url = start(Server.builder().limits(io.sockwave.protocol.Limits.DEFAULTS), ECHO, "ws");
        Process connect = new ProcessBuilder(SockwaveProcess.javaExecutable(), "-jar",
                SockwaveProcess.jar().toString(), "connect", url, "--binary-stdin", "--chunk", "64KiB")
                .redirectInput(input.toFile()).redirectOutput(output.toFile()).redirectError(errors.toFile())
                .start();
        assertTrue(connect.waitFor(120, TimeUnit.SECONDS), "connect still running after 120 s");
        assertEquals(0, connect.exitValue(), Files.readString(errors));
        assertEquals(Files.size(input), Files.size(output), Files.readString(errors));
        Process cmp = new ProcessBuilder("cmp", input.toString(), output.toString()).redirectErrorStream(true).start();
        String difference = new String(cmp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cmp.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, cmp.exitValue(), "cmp: " + difference);
    }

    @Test
    void unansweredPingClosesWith1011AndExitsWith7() throws Exception {
        CompletableFuture<Integer> clientClose = new CompletableFuture<>();
        String url = start(Server.builder().autoPong(false), new Listener() {
            @Override
            public void onClose(Session session, int code, String reason) {
                clientClose.complete(code);
            }
        }, "ws");
        try (SockwaveProcess connect = SockwaveProcess.start("connect", url, "--ping", "100ms",
                "--ping-timeout", "300ms")) {
            assertEquals(7, connect.awaitExit(), connect.toString());
            connect.awaitErr("no pong within 300 ms: closing with 1011");
        }
        assertEquals(1011, clientClose.get(10, TimeUnit.SECONDS));
    }

    /**
     * Piped, a message's control characters reach standard output as they came, for the program that reads them;
     * {@code --escape} prints them visibly as on a terminal ({@code TerminalIT}), {@code --no-escape} as they came.
     * The close reason on standard error is escaped in every case: it used to reach the terminal as it came.
     */
    @Test
    void controlCharactersArePrintedExactInAPipeAndEscapedWhenForced() throws Exception {
        String hostile = "\u001b]0;pwned\u0007\u001b]52;c;aGk=\u0007\u001b[2J\u009b1mdone";
        String url = start(Server.builder(), new Listener() {
            @Override
            public void onOpen(Session session) {
                session.sendText(hostile);
                session.close(1000, "bye\u001b]0;pwned\u0007");
            }
        }, "ws");
        for (String flag : new String[] {"--wait=0", "--no-escape"}) {
            try (SockwaveProcess connect = SockwaveProcess.start("connect", url, flag)) {
                assertEquals(0, connect.awaitExit(), connect.toString());
                assertEquals(List.of(hostile), connect.outLines(), connect.toString());
                // The close reason, on standard error for a person, is escaped whatever standard output is.
                connect.awaitErr("^" + Pattern.quote("closed 1000 (normal closure): bye\\x1b]0;pwned\\x07") + "$");
            }
        }
        try (SockwaveProcess connect = SockwaveProcess.start("connect", url, "--escape")) {
            assertEquals(0, connect.awaitExit(), connect.toString());
            assertEquals(List.of("\\x1b]0;pwned\\x07\\x1b]52;c;aGk=\\x07\\x1b[2J\\x9b1mdone"), connect.outLines(),
                    connect.toString());
        }
    }

    @Test
    void jsonIsIndentedTimestampsPrefixAndRawLeavesMessagesBare() throws Exception {
        String url = start(Server.builder(), new Listener() {
            @Override
            public void onOpen(Session session) {
                session.sendText("{\"a\":[1,\"x,y\"],\"b\":{}}");
                session.sendText("plain");
            }
        }, "ws");
        try (SockwaveProcess connect = SockwaveProcess.start("connect", url, "--json", "--timestamps",
                "--wait", "1")) {
            connect.awaitOut("plain$");
            connect.closeInput();
            assertEquals(0, connect.awaitExit(), connect.toString());
            List<String> lines = connect.outLines();
            assertTrue(lines.get(0).matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z \\{$"), lines.get(0));
            assertEquals(List.of("  \"a\": [", "    1,", "    \"x,y\"", "  ],", "  \"b\": {}", "}"),
                    lines.subList(1, 7));
            assertTrue(lines.get(7).endsWith("Z plain"), lines.get(7));
        }
        try (SockwaveProcess connect = SockwaveProcess.start("connect", url, "--raw", "--timestamps",
                "--wait", "1")) {
            connect.awaitOut("^plain$");
            connect.closeInput();
            assertEquals(0, connect.awaitExit(), connect.toString());
            assertEquals(List.of("{\"a\":[1,\"x,y\"],\"b\":{}}", "plain"), connect.outLines());
        }
    }

    @Test
    void originIsSent() throws Exception {
        CompletableFuture<String> origin = new CompletableFuture<>();
        String url = start(Server.builder(), new Listener() {
            @Override
            public void onOpen(Session session) {
                origin.complete(session.requestHeaders().first("Origin"));
            }
        }, "ws");
        try (SockwaveProcess connect = SockwaveProcess.start("connect", url, "--origin", "https://app.example")) {
            connect.closeInput();
            assertEquals(0, connect.awaitExit(), connect.toString());
        }
        assertEquals("https://app.example", origin.get(10, TimeUnit.SECONDS));
    }

    @Test
    void caFileTrustsASelfSignedServerWithoutInsecure(@TempDir Path dir) throws Exception {
        TestCertificates made = TestCertificates.make(dir, "tls", "-keyalg", "EC", "-groupname", "secp256r1");
        String url = start(Server.builder().tls(TlsContexts.fromPem(made.certificatePem(), made.keyPem())), ECHO,
                "wss");
        try (SockwaveProcess connect = SockwaveProcess.start("connect", url, "--ca",
                made.certificatePem().toString(), "--send", "trusted")) {
            connect.awaitOut("^trusted$");
            connect.closeInput();
            assertEquals(0, connect.awaitExit(), connect.toString());
        }
    }

    @Test
    void clientCertificateIsPresentedToAServerThatRequiresOne(@TempDir Path dir) throws Exception {
        TestCertificates serverCertificate = TestCertificates.make(dir, "server", "-keyalg", "EC",
                "-groupname", "secp256r1");
        TestCertificates clientCertificate = TestCertificates.make(dir, "client", "-keyalg", "EC",
                "-groupname", "secp256r1");
        javax.net.ssl.SSLContext context = serverTrusting(serverCertificate, clientCertificate);
        try (javax.net.ssl.SSLServerSocket server = (javax.net.ssl.SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setNeedClientAuth(true);
            CompletableFuture<java.security.cert.Certificate> presented = CompletableFuture.supplyAsync(() -> {
                try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) server.accept()) {
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                    java.security.cert.Certificate peer = s.getSession().getPeerCertificates()[0];
                    InputStream in = s.getInputStream();
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().endsWith("\r\n\r\n") && head.length() < 10_000) {
                        head.append((char) in.read());
                    }
                    s.getOutputStream().write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    return peer;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (SockwaveProcess connect = SockwaveProcess.start("connect", "--no-proxy",
                    "wss://127.0.0.1:" + server.getLocalPort() + "/", "--ca",
                    serverCertificate.certificatePem().toString(), "--cert",
                    clientCertificate.certificatePem().toString(), "--key", clientCertificate.keyPem().toString())) {
                assertEquals(4, connect.awaitExit(), connect.toString());
            }
            assertEquals(clientCertificate.certificate(), presented.get(10, TimeUnit.SECONDS));
        }
    }

    /** A server context with the server's key that trusts the client's certificate alone. */
    private static javax.net.ssl.SSLContext serverTrusting(TestCertificates server, TestCertificates client)
            throws Exception {
        java.security.KeyStore keys = java.security.KeyStore.getInstance(server.keyStore().toFile(),
                TestCertificates.PASSWORD.toCharArray());
        javax.net.ssl.KeyManagerFactory keyManagers = javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, TestCertificates.PASSWORD.toCharArray());
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("client", client.certificate());
        javax.net.ssl.TrustManagerFactory trustManagers = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    @Test
    void refusedHandshakeExitsWith4AndProxyRefusalWith6() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> request = CompletableFuture.supplyAsync(
                    () -> answer(fake, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"));
            try (SockwaveProcess connect = SockwaveProcess.start("connect", "--no-proxy",
                    "ws://127.0.0.1:" + fake.getLocalPort() + "/")) {
                assertEquals(4, connect.awaitExit(), connect.toString());
                connect.awaitErr("handshake failed: .*403");
            }
            assertTrue(request.get(10, TimeUnit.SECONDS).startsWith("GET / HTTP/1.1"));
        }
        try (ServerSocket proxy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> request = CompletableFuture.supplyAsync(() -> answer(proxy,
                    "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\n"
                            + "Content-Length: 0\r\n\r\n"));
            try (SockwaveProcess connect = SockwaveProcess.start("connect", "ws://127.0.0.1:9/",
                    "--proxy", "http://127.0.0.1:" + proxy.getLocalPort())) {
                assertEquals(6, connect.awaitExit(), connect.toString());
                connect.awaitErr("refused CONNECT 127\\.0\\.0\\.1:9: 407 .*it wants credentials");
            }
            assertTrue(request.get(10, TimeUnit.SECONDS).startsWith("CONNECT 127.0.0.1:9 HTTP/1.1"));
        }
    }

    /** Reads a request head and answers it. */
    private static String answer(ServerSocket socket, String response) {
        try (Socket s = socket.accept()) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.append((char) b);
            }
            s.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return head.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void reconnectComesBackAfterA1012AndGoesOnEchoing() throws Exception {
        AtomicInteger sessions = new AtomicInteger();
        String url = start(Server.builder(), new Listener() {
            @Override
            public void onOpen(Session session) {
                if (sessions.incrementAndGet() == 1) {
                    session.close(1012, "restarting");
                }
            }

            @Override
            public void onText(Session session, String text) {
                session.sendText(text);
            }
        }, "ws");
        try (SockwaveProcess connect = SockwaveProcess.start("connect", url, "--reconnect", "--reconnect-max", "5")) {
            connect.awaitErr("^reconnecting in \\d+ ms \\(\\d failed tries\\): closed 1012 restarting$");
            connect.awaitErr("^closed 1012 \\(.*\\): restarting$");
            awaitSessions(sessions, 2);
            connect.write("after the restart\n");
            connect.awaitOut("^after the restart$");
            connect.closeInput();
            assertEquals(0, connect.awaitExit(), connect.toString());
        }
    }

    /**
     * {@code --reconnect} with {@code --ping}, which used to be refused: each session is pinged from its opening,
     * and a pong missed past {@code --ping-timeout} closes that session with 1011, which is what reconnects. The
     * server answers the first session's first two pings and then no more, and every ping of the second.
     */
    @Test
    void reconnectPingsEachSessionAndReconnectsWhenAPongIsMissed() throws Exception {
        AtomicInteger sessions = new AtomicInteger();
        Map<Session, Integer> numbers = new ConcurrentHashMap<>();
        AtomicInteger answeredOnFirst = new AtomicInteger();
        CompletableFuture<Integer> firstClose = new CompletableFuture<>();
        CountDownLatch answeredOnSecond = new CountDownLatch(3);
        String url = start(Server.builder().autoPong(false), new Listener() {
            @Override
            public void onOpen(Session session) {
                numbers.put(session, sessions.incrementAndGet());
            }

            @Override
            public void onPing(Session session, ByteBuffer payload) {
                int number = numbers.get(session);
                if (number == 1 && answeredOnFirst.getAndIncrement() < 2) {
                    session.pong(payload);
                } else if (number == 2) {
                    session.pong(payload);
                    answeredOnSecond.countDown();
                }
            }

            @Override
            public void onClose(Session session, int code, String reason) {
                if (numbers.get(session) == 1) {
                    firstClose.complete(code);
                }
            }
        }, "ws");
        try (SockwaveProcess connect = SockwaveProcess.start("connect", url, "--reconnect", "--ping", "200ms",
                "--ping-timeout", "2s")) {
            assertEquals(1011, firstClose.get(20, TimeUnit.SECONDS), connect.toString());
            connect.awaitErr("^sockwave connect: no pong within 2000 ms: closing with 1011$");
            connect.awaitErr("^reconnecting in \\d+ ms \\(\\d failed tries\\): closed 1011\\b");
            assertTrue(answeredOnSecond.await(20, TimeUnit.SECONDS), "the second session pinged: " + connect);
            connect.closeInput();
            assertEquals(0, connect.awaitExit(), connect.toString());
            assertTrue(connect.errLines().stream().filter(line -> line.startsWith("pong after ")).count() >= 5,
                    "pongs of both sessions reported: " + connect);
        }
    }

    private static void awaitSessions(AtomicInteger sessions, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (sessions.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(count, sessions.get());
    }
}
