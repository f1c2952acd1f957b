package io.sockwave.cli.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.cli.it.SockwaveProcess.Served;
import io.sockwave.cli.tls.TlsContexts;
import io.sockwave.testsupport.TestCertificates;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.json.Json;

/** {@code sockwave serve} run from the shaded jar, checked over real sockets with the JDK's own client. */
class ServeIT {
    private static Map<String, Object> json(String text) {
        return new Json().toType(text, Map.class);
    }

    @Test
    void rfcExampleHandshakeOnChatIsAnsweredWith101AndTheRfcAcceptValue() throws Exception {
        try (Served server = SockwaveProcess.serve(); RawHttp http = new RawHttp(server.port())) {
            RawHttp.Response response = http.exchange(RawHttp.rfcUpgrade("/chat", server.port()));
            assertEquals(101, response.status(), response.toString());
            assertEquals(RawHttp.RFC_ACCEPT, response.headers().get("sec-websocket-accept"));
            assertEquals("websocket", response.headers().get("upgrade").toLowerCase());
            // RFC 6455 §5.2: the welcome comes as one unmasked text frame (FIN + opcode 1, mask bit clear).
            InputStream in = http.socket().getInputStream();
            assertEquals(0x81, in.read());
            int length = in.read();
            assertTrue(length < 126, "short welcome");
            Map<String, Object> welcome = json(new String(in.readNBytes(length), StandardCharsets.UTF_8));
            assertEquals("welcome", welcome.get("type"));
            assertEquals(1L, welcome.get("count"));
        }
    }

    /**
     * RFC 6455 §5.5.1: the server answers a close with a close and nothing after it. Two messages and a close in one
     * write: whatever echoes the server still sends come whole and in order before its close reply (the RFC lets it
     * reply "as soon as practical", so it may drop echoes it had not started), then the server closes TCP (§7.1.1).
     */
    @Test
    void closeReplyEchoesTheCodeAndNothingFollowsIt() throws Exception {
        try (Served server = SockwaveProcess.serve("--echo-only"); RawHttp http = new RawHttp(server.port())) {
            assertEquals(101, http.exchange(RawHttp.rfcUpgrade("/echo", server.port())).status());
            java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
            frames.writeBytes(maskedFrame(0x1, "one".getBytes(StandardCharsets.UTF_8)));
            frames.writeBytes(maskedFrame(0x1, "two".getBytes(StandardCharsets.UTF_8)));
            frames.writeBytes(maskedFrame(0x8, new byte[] {0x03, (byte) 0xE8}));
            http.socket().getOutputStream().write(frames.toByteArray());
            byte[] answer = http.socket().getInputStream().readAllBytes();
            byte[] echoes = {(byte) 0x81, 3, 'o', 'n', 'e', (byte) 0x81, 3, 't', 'w', 'o'};
            byte[] close = {(byte) 0x88, 2, 0x03, (byte) 0xE8};
            int echoed = answer.length - close.length;
            assertTrue(echoed == 0 || echoed == 5 || echoed == 10, "whole echoes only: " + answer.length + " bytes");
            assertArrayEquals(java.util.Arrays.copyOf(echoes, echoed), java.util.Arrays.copyOf(answer, echoed));
            assertArrayEquals(close, java.util.Arrays.copyOfRange(answer, echoed, answer.length));
        }
    }

