package io.sockwave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A member in the middle of sending a fragmented message of its own when a message is published to its topic, or
 * broadcast to it, gets that message right after the fragmented message's last frame: no data frame of another
 * message may go between a message's fragments (RFC 6455 §5.4), and none may be lost. Until then the message is
 * held, counted in the member's queued bytes, so the outbound limit and its policy apply to it as to a send, while
 * the member's own fragments are not refused for it. Read as frames by a raw socket.
 */
@Timeout(30)
class TopicFragmentedMessageTest {
    private static final int FIN_TEXT = 0x81;
    private static final int TEXT_FIRST = 0x01;
    private static final int FIN_CONTINUATION = 0x80;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void aMessagePublishedAmidAMembersFragmentedMessageFollowsItsLastFragment() throws Exception {
        Topic topic = new Topic("amid fragments");
        FragmentingMember member = member(Server.builder());
        topic.add(member.session());
        member.session().sendText("one-", false);
        topic.publishText("published");
        CompletableFuture<Void> last = member.session().sendText("two", true);
        member.session().sendText("after");

        member.expect(TEXT_FIRST, "one-");
        member.expect(FIN_CONTINUATION, "two");
        member.expect(FIN_TEXT, "published");
        member.expect(FIN_TEXT, "after");
        last.get(10, TimeUnit.SECONDS);
    }

    /** The same published by the member's event loop, which holds it until the end of the turn or the next send. */
    @Test
    void aMessagePublishedOnTheLoopAmidAMembersFragmentedMessageFollowsItsLastFragment() throws Exception {
        Topic topic = new Topic("amid fragments, on the loop");
        FragmentingMember member = member(Server.builder());
        topic.add(member.session());
        member.onLoop(session -> {
            session.sendText("one-", false);
            topic.publishText("first");
            topic.publishText("second");
            session.sendText("two", true);
            session.sendText("after");
        });

        member.expect(TEXT_FIRST, "one-");
        member.expect(FIN_CONTINUATION, "two");
        member.expect(FIN_TEXT, "first");
        member.expect(FIN_TEXT, "second");
        member.expect(FIN_TEXT, "after");
    }

    /** A broadcast queues behind the fragmented message as a publish does, and counts the session as queued. */
    @Test
    void aBroadcastAmidASessionsFragmentedMessageFollowsItsLastFragment() throws Exception {
        FragmentingMember member = member(Server.builder());
        member.session().sendText("one-", false);
        BroadcastResult offLoop = Server.broadcast(List.of(member.session()), "from another thread");
        CompletableFuture<BroadcastResult> onLoop = new CompletableFuture<>();
        member.onLoop(session -> onLoop.complete(Server.broadcast(List.of(session), "from the loop")));
        assertEquals(1, onLoop.get(10, TimeUnit.SECONDS).queued(), onLoop.get().skipped().toString());
        member.session().sendText("two", true);

        assertEquals(1, offLoop.queued(), offLoop.skipped().toString());
        member.expect(TEXT_FIRST, "one-");
        member.expect(FIN_CONTINUATION, "two");
        member.expect(FIN_TEXT, "from another thread");
        member.expect(FIN_TEXT, "from the loop");
    }

    /**
     * Held messages count against the outbound limit: one that would take the member past it misses the message
     * (FAIL_SEND), as its own send would fail. The member's own last fragment is not refused for the bytes held
     * behind it, which could never leave before it.
     */
    @Test
    void aHeldMessagePastTheOutboundLimitIsMissedUnderFailSend() throws Exception {
        FragmentingMember member = member(Server.builder().outboundBuffer(100, 500, 1000)
                .outboundLimitPolicy(OutboundLimitPolicy.FAIL_SEND));
        Topic topic = new Topic("limited");
        topic.add(member.session());
        member.session().sendText("one-", false);
        String held = "h".repeat(600);
        topic.publishText(held);
        topic.publishText("missed" + "m".repeat(594));
        // The limit is checked for each send as it is made, for a publish as the loop hands it out: once the held
        // message is counted, the last fragment is sent as the member's queue stands then.
        member.awaitQueued(held.length());
        String end = "e".repeat(500);
        CompletableFuture<Void> last = member.session().sendText(end, true);

        last.get(10, TimeUnit.SECONDS);
        member.expect(TEXT_FIRST, "one-");
        member.expect(FIN_CONTINUATION, end);
        member.expect(FIN_TEXT, held);
        assertEquals(0, member.queuedBytesOnceWritten(), "bytes counted once all was written");
        // Nothing of the missed message follows.
        member.session().sendText("after");
        member.expect(FIN_TEXT, "after");
    }

    /** Under CLOSE, a held message past the limit closes the member with 1008 instead; nothing held is sent. */
    @Test
    void aHeldMessagePastTheOutboundLimitClosesTheMemberUnderClose() throws Exception {
        FragmentingMember member = member(Server.builder().outboundBuffer(100, 500, 1000)
                .outboundLimitPolicy(OutboundLimitPolicy.CLOSE));
        Topic topic = new Topic("limited, closing");
        topic.add(member.session());
        member.session().sendText("one-", false);
        topic.publishText("h".repeat(600));
        topic.publishText("m".repeat(600));

        RawSocket.Frame frame = member.socket().readFrame();
        for (int frames = 0; frames < 3 && frame.opcode() != 0x8; frames++) {
            assertEquals(TEXT_FIRST, frame.b0(), "only the open message's first fragment before the close");
            frame = member.socket().readFrame();
        }
        assertEquals(0x8, frame.opcode(), "a close frame");
        assertEquals(1008, frame.closeCode());
    }

