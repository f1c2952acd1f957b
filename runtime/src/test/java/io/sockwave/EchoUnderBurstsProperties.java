package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.extension.PerMessageDeflate;
import io.sockwave.protocol.handshake.AcceptKey;
import io.sockwave.testsupport.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The property that would have caught issue #23: whatever a peer sends, in whatever bursts and write chunks, an echo
 * endpoint gets every message back to it byte for byte and in order, answers every ping it must, and closes cleanly.
 * Both roles (Sockwave's server under a hand-made client, Sockwave's client under a hand-made server), with and
 * without TLS and permessage-deflate, callbacks on the loop or on an executor, and an endpoint that suspends reading
 * while unwritable (the documented backpressure pattern) or one that ignores backpressure, binary messages given or
 * lent (whose arrays the loop reuses). Message sizes cluster on every boundary the runtime has: the frame length
 * encodings (125/126, 65535/65536, RFC 6455 §5.2), the frame pool's and the message arrays' size classes, the
 * 64 KiB read buffer, the outbound watermarks (16 and 64 KiB) and the 1 MiB callback backlog.
 *
 * <p>Each try runs through real loopback sockets with 10 s read timeouts, so a wedge fails the try instead of hanging;
 * jqwik reports the seed, and shrinking is bounded in time.
 */
class EchoUnderBurstsProperties {
    /** Long enough for the largest script through TLS on a loaded machine, short enough that a wedge fails fast. */
    private static final int READ_TIMEOUT_MS = 10_000;
    private static final long MAX_SCRIPT_BYTES = 6L << 20;
    /** Small writes of a large script would take many system calls (and, under TLS, records) for little gain. */
    private static final long MAX_WRITES = 20_000;

    private static final Map<Setup, Server> SERVERS = new ConcurrentHashMap<>();
    private static final Map<Setup, Client> CLIENTS = new ConcurrentHashMap<>();
    private static final List<Throwable> ENDPOINT_ERRORS = new CopyOnWriteArrayList<>();
    private static final ExecutorService CALLBACKS = Executors.newFixedThreadPool(2);

    /** How the endpoint under test is set up, and how the peer sends. */
    record Setup(boolean tls, boolean deflate, boolean pushBack, boolean offLoop, boolean lend, boolean pipelined,
                 int maxChunk) {
        Setup endpointOnly() {
            return new Setup(tls, deflate, pushBack, offLoop, lend, false, 0);
        }
    }

    /** One message, sent in {@code pieces} frames, with pings between them when {@code pings}. */
    record Step(WirePeer.Message message, int pieces, boolean pings) {
        @Override
        public String toString() {
            return message + " in " + pieces + (pings ? " pieces with pings" : " pieces");
        }
    }

    @AfterContainer
    static void stopAll() {
        SERVERS.values().forEach(Server::close);
        CLIENTS.values().forEach(Client::close);
        CALLBACKS.shutdownNow();
    }

    @Property(tries = 30, shrinking = ShrinkingMode.BOUNDED)
    void theServerEchoesEveryMessageOfEveryBurst(@ForAll("setups") Setup setup, @ForAll("scripts") List<Step> script,
                                                 @ForAll long seed) throws Exception {
        assumeFeasible(setup, script);
        ENDPOINT_ERRORS.clear();
        Server server = SERVERS.computeIfAbsent(setup.endpointOnly(), EchoUnderBurstsProperties::startServer);
        Random random = new Random(seed);
        try (Socket socket = connect(server.port(), setup.tls())) {
            String extensions = setup.deflate() ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : "";
            socket.getOutputStream().write(RawSocket.upgrade("/echo", extensions).getBytes(StandardCharsets.US_ASCII));
            String head = readHead(socket.getInputStream());
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            assertEquals(setup.deflate(), head.contains("permessage-deflate"), head);
            try (WirePeer peer = new WirePeer(socket, true, setup.deflate(), random)) {
                if (head.contains("server_no_context_takeover")) {
                    peer.peerResetsItsContext();
                }
                WirePeer.Received received = exchange(peer, setup, script, random);
                // RFC 6455 §5.5.1 and §7.1.1: the close is answered, then the server closes the TCP connection.
                assertEquals(1000, received.closeCode, "the close reply");
                assertTrue(peer.atEndOfStream(), "the server closes the connection after the closing handshake");
            }
        }
        assertTrue(ENDPOINT_ERRORS.isEmpty(), () -> "the endpoint saw errors: " + ENDPOINT_ERRORS);
    }

