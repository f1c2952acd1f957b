package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Session#abort()} from {@code onText} when a ping decoded in the same read came before the text: the
 * protocol owes that ping its pong (RFC 6455 §5.5.2), but the abort cuts the connection, so the pong is neither
 * written nor left counted in {@link ServerStats#queuedBytes()} of a connection that no longer exists.
 */
class AbortWithOwedControlFramesTest {
    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static final class AbortOnText extends Recorder {
        @Override
        public void onText(Session session, String text) {
            super.onText(session, text);
            session.abort();
        }
    }

    private static byte[] pingThenText() {
        return RawSocket.concat(RawSocket.masked(0x89, "are you there"), RawSocket.masked(0x81, "bye"));
    }

    @Test
    void aPongOwedWhenOnTextAbortsIsNotLeftQueuedInTheStats() throws Exception {
        AbortOnText listener = new AbortOnText();
        server = Server.builder().host("127.0.0.1").port(0).eventLoops(1).route("/", listener).build().start();
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.open("/");
            raw.write(pingThenText());
            assertEquals("close:1006:aborted", listener.awaitClose());
            assertNothingMore(raw);
        }
        assertStatsReachZero();
    }

    /**
     * The same frames sent right behind the upgrade request: they are decoded before the 101 is written, so the
     * abort writes the 101 alone (RFC 6455 §4.2.2) and no pong after it.
     */
    @Test
    void aPongOwedWhenOnTextAbortsBeforeThe101IsWrittenDoesNotFollowThe101() throws Exception {
        AbortOnText listener = new AbortOnText();
        server = Server.builder().host("127.0.0.1").port(0).eventLoops(1).route("/", listener).build().start();
        try (RawSocket raw = RawSocket.connect(server.port())) {
            raw.write(RawSocket.concat(RawSocket.upgrade("/", "").getBytes(StandardCharsets.ISO_8859_1),
                    pingThenText()));
            String head = raw.readHead();
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            assertNothingMore(raw);
            assertEquals("close:1006:aborted", listener.awaitClose());
        }
        assertStatsReachZero();
    }

    private void assertStatsReachZero() throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!server.stats().equals(new ServerStats(0, 0, 0, 0, 0)) && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(new ServerStats(0, 0, 0, 0, 0), server.stats());
    }

    private static void assertNothingMore(RawSocket raw) throws Exception {
        byte[] rest;
        try {
            rest = raw.readUntilEof().getBytes(StandardCharsets.ISO_8859_1);
        } catch (SocketException reset) {
            return; // cut with a reset: nothing was read either
        }
        assertEquals(0, rest.length, "bytes after the abort: " + new String(rest, StandardCharsets.ISO_8859_1));
    }
}
