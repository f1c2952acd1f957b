package io.sockwave;

import static io.sockwave.TestJvm.usedHeapAfterGc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.Limits;
import io.sockwave.protocol.MessageBudget;
import io.sockwave.protocol.extension.PerMessageDeflate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What unfinished messages hold is bounded across the whole server (issue #14, defect 2), through real sockets. The
 * attack: a first fragment of about 16 KB of compressed zeros that inflates to just under the 16 MiB message limit,
 * and no more fragments; each such connection held 16 MiB of heap, an amplification of about 1,000, until its idle
 * timeout. A shared {@link MessageBudget} now bounds the sum, the connection that would cross it is failed with 1009,
 * and a message that stops arriving is failed with 1008 after the incomplete-message timeout.
 */
@Timeout(60)
class IncompleteMessageBudgetTest {
    private static final int MIB = 1 << 20;
    /** Just under the message limit once inflated. */
    private static final int INFLATED = 16 * MIB - 1024;
    private static final int PONG = 0x8A;
    private static final int CLOSE = 0x88;

    private Server server;
    private final List<RawSocket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (RawSocket socket : sockets) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private int start(MessageBudget budget, Duration incompleteMessageTimeout) throws Exception {
        server = Server.builder().host("127.0.0.1").eventLoops(1).extensions(PerMessageDeflate.defaults())
                .limits(Limits.DEFAULTS.withMaxMessageSize(16 * MIB)).messageBudget(budget)
                .incompleteMessageTimeout(incompleteMessageTimeout).route("/", new EchoListener()).build().start();
        return server.port();
    }

    @Test
    void unfinishedCompressedMessagesHoldNoMoreThanTheBudgetAndTheOneThatWouldCrossItGets1009() throws Exception {
        MessageBudget budget = new MessageBudget(40 * MIB);
        int port = start(budget, Duration.ofMinutes(5));
        byte[] bomb = compressedZeros(INFLATED);
        assertTrue(bomb.length < 16_400, "the fragment is " + bomb.length + " bytes");
        long heapBefore = usedHeapAfterGc();

        int held = 0;
        int refused = 0;
        for (int i = 0; i < 8; i++) {
            RawSocket raw = openOfferingDeflate(port);
            // RSV1 (compressed), binary, FIN clear: the message's first fragment and, as it turns out, its last.
            raw.write(RawSocket.masked(0x42, bomb));
            // A ping behind it: its pong says the server has inflated the fragment, or its close that it refused it.
            raw.write(RawSocket.masked(0x89, new byte[0]));
            RawSocket.Frame reply = raw.readFrame();
            if (reply.b0() == PONG) {
                held++;
            } else {
                assertEquals(CLOSE, reply.b0(), "expected a pong or a close, got " + reply);
                assertEquals(1009, reply.closeCode(), new String(reply.payload(), StandardCharsets.UTF_8));
                raw.expectEof();
                refused++;
            }
            assertTrue(budget.held() <= budget.capacity(), budget.toString());
        }
        long heapGrowth = usedHeapAfterGc() - heapBefore;

        // 16 MiB each: two fit in 40 MiB; a third grows to 8 MiB, and its next doubling would cross.
        assertEquals(2, held, "connections holding a message");
        assertEquals(6, refused, "connections failed with 1009");
        assertEquals(32L * MIB, budget.held(), budget.toString());
        assertTrue(heapGrowth < budget.capacity() + 16L * MIB,
                "the heap grew by " + heapGrowth / MIB + " MiB while 8 connections sent " + 8 * bomb.length
                        + " bytes; the budget is " + budget.capacity() / MIB + " MiB");
    }

    @Test
    void anUncompressedUnfinishedMessageCountsAgainstTheSameBudget() throws Exception {
        MessageBudget budget = new MessageBudget(24 * MIB);
        int port = start(budget, Duration.ofMinutes(5));
        byte[] almostAll = new byte[INFLATED];
        RawSocket first = open(port);
        first.write(RawSocket.masked(0x02, almostAll));
        first.write(RawSocket.masked(0x89, new byte[0]));
        assertEquals(PONG, first.readFrame().b0());
        assertEquals(16L * MIB, budget.held());

        RawSocket second = open(port);
        second.write(RawSocket.masked(0x02, almostAll));
        assertEquals(1009, second.expectCloseAndEof());
        assertEquals(16L * MIB, budget.held(), "the refused message's bytes were given back");

        // The first message may still finish: the budget refuses growth, not a message that already fits.
        first.write(RawSocket.masked(0x80, new byte[1023]));
        RawSocket.Frame echo = first.readFrame();
        assertEquals(0x82, echo.b0());
        assertEquals(16 * MIB - 1, echo.payload().length);
        assertEquals(0, budget.held(), "a delivered message holds nothing of the budget");
    }

    @Test
    void aMessageThatStopsArrivingIsFailedWith1008AndItsBytesGivenBack() throws Exception {
        MessageBudget budget = new MessageBudget(64 * MIB);
        int port = start(budget, Duration.ofMillis(500));
        RawSocket raw = openOfferingDeflate(port);
        raw.write(RawSocket.masked(0x42, compressedZeros(INFLATED)));
        long sent = System.nanoTime();
        RawSocket.Frame close = raw.readFrame();
        long waited = Duration.ofNanos(System.nanoTime() - sent).toMillis();
        assertEquals(CLOSE, close.b0());
        assertEquals(1008, close.closeCode(), new String(close.payload(), StandardCharsets.UTF_8));
        assertTrue(waited >= 400, "closed after " + waited + " ms, before the timeout");
        raw.expectEof();
        awaitHeld(budget, 0);
    }

    @Test
    void aSlowMessageThatKeepsArrivingIsNotCutShort() throws Exception {
        int port = start(new MessageBudget(64 * MIB), Duration.ofMillis(500));
        RawSocket raw = open(port);
        byte[] piece = "0123456789".getBytes(StandardCharsets.US_ASCII);
        raw.write(RawSocket.masked(0x01, piece));
        for (int i = 0; i < 5; i++) {
            // Together longer than the timeout, each gap shorter: the clock restarts with every byte.
            Thread.sleep(250);
            raw.write(RawSocket.masked(0x00, piece));
        }
        raw.write(RawSocket.masked(0x80, piece));
        RawSocket.Frame echo = raw.readFrame();
        assertEquals(0x81, echo.b0());
        assertEquals("0123456789".repeat(7), new String(echo.payload(), StandardCharsets.US_ASCII));
    }

    /** @return raw DEFLATE (RFC 7692 §7.2.1) of that many zero bytes, ended with a sync flush */
    static byte[] compressedZeros(int size) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(new byte[size]);
        byte[] out = new byte[64 << 10];
        int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        deflater.end();
        return Arrays.copyOf(out, n);
    }

    private RawSocket open(int port) throws Exception {
        RawSocket raw = RawSocket.connect(port);
        sockets.add(raw);
        return raw.open("/");
    }

    private RawSocket openOfferingDeflate(int port) throws Exception {
        RawSocket raw = RawSocket.connect(port);
        sockets.add(raw);
        raw.write(RawSocket.upgrade("/", "Sec-WebSocket-Extensions: permessage-deflate\r\n"));
        String head = raw.readHead();
        assertTrue(head.contains("permessage-deflate"), head);
        return raw;
    }

    private static void awaitHeld(MessageBudget budget, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (budget.held() != expected && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        assertEquals(expected, budget.held(), budget.toString());
    }
}