    @Property(tries = 30, shrinking = ShrinkingMode.BOUNDED)
    void theClientEchoesEveryMessageOfEveryBurst(@ForAll("setups") Setup setup, @ForAll("scripts") List<Step> script,
                                                 @ForAll long seed) throws Exception {
        assumeFeasible(setup, script);
        ENDPOINT_ERRORS.clear();
        Client client = CLIENTS.computeIfAbsent(setup.endpointOnly(), s -> Client.create(1));
        Random random = new Random(seed);
        try (ServerSocket listening = listen(setup.tls())) {
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            String scheme = setup.tls() ? "wss" : "ws";
            CompletableFuture<Session> session = client.connect(
                    URI.create(scheme + "://127.0.0.1:" + listening.getLocalPort() + "/echo"),
                    clientOptions(setup), endpoint(setup.pushBack(), closed));
            try (Socket socket = listening.accept()) {
                socket.setSoTimeout(READ_TIMEOUT_MS);
                String request = readHead(socket.getInputStream());
                boolean offered = request.toLowerCase().contains("sec-websocket-extensions: permessage-deflate");
                assertEquals(setup.deflate(), offered, request);
                String extensions = offered ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : "";
                socket.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + RawSocket.acceptFor(request) + "\r\n"
                        + extensions + "\r\n").getBytes(StandardCharsets.US_ASCII));
                session.get(10, TimeUnit.SECONDS);
                try (WirePeer peer = new WirePeer(socket, false, setup.deflate(), random)) {
                    WirePeer.Received received = exchange(peer, setup, script, random);
                    assertEquals(1000, received.closeCode, "the close reply");
                }
            }
            // The server closed the TCP connection after the closing handshake (RFC 6455 §7.1.1).
            assertEquals(1000, closed.get(10, TimeUnit.SECONDS), "the client's onClose code");
        }
        assertTrue(ENDPOINT_ERRORS.isEmpty(), () -> "the endpoint saw errors: " + ENDPOINT_ERRORS);
    }

    /**
     * Sends the script, pipelined from a writer thread or one message at a time, and checks every echo and pong;
     * then starts the closing handshake and reads up to the close reply.
     */
    private static WirePeer.Received exchange(WirePeer peer, Setup setup, List<Step> script, Random random)
            throws Exception {
        List<byte[]> encoded = new ArrayList<>();
        List<byte[]> pings = new ArrayList<>();
        for (int i = 0; i < script.size(); i++) {
            Step step = script.get(i);
            encoded.add(peer.encode(step.message(), step.pieces(), step.pings(), i, pings));
        }
        Random chunking = new Random(random.nextLong());
        WirePeer.Received received = new WirePeer.Received();
        if (setup.pipelined()) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            encoded.forEach(all::writeBytes);
            AtomicReference<Throwable> writeFailure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    peer.writeChunked(all.toByteArray(), chunking, setup.maxChunk());
                } catch (IOException e) {
                    writeFailure.set(e);
                }
            }, "burst-writer");
            writer.start();
            try {
                peer.readInto(received, script.size());
            } finally {
                writer.join(TimeUnit.SECONDS.toMillis(30));
            }
            if (writeFailure.get() != null) {
                throw new AssertionError("writing the burst failed", writeFailure.get());
            }
        } else {
            for (byte[] bytes : encoded) {
                peer.writeChunked(bytes, chunking, setup.maxChunk());
                peer.readInto(received, 1);
            }
        }
        for (int i = 0; i < script.size(); i++) {
            WirePeer.Message sent = script.get(i).message();
            WirePeer.Message echo = received.messages.get(i);
            assertEquals(sent.text(), echo.text(), "message " + i + "'s type");
            assertArrayEquals(sent.payload(), echo.payload(), "message " + i + " (" + sent + ")");
        }
        peer.write(peer.frame(0x88, RawSocket.closePayload(1000, "")));
        peer.readInto(received, -1);
        assertTrue(received.messages.size() == script.size(), "no message beyond the echoes");
        checkPongs(pings, received.pongs);
        return received;
    }

    /**
     * RFC 6455 §5.5.3: each pong answers a ping, in order; pongs not yet sent may be superseded by newer ones, but
     * the most recent ping is always answered.
     */
    private static void checkPongs(List<byte[]> pings, List<byte[]> pongs) {
        int at = 0;
        for (byte[] pong : pongs) {
            while (at < pings.size() && !java.util.Arrays.equals(pings.get(at), pong)) {
                at++;
            }
            assertTrue(at < pings.size(), "a pong that answers no ping, or out of order: "
                    + new String(pong, StandardCharsets.US_ASCII));
            at++;
        }
        if (!pings.isEmpty()) {
            assertTrue(!pongs.isEmpty() && java.util.Arrays.equals(pings.get(pings.size() - 1),
                    pongs.get(pongs.size() - 1)), "the last ping is answered");
        }
    }

    private static void assumeFeasible(Setup setup, List<Step> script) {
        long total = script.stream().mapToLong(s -> s.message().payload().length).sum();
        net.jqwik.api.Assume.that(total <= MAX_SCRIPT_BYTES && total / setup.maxChunk() <= MAX_WRITES);
    }

    // ------------------------------------------------------------------ endpoints

    private static Server startServer(Setup setup) {
        Server.Builder builder = Server.builder().host("127.0.0.1").eventLoops(1)
                .route("/echo", endpoint(setup.pushBack(), null));
        if (setup.tls()) {
            builder.tls(TestCertificates.loopback().server());
        }
        if (setup.deflate()) {
            builder.extensions(PerMessageDeflate.defaults());
        }
        if (setup.offLoop()) {
            builder.callbackExecutor(CALLBACKS);
        }
        builder.lendBinary(setup.lend());
        try {
            return builder.build().start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ClientOptions clientOptions(Setup setup) {
        ClientOptions.Builder builder = ClientOptions.builder();
        if (setup.tls()) {
            builder.sslContext(TestCertificates.loopback().client());
        }
        if (setup.deflate()) {
            builder.extensions(PerMessageDeflate.defaults());
        }
        if (setup.offLoop()) {
            builder.callbackExecutor(CALLBACKS);
        }
        builder.lendBinary(setup.lend());
        return builder.build();
    }

    /** The echo endpoint under test; it records errors, and the close code when {@code closed} is given. */
    private static Listener endpoint(boolean pushBack, CompletableFuture<Integer> closed) {
        Listener echo = pushBack ? new PushBackEchoListener() : new EchoListener();
        return new ForwardingListener(echo) {
            @Override
            public void onError(Session session, Throwable error) {
                ENDPOINT_ERRORS.add(error);
            }

            @Override
            public void onClose(Session session, int code, String reason) {
                if (closed != null) {
                    closed.complete(code);
                }
            }
        };
    }

    private static Socket connect(int port, boolean tls) throws IOException {
        Socket socket = tls
                ? TestCertificates.loopback().client().getSocketFactory().createSocket()
                : new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        return socket;
    }

    private static ServerSocket listen(boolean tls) throws IOException {
        ServerSocket socket = tls
                ? TestCertificates.loopback().server().getServerSocketFactory().createServerSocket()
                : new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream in a handshake head: " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<Setup> setups() {
        return Combinators.combine(
                Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.of(7, 100, 1500, 16 << 10, 64 << 10, 1 << 20))
                .as(Setup::new);
    }

    @Provide
    Arbitrary<List<Step>> scripts() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.of(true, false), sizes(), Arbitraries.integers().between(1, 5),
                Arbitraries.of(false, false, true), Arbitraries.longs())
                .as((text, size, pieces, pings, content) ->
                        new Step(message(text, size, content), pieces, pings));
        return step.list().ofMinSize(1).ofMaxSize(40);
    }

    /** Sizes on and around every boundary, with a rare large message. */
    private static Arbitrary<Integer> sizes() {
        Arbitrary<Integer> boundary = Arbitraries.of(0, 1, 125, 126, 127, 1023, 1024, 1025, 1040, 2048, 4096, 8192,
                        16 << 10, 32 << 10, 65535, 65536, 65537, 65552, 128 << 10, 256 << 10)
                .flatMap(b -> Arbitraries.integers().between(Math.max(0, b - 2), b + 2));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0, 2000)),
                net.jqwik.api.Tuple.of(6, boundary),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(2000, 200_000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1 << 20, 3 << 20)));
    }

    /** A message of about {@code size} bytes; text mixes 1- to 4-byte UTF-8 sequences. */
    private static WirePeer.Message message(boolean text, int size, long content) {
        Random random = new Random(content);
        if (!text) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            return new WirePeer.Message(false, bytes);
        }
        StringBuilder builder = new StringBuilder();
        int bytes = 0;
        int[] samples = {'a', 'z', 0xE9, 0x416, 0x4E2D, 0xFFFD, 0x1F600, 0x10348};
        while (bytes < size) {
            int codePoint = samples[random.nextInt(samples.length)];
            int length = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + length > size) {
                codePoint = 'x';
                length = 1;
            }
            builder.appendCodePoint(codePoint);
            bytes += length;
        }
        return new WirePeer.Message(true, builder.toString().getBytes(StandardCharsets.UTF_8));
    }
}
