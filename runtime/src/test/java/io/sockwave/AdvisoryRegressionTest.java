package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.Limits;
import io.sockwave.protocol.MessageBudget;
import io.sockwave.protocol.extension.PerMessageDeflate;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The attacks that hit other WebSocket implementations, each as a regression test through a real socket, named after
 * its advisory (issue #14). Others are covered where their rule is tested: a refused upgrade whose connection is
 * reused ({@code Section4_2ServerHandshakeTest#aRefusedConnectionIsNotReusedForASecondRequest}), a close reason of
 * invalid UTF-8 or over 123 bytes ({@code Section5ServerFramingTest#section5_5_1_closeReasonMustBeUtf8} and
 * {@code #section5_5_controlFrameOver125BytesIsAProtocolError}), a foreign Origin
 * ({@code Section4_2ServerHandshakeTest#originNotAllowedIs403}).
 */
@Timeout(60)
class AdvisoryRegressionTest {
    private static final int LIMIT = 1 << 20;

    private final MessageBudget budget = new MessageBudget(8L << 20);
    private Server server;

    @BeforeEach
    void start() throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(1).extensions(PerMessageDeflate.defaults())
                .limits(Limits.DEFAULTS.withMaxMessageSize(LIMIT)).messageBudget(budget)
                .allowedOrigins(List.of("http://good.example")).route("/", new EchoListener()).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /**
     * Netty CVE-2014-0193: continuation frames without end were gathered without a bound. Here a message of a
     * million 1-byte fragments, as many as the 1 MiB limit allows, arrives whole while holding no more than the
     * limit (the per-fragment overhead is nothing held), and one byte more is 1009.
     */
    @Test
    void netty_CVE_2014_0193_aStormOfOneByteContinuationsIsBoundedByBytesHeldNotByCount() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            raw.write(oneByteFragments(LIMIT, false));
            raw.write(RawSocket.masked(0x89, "held?"));
            assertEquals(0x8A, raw.readFrame().b0());
            assertTrue(budget.held() <= LIMIT, budget + " for a message of " + LIMIT + " bytes so far");
            raw.write(RawSocket.masked(0x80, new byte[0]));
            RawSocket.Frame echo = raw.readFrame();
            assertEquals(0x82, echo.b0());
            assertEquals(LIMIT, echo.payload().length);
        }
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            raw.write(oneByteFragments(LIMIT + 1, false));
            assertEquals(1009, raw.expectCloseAndEof());
        }
        assertEquals(0, awaitHeld(0));
    }

    /** Tomcat CVE-2020-13935: a 64-bit length with its most significant bit set (§5.2 forbids it) is 1002. */
    @Test
    void tomcat_CVE_2020_13935_aPayloadLengthOf2To63Is1002AndOneJustBelowIs1009() throws Exception {
        byte[] mask = RawSocket.MASK;
        byte[] msbSet = {(byte) 0x82, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, mask[0], mask[1], mask[2], mask[3]};
        assertEquals(1002, closeCodeFor(msbSet));
        byte[] largest = {(byte) 0x82, (byte) 0xFF, 0x7F, -1, -1, -1, -1, -1, -1, -1, mask[0], mask[1], mask[2], mask[3]};
        assertEquals(1009, closeCodeFor(largest));
    }

    /** ws CVE-2024-37890: a request with many header fields crashed the server; here it is 431, and serving goes on. */
    @Test
    void ws_CVE_2024_37890_tooManyHeaderFieldsAre431AndTheServerKeepsServing() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            many.append("a:").append(i % 10).append("\r\n");
        }
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.upgrade("/", many.toString()));
            String response = raw.readUntilEof();
            assertTrue(response.startsWith("HTTP/1.1 431 "), response);
        }
        echoOnce();
    }

    /** websockets CVE-2018-1000518: the inflated size was not checked. A bomb in one frame is 1009. */
    @Test
    void websockets_CVE_2018_1000518_aDeflateBombInOneFrameIs1009() throws Exception {
        byte[] bomb = IncompleteMessageBudgetTest.compressedZeros(64 * LIMIT);
        assertEquals(1009, closeCodeForCompressed(RawSocket.masked(0xC2, bomb)));
        assertEquals(0, awaitHeld(0));
    }

    /** The same bomb cut across fragments, each small, is stopped by the inflated total. */
    @Test
    void aDeflateBombAcrossFragmentsIs1009() throws Exception {
        byte[] bomb = IncompleteMessageBudgetTest.compressedZeros(64 * LIMIT);
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        int piece = bomb.length / 8 + 1;
        for (int at = 0; at < bomb.length; at += piece) {
            boolean first = at == 0;
            boolean last = at + piece >= bomb.length;
            int b0 = (last ? 0x80 : 0) | (first ? 0x42 : 0x00);
            frames.writeBytes(RawSocket.masked(b0, Arrays.copyOfRange(bomb, at, Math.min(bomb.length, at + piece))));
        }
        assertEquals(1009, closeCodeForCompressed(frames.toByteArray()));
        assertEquals(0, awaitHeld(0));
    }

    /** RFC 7692 §6.1: permessage-deflate never sets RSV1 on a control frame. */
    @Test
    void aCompressedControlFrameIs1002() throws Exception {
        assertEquals(1002, closeCodeForCompressed(RawSocket.masked(0xC9, "ping")));
    }

    /** RFC 7692 §6.1: RSV1 belongs on a message's first frame only. */
    @Test
    void rsv1OnAContinuationIs1002() throws Exception {
        byte[] first = RawSocket.masked(0x42, IncompleteMessageBudgetTest.compressedZeros(100));
        byte[] next = RawSocket.masked(0xC0, IncompleteMessageBudgetTest.compressedZeros(100));
        byte[] both = Arrays.copyOf(first, first.length + next.length);
        System.arraycopy(next, 0, both, first.length, next.length);
        assertEquals(1002, closeCodeForCompressed(both));
    }

    /**
     * RFC 6455 §4.2.1 items 3-4: a request without Connection: Upgrade, or without websocket in Upgrade, is not an
     * opening handshake and is never upgraded: it gets an error status (which one is the HTTP side's to say) and the
     * connection closes.
     */
    @Test
    void connectionAndUpgradeFieldsAreValidated() throws Exception {
        String noConnection = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        String wrongUpgrade = noConnection.replace("Upgrade: websocket\r\n", "Upgrade: h2c\r\nConnection: Upgrade\r\n");
        for (String request : List.of(noConnection, wrongUpgrade)) {
            try (RawSocket raw = RawSocket.connect(server.port())) {
                raw.write(request);
                String response = raw.readUntilEof();
                assertTrue(response.matches("(?s)HTTP/1\\.1 4\\d\\d .*"), response);
            }
        }
    }

    /**
     * Cross-site WebSocket hijacking (RFC 6455 §10.2): with an allow-list, a foreign Origin is 403, a listed one is
     * accepted, and a request without Origin, which browsers always send, is a non-browser client and accepted, as
     * {@link Server.Builder#allowedOrigins} documents.
     */
    @Test
    void crossSiteHijackingIsRefusedWith403AndAMissingOriginIsANonBrowserClient() throws Exception {
        assertTrue(upgradeStatus("Origin: http://evil.example\r\n").startsWith("HTTP/1.1 403 "));
        assertTrue(upgradeStatus("Origin: http://good.example\r\n").startsWith("HTTP/1.1 101 "));
        assertTrue(upgradeStatus("").startsWith("HTTP/1.1 101 "));
    }

    private String upgradeStatus(String extraHeaders) throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.upgrade("/", extraHeaders));
            return raw.readHead();
        }
    }

    private void echoOnce() throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            raw.write(RawSocket.masked(0x81, "still serving"));
            assertEquals("still serving", new String(raw.readFrame().payload(), StandardCharsets.UTF_8));
        }
    }

    private int closeCodeFor(byte[] frames) throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port()).open("/")) {
            raw.write(frames);
            return raw.expectCloseAndEof();
        }
    }

    private int closeCodeForCompressed(byte[] frames) throws Exception {
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.upgrade("/", "Sec-WebSocket-Extensions: permessage-deflate\r\n"));
            assertTrue(raw.readHead().contains("permessage-deflate"));
            raw.write(frames);
            return raw.expectCloseAndEof();
        }
    }

    /** A binary message of {@code bytes} 1-byte frames, the first BINARY, then CONTINUATION; FIN on the last if asked. */
    private static byte[] oneByteFragments(int bytes, boolean fin) {
        byte[] out = new byte[bytes * 7];
        byte[] mask = RawSocket.MASK;
        for (int i = 0; i < bytes; i++) {
            int at = i * 7;
            out[at] = (byte) ((i == 0 ? 0x02 : 0x00) | (fin && i == bytes - 1 ? 0x80 : 0));
            out[at + 1] = (byte) 0x81;
            System.arraycopy(mask, 0, out, at + 2, 4);
            out[at + 6] = (byte) ('x' ^ mask[0]);
        }
        return out;
    }

    private long awaitHeld(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (budget.held() != expected && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        return budget.held();
    }
}
