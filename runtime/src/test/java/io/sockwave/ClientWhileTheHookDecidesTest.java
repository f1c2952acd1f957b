package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a client does while its {@link UpgradeHook} has not decided, through real sockets: going away (end of stream
 * or reset) lets go of its connection at once, not at the handshake timeout, and the decision that comes later is
 * dropped without a warning; bytes it sends after its request are counted in {@link ServerStats#buffers()}, and past
 * 64 KiB it is refused with 400 (RFC 6455 §4.1: a client waits for the server's answer before sending more).
 */
class ClientWhileTheHookDecidesTest {
    /** Far longer than any wait of this test: what it sees is never the timeout's doing. */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);

    private final CompletableFuture<UpgradeDecision> decision = new CompletableFuture<>();
    private final CountDownLatch asked = new CountDownLatch(1);
    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    private final Logger log = Logger.getLogger("io.sockwave");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Server server;

    @BeforeEach
    void start() throws IOException {
        log.addHandler(capture);
        server = Server.builder().host("127.0.0.1").eventLoops(1).handshakeTimeout(HANDSHAKE_TIMEOUT)
                .route("/chat", request -> {
                    asked.countDown();
                    return decision;
                }, new EchoListener())
                .build().start();
    }

    @AfterEach
    void stop() {
        server.close();
        log.removeHandler(capture);
    }

    @Test
    void aClientThatEndsItsStreamWhileTheHookDecidesIsLetGoAtOnce() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.upgrade("/chat", ""));
            awaitAsked();
            raw.socket.shutdownOutput();
            assertStats("after the client's end of stream", stats -> stats.connections() == 0);
        }
        decideLateAndExpectNothingLeft();
    }

    @Test
    void aClientThatResetsWhileTheHookDecidesIsLetGoAtOnce() throws Exception {
        RawSocket raw = RawSocket.connect(server.port());
        raw.write(RawSocket.upgrade("/chat", ""));
        awaitAsked();
        raw.socket.setSoLinger(true, 0);
        raw.close();
        assertStats("after the client's reset", stats -> stats.connections() == 0);
        decideLateAndExpectNothingLeft();
    }

    @Test
    void framesPipelinedWhileTheHookDecidesAreCountedAndDeliveredOnAcceptance() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.concat(RawSocket.upgrade("/chat", "").getBytes(StandardCharsets.US_ASCII),
                    RawSocket.masked(0x81, "early")));
            awaitAsked();
            assertStats("while the hook decides", stats -> stats.connections() == 1 && stats.buffers() == 1);
            decision.complete(UpgradeDecision.accept());
            assertTrue(raw.readHead().startsWith("HTTP/1.1 101 "));
            assertEquals("early", raw.readFrame().text(), "the pipelined frame, echoed after the acceptance");
            assertStats("once the held bytes are delivered", stats -> stats.sessions() == 1 && stats.buffers() == 0);
        }
    }

    @Test
    void rfc6455_4_1_aClientSendingMegabytesWhileTheHookDecidesIsRefusedWith400() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.upgrade("/chat", ""));
            awaitAsked();
            Thread flood = new Thread(() -> flood(raw), "flood");
            flood.start();
            String answer = raw.readUntilEof();
            assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer);
            assertTrue(answer.contains("\r\n\r\nmore than 65536 bytes sent after the upgrade request before its"
                    + " answer"), answer);
            raw.close();
            flood.join(TimeUnit.SECONDS.toMillis(10));
        }
        decideLateAndExpectNothingLeft();
    }

    @Test
    void theRoutesHookIsNotAskedAboutAnUpgradeWhoseClientLeftWhileTheServersHookDecided() throws Exception {
        CompletableFuture<UpgradeDecision> serverDecision = new CompletableFuture<>();
        CountDownLatch serverAsked = new CountDownLatch(1);
        AtomicInteger routeAsked = new AtomicInteger();
        try (Server twoHooks = Server.builder().host("127.0.0.1").eventLoops(1).handshakeTimeout(HANDSHAKE_TIMEOUT)
                .upgradeHook(request -> {
                    serverAsked.countDown();
                    return serverDecision;
                })
                .route("/chat", UpgradeHook.of(request -> {
                    routeAsked.incrementAndGet();
                    return UpgradeDecision.accept();
                }), new EchoListener())
                .build().start()) {
            RawSocket raw = RawSocket.connect(twoHooks.port());
            raw.write(RawSocket.upgrade("/chat", ""));
            assertTrue(serverAsked.await(10, TimeUnit.SECONDS), "the server's hook was asked");
            raw.socket.setSoLinger(true, 0);
            raw.close();
            server.close();
            server = twoHooks;
            assertStats("after the client's reset", stats -> stats.connections() == 0);
            // The route's hook would run here, on this thread, as the server's stage completes.
            serverDecision.complete(UpgradeDecision.accept());
            assertEquals(0, routeAsked.get(), "the route's hook asked about an upgrade that had ended");
            assertStats("after the late decision", stats -> stats.equals(new ServerStats(0, 0, 0, 0, 0)));
        }
        assertEquals(List.of(), warnings.stream().map(LogRecord::getMessage).toList(), "warnings logged");
    }

    /** Writes 4 MiB of masked frames, or until the server stops taking them. */
    private static void flood(RawSocket raw) {
        byte[] frame = RawSocket.masked(0x82, new byte[16 * 1024]);
        try {
            OutputStream out = raw.socket.getOutputStream();
            for (int i = 0; i < 256; i++) {
                out.write(frame);
            }
        } catch (IOException expected) {
            // The server closed the connection after its answer.
        }
    }

    private void awaitAsked() throws InterruptedException {
        assertTrue(asked.await(10, TimeUnit.SECONDS), "the hook was asked");
    }

    /** The hook decides after its client is gone: nothing is logged as a warning, and the server holds nothing. */
    private void decideLateAndExpectNothingLeft() throws InterruptedException {
        decision.complete(UpgradeDecision.accept());
        assertStats("after the late decision", stats -> stats.equals(new ServerStats(0, 0, 0, 0, 0)));
        assertEquals(List.of(), warnings.stream().map(LogRecord::getMessage).toList(), "warnings logged");
    }

    /** Polls the stats, which no event announces, for a few seconds: far less than the handshake timeout. */
    private void assertStats(String when, Predicate<ServerStats> expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        ServerStats stats = server.stats();
        while (!expected.test(stats) && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
            stats = server.stats();
        }
        assertTrue(expected.test(stats), when + ": " + stats);
    }
}
