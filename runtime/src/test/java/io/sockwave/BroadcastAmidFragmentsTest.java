package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A broadcast to a session in the middle of a fragmented message of its own is accounted for as a topic's message
 * is: the message waits behind the open message (RFC 6455 §5.4), counted in the session's queued bytes, and it and
 * the session's own fragments of that message never cost each other their room under the outbound limit, whichever
 * is counted first. Off the session's loop the broadcast is counted on the caller's thread and held on the loop
 * later: a fragment counted in between was judged with the broadcast's bytes, and refused, and a broadcast made
 * while a fragment was on its way to the loop was judged with the fragment's, and skipped. Read as frames by a raw
 * socket; each message accepted arrives, and the queued bytes come back to 0.
 */
@Timeout(60)
class BroadcastAmidFragmentsTest {
    private static final int FIN_TEXT = 0x81;
    private static final int TEXT_FIRST = 0x01;
    private static final int CONTINUATION = 0x00;
    private static final int FIN_CONTINUATION = 0x80;
    private static final int LIMIT = 4096;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ExecutorService otherThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() throws Exception {
        otherThread.shutdownNow();
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    /** The broadcast is counted and on its way when the last fragment is counted: the fragment must not pay for it. */
    @Test
    void aLastFragmentSentWhileABroadcastIsOnItsWayIsNotRefusedForIt() throws Exception {
        FragmentingMember member = member();
        member.session().sendText("one-", false);
        member.expect(TEXT_FIRST, "one-");
        String broadcast = "b".repeat(3000);
        String end = "e".repeat(2000);
        BroadcastResult result;
        CompletableFuture<Void> last;
        try (AutoCloseable held = member.holdLoop()) {
            result = Server.broadcast(List.of(member.session()), broadcast);
            last = member.session().sendText(end, true);
        }

        assertEquals(1, result.queued(), result.skipped().toString());
        last.get(10, TimeUnit.SECONDS);
        member.expect(FIN_CONTINUATION, end);
        member.expect(FIN_TEXT, broadcast);
        assertEquals(0, member.queuedBytesOnceWritten());
    }

    /** A fragment is counted and on its way when the broadcast is: the broadcast, held behind it, must not pay for it. */
    @Test
    void aBroadcastMadeWhileAFragmentIsOnItsWayIsNotSkippedForIt() throws Exception {
        FragmentingMember member = member();
        member.session().sendText("one-", false);
        member.expect(TEXT_FIRST, "one-");
        String middle = "m".repeat(3000);
        String broadcast = "b".repeat(2000);
        BroadcastResult result;
        CompletableFuture<Void> sent;
        try (AutoCloseable held = member.holdLoop()) {
            sent = member.session().sendText(middle, false);
            result = Server.broadcast(List.of(member.session()), broadcast);
        }
        sent.get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> last = member.session().sendText("end", true);

        assertEquals(1, result.queued(), result.skipped().toString());
        last.get(10, TimeUnit.SECONDS);
        member.expect(CONTINUATION, middle);
        member.expect(FIN_CONTINUATION, "end");
        member.expect(FIN_TEXT, broadcast);
        assertEquals(0, member.queuedBytesOnceWritten());
    }

    /**
     * A broadcast and then the member's last fragment, at the outbound limit's boundary: each fits under the limit,
     * the two together do not. Made from the loop's thread, or from the test's and another (the broadcast on one,
     * the fragment on the other once the broadcast returned, or both on one), with the loop now and then getting to
     * the broadcast while the fragment is being counted: both are always accepted, and the broadcast always follows
     * the fragmented message. Randomized in sizes, threads and timing; bounded in rounds and time.
     */
    @Test
    void aBroadcastAndALastFragmentNeverCostEachOtherTheirRoom() throws Exception {
        FragmentingMember member = member();
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
        int rounds = 0;
        for (; rounds < 200 && System.nanoTime() - deadline < 0; rounds++) {
            int held = random.nextInt(LIMIT / 2, LIMIT - 64);
            int last = random.nextInt(LIMIT - held + 1, LIMIT - 64 - 14);
            String first = "round " + rounds + ": ";
            String message = "b".repeat(held);
            String end = "e".repeat(last);
            int way = random.nextInt(4);
            String context = "seed " + seed + ", round " + rounds + ", way " + way;
            CompletableFuture<BroadcastResult> result = new CompletableFuture<>();
            CompletableFuture<CompletableFuture<Void>> sent = new CompletableFuture<>();
            int spin = random.nextInt(3) == 0 ? random.nextInt(20_000) : 0;
            switch (way) {
                case 0 -> member.onLoop(session -> {
                    session.sendText(first, false);
                    result.complete(Server.broadcast(List.of(session), message));
                    sent.complete(session.sendText(end, true));
                });
                case 1 -> {
                    member.session().sendText(first, false);
                    result.complete(Server.broadcast(List.of(member.session()), message));
                    spin(spin);
                    sent.complete(member.session().sendText(end, true));
                }
                case 2 -> {
                    member.session().sendText(first, false);
                    otherThread.execute(() -> result.complete(Server.broadcast(List.of(member.session()), message)));
                    result.get(10, TimeUnit.SECONDS);
                    spin(spin);
                    sent.complete(member.session().sendText(end, true));
                }
                default -> {
                    member.session().sendText(first, false);
                    result.complete(Server.broadcast(List.of(member.session()), message));
                    otherThread.execute(() -> {
                        spin(spin);
                        sent.complete(member.session().sendText(end, true));
                    });
                }
            }
            try {
                BroadcastResult broadcast = result.get(10, TimeUnit.SECONDS);
                assertEquals(1, broadcast.queued(), broadcast.skipped().toString());
                sent.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
                member.expect(TEXT_FIRST, first);
                member.expect(FIN_CONTINUATION, end);
                member.expect(FIN_TEXT, message);
            } catch (Exception | AssertionError e) {
                throw new AssertionError(context + ": both accepted, the fragments and then the broadcast", e);
            }
            assertEquals(0, member.queuedBytesOnceWritten(), context);
        }
        assertTrue(rounds >= 20, "only " + rounds + " rounds in 25 s");
    }

    private static void spin(int times) {
        for (int i = 0; i < times; i++) {
            Thread.onSpinWait();
        }
    }

    private FragmentingMember member() throws Exception {
        return FragmentingMember.connect(Server.builder().outboundBuffer(512, 2048, LIMIT)
                .outboundLimitPolicy(OutboundLimitPolicy.FAIL_SEND), resources);
    }
}