    /** A client frame (§5.3: masked), FIN set, with a payload under 126 bytes. */
    private static byte[] maskedFrame(int opcode, byte[] payload) {
        byte[] mask = {0x37, (byte) 0xfa, 0x21, 0x3d};
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    @Test
    void chatRelaysEveryMessageToEveryoneWithJoinLeaveAndCount() throws Exception {
        try (Served server = SockwaveProcess.serve()) {
            ChatProbe alice = ChatProbe.connect(server.uri("ws", "/chat?name=alice"));
            Map<String, Object> welcome = alice.next();
            String joined = (String) welcome.get("offset");
            assertEquals(Map.of("type", "welcome", "room", "lobby", "you", "alice", "offset", joined, "count", 1L,
                    "present", java.util.List.of("alice")), welcome);
            assertEquals(Map.of("type", "join", "name", "alice", "offset", joined, "count", 1L), alice.next());

            ChatProbe guest = ChatProbe.connect(server.uri("ws", "/chat"));
            welcome = guest.next();
            String guestName = (String) welcome.get("you");
            assertTrue(guestName.matches("guest-\\d+"), guestName);
            assertEquals(2L, welcome.get("count"));
            Map<String, Object> guestJoin = Map.of("type", "join", "name", guestName, "offset", welcome.get("offset"),
                    "count", 2L);
            assertEquals(guestJoin, alice.next());
            assertEquals(guestJoin, guest.next());

            alice.say("a-1", "hello <b>\\\"everyone\\\"</b> \u2713");
            Map<String, Object> message = alice.next();
            assertEquals(Map.of("type", "message", "from", "alice", "text", "hello <b>\"everyone\"</b> \u2713",
                    "id", "a-1", "offset", message.get("offset")), message);
            assertEquals(message, guest.next());
            assertEquals(Map.of("type", "ack", "id", "a-1", "offset", message.get("offset")), alice.ack());

            guest.probe().close();
            guest.probe().assertClosedWith(1000);
            Map<String, Object> leave = alice.next();
            assertEquals(Map.of("type", "leave", "name", guestName, "offset", leave.get("offset"), "count", 1L),
                    leave);

            server.process().awaitOut("^\\d\\d:\\d\\d:\\d\\d open  127\\.0\\.0\\.1:\\d+ /chat$");
            server.process().awaitOut("^\\d\\d:\\d\\d:\\d\\d close 127\\.0\\.0\\.1:\\d+ /chat 1000 normal closure$");
        }
    }

    @Test
    void binaryMessagesOnTheChatAreRefusedWith1003() throws Exception {
        try (Served server = SockwaveProcess.serve()) {
            WsProbe probe = WsProbe.connect(server.uri("ws", "/chat"));
            probe.send(new byte[] {1, 2, 3});
            WsProbe.Close close = probe.awaitClose();
            assertEquals(1003, close.code());
            assertEquals("the chat takes text messages only", close.reason());
            server.process().awaitOut("close 127\\.0\\.0\\.1:\\d+ /chat 1003 unsupported data");
        }
    }

    @Test
    void echoReturnsTextAsTextAndBinaryAsBinary() throws Exception {
        try (Served server = SockwaveProcess.serve()) {
            WsProbe probe = WsProbe.connect(server.uri("ws", "/echo"));
            probe.send("caf\u00e9 \ud83d\ude00");
            assertEquals("caf\u00e9 \ud83d\ude00", probe.nextText());
            byte[] binary = {0, (byte) 0xff, 0x7f, (byte) 0x80};
            probe.send(binary);
            assertArrayEquals(binary, probe.nextBinary());
            String big = "x".repeat(200_000);
            probe.send(big);
            assertEquals(big, probe.nextText());
            probe.close();
            probe.assertClosedWith(1000);
        }
    }

    @Test
    void pageScriptAndStyleAreServedFromTheJar() throws Exception {
        try (Served server = SockwaveProcess.serve()) {
            for (String path : new String[] {"/", "/chat.js", "/chat.css"}) {
                try (RawHttp http = new RawHttp(server.port())) {
                    RawHttp.Response r = http.exchange("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                    assertEquals(200, r.status(), path);
                    assertTrue(r.headers().get("content-security-policy").startsWith("default-src 'none'"));
                    assertFalse(r.body().isEmpty());
                }
            }
            try (RawHttp http = new RawHttp(server.port())) {
                assertEquals(404, http.exchange("GET /pom.xml HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").status());
            }
        }
    }

    /**
     * RFC 9110 §9.1, §9.3.6, §9.3.7, §15.5.6 and §6.6.1, as {@code serve} answers them over a socket: OPTIONS lists the
     * methods allowed (for {@code *} too), a known method not allowed is 405 with Allow (on the chat route: GET), an
     * unknown one 501, CONNECT 501 since the server is no proxy; every answer is dated.
     */
    @Test
    void thePageAnswersEachMethodAsRfc9110Asks() throws Exception {
        String[][] cases = {
            {"OPTIONS * HTTP/1.1", "204", "GET, HEAD, OPTIONS"},
            {"OPTIONS /chat.js HTTP/1.1", "204", "GET, HEAD, OPTIONS"},
            {"POST / HTTP/1.1", "405", "GET, HEAD, OPTIONS"},
            {"BREW / HTTP/1.1", "501", null},
            {"POST /chat HTTP/1.1", "405", "GET"},
            {"CONNECT example.com:443 HTTP/1.1", "501", null},
        };
        try (Served server = SockwaveProcess.serve()) {
            for (String[] c : cases) {
                try (RawHttp http = new RawHttp(server.port())) {
                    RawHttp.Response r = http.exchange(c[0] + "\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");
                    assertEquals(Integer.parseInt(c[1]), r.status(), c[0]);
                    assertEquals(c[2], r.headers().get("allow"), c[0]);
                    assertTrue(r.headers().get("date").endsWith(" GMT"), c[0] + " " + r.headers());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void signalShutsDownGracefullyWithGoingAway(String signal) throws Exception {
        try (Served server = SockwaveProcess.serve()) {
            WsProbe chat = WsProbe.connect(server.uri("ws", "/chat"));
            WsProbe echo = WsProbe.connect(server.uri("ws", "/echo"));
            chat.nextText();
            server.process().signal(signal);
            chat.assertClosedWith(1001);
            echo.assertClosedWith(1001);
            // Issue #14: a stop asked for and carried out gracefully exits 0, not 128 + the signal (143, 130).
            assertEquals(0, server.process().awaitExit(), server.process().toString());
            server.process().awaitOut("shutting down: closing connections with 1001");
            server.process().awaitOut("close 127\\.0\\.0\\.1:\\d+ /echo 1001 going away");
        }
    }

    @Test
    void echoOnlyServesNeitherChatNorPage() throws Exception {
        try (Served server = SockwaveProcess.serve("--echo-only")) {
            try (RawHttp http = new RawHttp(server.port())) {
                assertEquals(404, http.exchange(RawHttp.rfcUpgrade("/chat", server.port())).status());
            }
            try (RawHttp http = new RawHttp(server.port())) {
                // "/" is the echo's route and no page is served: RFC 9110 §15.5.22, upgrade required.
                assertEquals(426, http.exchange("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").status());
            }
            try (RawHttp http = new RawHttp(server.port())) {
                assertEquals(101, http.exchange(RawHttp.rfcUpgrade("/echo", server.port())).status());
            }
            try (RawHttp http = new RawHttp(server.port())) {
                assertEquals(101, http.exchange(RawHttp.rfcUpgrade("/", server.port())).status(),
                        "an upgrade to / reaches the echo, for tools given only ws://host:port");
            }
            server.process().awaitOut(
                    "listening on .*; echo at ws://127\\.0\\.0\\.1:\\d+/echo and ws://127\\.0\\.0\\.1:\\d+/$");
        }
    }

    @Test
    void originAllowListRefusesOtherBrowsersWith403() throws Exception {
        try (Served server = SockwaveProcess.serve("--origin", "http://good.example")) {
            try (RawHttp http = new RawHttp(server.port())) {
                RawHttp.Response r = http.exchange(RawHttp.rfcUpgrade("/chat", server.port(),
                        "Origin: http://evil.example"));
                assertEquals(403, r.status());
            }
            try (RawHttp http = new RawHttp(server.port())) {
                assertEquals(101, http.exchange(RawHttp.rfcUpgrade("/chat", server.port(),
                        "Origin: http://good.example")).status());
            }
            try (RawHttp http = new RawHttp(server.port())) {
                assertEquals(101, http.exchange(RawHttp.rfcUpgrade("/chat", server.port())).status(),
                        "no Origin: not a browser");
            }
        }
    }

    @Test
    void messageOverMaxMessageIsClosedWith1009() throws Exception {
        try (Served server = SockwaveProcess.serve("--max-message", "1k")) {
            WsProbe probe = WsProbe.connect(server.uri("ws", "/echo"));
            probe.send("y".repeat(1024));
            assertEquals(1024, probe.nextText().length());
            probe.send("y".repeat(1025));
            probe.assertClosedWith(1009);
        }
    }

    /** --max-message is the largest message, also in one frame: not capped by the library's 16 MiB frame limit. */
    @Test
    void aMessageUpToMaxMessageIsAcceptedInOneFrameLargerThan16MiB() throws Exception {
        try (Served server = SockwaveProcess.serve("--echo-only", "--max-message", "20MiB")) {
            WsProbe probe = WsProbe.connect(server.uri("ws", "/echo"));
            probe.send(new byte[17 << 20]);
            assertEquals(17 << 20, probe.nextBinary().length);
        }
    }

    @Test
    void idleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (Served server = SockwaveProcess.serve("--idle-timeout", "500ms")) {
            WsProbe probe = WsProbe.connect(server.uri("ws", "/echo"));
            probe.assertClosedWith(1001);
        }
    }

    @Test
    void quietLogsNoConnections() throws Exception {
        try (Served server = SockwaveProcess.serve("--quiet")) {
            WsProbe probe = WsProbe.connect(server.uri("ws", "/echo"));
            probe.send("x");
            probe.nextText();
            probe.close();
            probe.assertClosedWith(1000);
            server.process().signal("TERM");
            server.process().awaitExit();
            assertTrue(server.process().outLines().stream().noneMatch(l -> l.contains(" open ")
                    || l.contains(" close ")), server.process().toString());
        }
    }

    @Test
    void tlsFromPemFilesServesWss(@TempDir Path dir) throws Exception {
        TestCertificates made = TestCertificates.make(dir, "server", "-keyalg", "EC", "-groupname", "secp256r1");
        try (Served server = SockwaveProcess.serve("--tls-cert", made.certificatePem().toString(),
                "--tls-key", made.keyPem().toString())) {
            server.process().awaitOut("chat at wss://127\\.0\\.0\\.1:\\d+/chat");
            WsProbe probe = WsProbe.connect(server.uri("wss", "/echo"), TlsContexts.trustingEveryone());
            probe.send("over TLS");
            assertEquals("over TLS", probe.nextText());
        }
    }

    @Test
    void tlsFromKeyStoreWithPasswordFromEnvironment(@TempDir Path dir) throws Exception {
        TestCertificates made = TestCertificates.make(dir, "server", "-keyalg", "RSA", "-keysize", "2048");
        try (SockwaveProcess process = SockwaveProcess.startCommand(dir,
                Map.of("SOCKWAVE_KEYSTORE_PASSWORD", TestCertificates.PASSWORD),
                SockwaveProcess.javaExecutable(), "-jar", SockwaveProcess.jar().toString(), "serve",
                "--host", "127.0.0.1", "--port", "0", "--keystore", made.keyStore().toString())) {
            int port = process.awaitPort();
            WsProbe probe = WsProbe.connect(java.net.URI.create("wss://127.0.0.1:" + port + "/echo"),
                    TlsContexts.trustingEveryone());
            probe.send("key store");
            assertEquals("key store", probe.nextText());
        }
    }

    /**
     * Mutual TLS end to end, both ends the command: {@code serve --tls-client-ca} admits a {@code connect --cert} whose
     * certificate the bundle holds, and fails the TLS handshake of a client without one or with another.
     */
    @Test
    void tlsClientCaAdmitsOnlyClientsPresentingACertificateItTrusts(@TempDir Path dir) throws Exception {
        TestCertificates server = TestCertificates.make(dir, "server", "-keyalg", "EC", "-groupname", "secp256r1");
        TestCertificates client = TestCertificates.make(dir, "client", "-keyalg", "EC", "-groupname", "secp256r1");
        TestCertificates stranger = TestCertificates.make(dir, "stranger", "-keyalg", "EC", "-groupname",
                "secp256r1");
        try (Served served = SockwaveProcess.serve("--tls-cert", server.certificatePem().toString(),
                "--tls-key", server.keyPem().toString(), "--tls-client-ca", client.certificatePem().toString())) {
            served.process().awaitOut("chat at wss://127\\.0\\.0\\.1:\\d+/chat");
            String url = served.uri("wss", "/echo").toString();
            String ca = server.certificatePem().toString();
            try (SockwaveProcess connect = SockwaveProcess.start("connect", "--no-proxy", url, "--ca", ca,
                    "--cert", client.certificatePem().toString(), "--key", client.keyPem().toString(),
                    "--send", "mutual")) {
                connect.awaitOut("^mutual$");
                connect.closeInput();
                assertEquals(0, connect.awaitExit(), connect.toString());
            }
            try (SockwaveProcess connect = SockwaveProcess.start("connect", "--no-proxy", url, "--ca", ca,
                    "--send", "anonymous")) {
                connect.closeInput();
                assertEquals(5, connect.awaitExit(), connect.toString());
                assertFalse(connect.outLines().contains("anonymous"), connect.toString());
            }
            try (SockwaveProcess connect = SockwaveProcess.start("connect", "--no-proxy", url, "--ca", ca,
                    "--cert", stranger.certificatePem().toString(), "--key", stranger.keyPem().toString(),
                    "--send", "stranger")) {
                connect.closeInput();
                assertEquals(5, connect.awaitExit(), connect.toString());
                assertFalse(connect.outLines().contains("stranger"), connect.toString());
            }
        }
    }

    /** serve --help: "or asked for when given without a value"; without a terminal it is read from standard input. */
    @Test
    void tlsFromKeyStoreWithThePasswordAskedFor(@TempDir Path dir) throws Exception {
        TestCertificates made = TestCertificates.make(dir, "server", "-keyalg", "EC");
        try (SockwaveProcess process = SockwaveProcess.start("serve", "--host", "127.0.0.1", "--port", "0",
                "--keystore", made.keyStore().toString(), "--keystore-password")) {
            process.write(TestCertificates.PASSWORD + "\n");
            int port = process.awaitPort();
            WsProbe probe = WsProbe.connect(java.net.URI.create("wss://127.0.0.1:" + port + "/echo"),
                    TlsContexts.trustingEveryone());
            probe.send("asked for");
            assertEquals("asked for", probe.nextText());
        }
    }

    @Test
    void unusableTlsFilesStopTheServerWithTheReason(@TempDir Path dir) throws Exception {
        try (SockwaveProcess process = SockwaveProcess.start("serve", "--host", "127.0.0.1", "--port", "0",
                "--tls-cert", dir.resolve("missing.pem").toString(), "--tls-key", dir.resolve("k.pem").toString())) {
            assertEquals(1, process.awaitExit());
            process.awaitErr("missing\\.pem");
        }
    }

    @Test
    void unresolvableHostStopsTheServerWithTheReason() throws Exception {
        // A malformed IPv6 literal fails to resolve without asking any name server.
        try (SockwaveProcess process = SockwaveProcess.start("serve", "--host", "[::1", "--port", "0")) {
            assertEquals(1, process.awaitExit());
            process.awaitErr("^sockwave serve: cannot listen on \\[::1:0: unknown host$");
        }
    }

    @Test
    void portInUseStopsTheServerWithTheReason() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                SockwaveProcess process = SockwaveProcess.start("serve", "--host", "127.0.0.1", "--port",
                        Integer.toString(taken.getLocalPort()))) {
            assertEquals(1, process.awaitExit());
            process.awaitErr("cannot listen on 127\\.0\\.0\\.1:" + taken.getLocalPort());
        }
    }

    /** The third reason of exit status 1 in {@code serve --help}: Redis unreachable. No redis-server is needed. */
    @Test
    void unreachableRedisStopsTheServerWithTheReason() throws Exception {
        int closed;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = free.getLocalPort();
        }
        try (SockwaveProcess process = SockwaveProcess.start("serve", "--host", "127.0.0.1", "--port", "0",
                "--redis", "redis://127.0.0.1:" + closed)) {
            assertEquals(1, process.awaitExit(), process.toString());
            process.awaitErr("^sockwave serve: cannot use Redis at redis://127\\.0\\.0\\.1:" + closed + ": ");
            assertTrue(process.outLines().stream().noneMatch(l -> l.contains("listening on")), process.toString());
        }
    }
}