    /**
     * The exact bound on what a member amid a fragmented message of its own queues: the messages held behind that
     * message fill the outbound limit (the second, a broadcast, is skipped as {@code OUTBOUND_LIMIT} once they do, and
     * a publish is missed), and the member's own fragments fill it too (one more is refused), so the session queues
     * more than its limit and no more than twice it. Made on the loop, within one turn, so that nothing is written
     * meanwhile. The bound cannot be the limit itself: held messages that took the room a fragment is entitled to
     * would have to be dropped, though a broadcast counted them as queued, or the fragment refused, and with it the
     * end of the message the held ones wait for.
     */
    @Test
    void aMemberAmidItsFragmentedMessageQueuesAtMostTwiceItsLimit() throws Exception {
        int limit = 4096;
        FragmentingMember member = member(Server.builder().outboundBuffer(512, 2048, limit)
                .outboundLimitPolicy(OutboundLimitPolicy.FAIL_SEND));
        Topic topic = new Topic("twice the limit");
        topic.add(member.session());
        String held = "h".repeat(3000);
        String broadcast = "b".repeat(1000);
        String middle = "m".repeat(4000);
        List<Object> seen = new ArrayList<>();
        member.onLoop(session -> {
            session.sendText("one-", false);
            topic.publishText(held);
            seen.add(Server.broadcast(List.of(session), broadcast).queued());
            seen.add(session.sendText(middle, false).isCompletedExceptionally());
            seen.add(session.queuedBytes());
            seen.add(Server.broadcast(List.of(session), "skipped").skipped());
            topic.publishText("missed");
            seen.add(session.sendText("r".repeat(200), false).handle((sent, failed) -> failed).getNow(null));
        });

        assertEquals(5, seen.size(), seen.toString());
        assertEquals(1, seen.get(0), "the broadcast held behind the first fragment, with the published message");
        assertEquals(false, seen.get(1), "the fragment within the limit without the held messages");
        long queued = (long) seen.get(2);
        assertTrue(queued > limit && queued <= 2L * limit, queued + " bytes queued");
        List<?> skipped = (List<?>) seen.get(3);
        assertEquals(1, skipped.size(), seen.toString());
        assertEquals(BroadcastResult.Reason.OUTBOUND_LIMIT, ((BroadcastResult.Skipped) skipped.get(0)).reason());
        assertTrue(seen.get(4) instanceof OutboundLimitExceededException, String.valueOf(seen.get(4)));
        // Once the turn wrote the fragments, the last one is taken, and the held messages follow it.
        member.expect(TEXT_FIRST, "one-");
        member.expect(0x00, middle);
        CompletableFuture<Void> last = member.session().sendText("two", true);
        member.expect(FIN_CONTINUATION, "two");
        member.expect(FIN_TEXT, held);
        member.expect(FIN_TEXT, broadcast);
        last.get(10, TimeUnit.SECONDS);
        member.session().sendText("after");
        member.expect(FIN_TEXT, "after");
        assertEquals(0, member.queuedBytesOnceWritten());
    }

    /**
     * A publish and the member's last fragment sent right after it, at the outbound limit's boundary: each fits
     * under the limit, the two together do not. The publish came first, so its message is held behind the open
     * message and the fragment is not refused for it; which of the loop (handing the message out) and the sender
     * (reserving the fragment's room) counts first must not change that. It did: a last fragment counted before the
     * loop handed the message out took the room, and the member missed a message published before it. Randomized in
     * sizes, threads and timing; bounded in rounds and time.
     */
    @Test
    void aLastFragmentSentRightAfterAPublishNeverCostsTheMemberTheHeldMessage() throws Exception {
        int limit = 4096;
        FragmentingMember member = member(Server.builder().outboundBuffer(512, 2048, limit)
                .outboundLimitPolicy(OutboundLimitPolicy.FAIL_SEND));
        Topic topic = new Topic("at the limit's boundary");
        topic.add(member.session());
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int rounds = 0;
        for (; rounds < 150 && System.nanoTime() - deadline < 0; rounds++) {
            String context = "seed " + seed + ", round " + rounds;
            // Room for the first fragment and a frame header besides each; the two sizes together past the limit.
            int held = random.nextInt(limit / 2, limit - 64);
            int last = random.nextInt(limit - held + 1, limit - 64 - 14);
            String first = "round " + rounds + ": ";
            String message = "h".repeat(held);
            String end = "e".repeat(last);
            CompletableFuture<Void> sent;
            if (random.nextBoolean()) {
                List<CompletableFuture<Void>> onLoop = new ArrayList<>();
                member.onLoop(session -> {
                    session.sendText(first, false);
                    topic.publishText(message);
                    onLoop.add(session.sendText(end, true));
                });
                sent = onLoop.get(0);
            } else {
                member.session().sendText(first, false);
                topic.publishText(message);
                // Now and then the loop gets to hand the message out while the fragment is being counted.
                for (int spin = random.nextInt(4) == 0 ? random.nextInt(20_000) : 0; spin > 0; spin--) {
                    Thread.onSpinWait();
                }
                sent = member.session().sendText(end, true);
            }
            try {
                sent.get(10, TimeUnit.SECONDS);
                member.expect(TEXT_FIRST, first);
                member.expect(FIN_CONTINUATION, end);
                member.expect(FIN_TEXT, message);
            } catch (Exception | AssertionError e) {
                throw new AssertionError(context + ": the fragments and then the held message", e);
            }
            assertEquals(0, member.queuedBytesOnceWritten(), context);
        }
        assertTrue(rounds >= 20, "only " + rounds + " rounds in 20 s");
    }

    private FragmentingMember member(Server.Builder builder) throws Exception {
        return FragmentingMember.connect(builder, resources);
    }
}
