package io.sockwave.protocol;

import static io.sockwave.protocol.Frames.BINARY;
import static io.sockwave.protocol.Frames.CONTINUATION;
import static io.sockwave.protocol.Frames.TEXT;
import static io.sockwave.protocol.Frames.bigEndian;
import static io.sockwave.protocol.Frames.clientFragment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.testsupport.AllocatedBytes;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 6455 §10.4: "implementations SHOULD impose implementation-specific limits on frame sizes and the total message
 * size after reassembly". Exceeding one fails the connection with 1009 (§7.4.1) as soon as the announced length
 * shows it, before any of the payload is buffered.
 */
class Section10_4LimitsTest {
    private static final Limits SMALL = Limits.DEFAULTS.withMaxMessageSize(1000).withMaxFrameSize(100);

    @ParameterizedTest(name = "announced {0} bytes")
    @ValueSource(longs = {101, 65536, 1L << 31, Long.MAX_VALUE})
    void frameOverTheLimitFailsRightAfterItsHeader(long announced) {
        Peer server = Peer.server(SMALL);
        byte[] header = header(0x82, announced);

        for (int i = 0; i < header.length - 1; i++) {
            assertEquals(List.of(), server.receive(new byte[] {header[i]}), "no verdict before the header is whole");
        }
        List<Event> events = server.receive(new byte[] {header[header.length - 1]});

        assertEquals(List.of(new Event.Failure(CloseCode.MESSAGE_TOO_BIG,
                "frame of " + announced + " bytes exceeds the limit of 100")), events);
        assertEquals(CloseCode.MESSAGE_TOO_BIG, server.output().get(0).closeCode());
        assertTrue(server.connection.shouldCloseTransport());
    }

    @Test
    void frameAtTheLimitIsAccepted() {
        byte[] payload = Frames.pattern(100);

        List<Event> events = Peer.server(SMALL).receive(Frames.client(BINARY, payload));

        assertEquals(List.of(new Event.Binary(ByteBuffer.wrap(payload))), events);
    }

    /**
     * The frame limit guards data; a control frame is bounded by §5.5 (125 bytes) whatever the limit says. A frame
     * limit below that, which a small message limit sets, must not fail a peer's valid ping (§5.5.2 owes it a pong)
     * or its close (§5.5.1 owes it the echo of its code) with 1009.
     */
    @Test
    void controlFramesOverASmallFrameLimitAreStillTheirOwnSection5_5() {
        Peer server = Peer.server(Limits.DEFAULTS.withMaxMessageSize(10));
        byte[] ping = Frames.pattern(125);
        byte[] reason = "a reason longer than the frame limit".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        List<Event> events = server.receive(Frames.concat(Frames.client(Frames.PING, ping),
                Frames.client(Frames.CLOSE, Frames.closePayload(1000, reason))));

        assertEquals(List.of(new Event.Ping(ByteBuffer.wrap(ping)),
                new Event.Close(1000, "a reason longer than the frame limit")), events);
        List<Frames.Decoded> output = server.output();
        assertEquals(Frames.PONG, output.get(0).opcode());
        assertEquals(ByteBuffer.wrap(ping), ByteBuffer.wrap(output.get(0).payload()));
        assertEquals(1000, output.get(1).closeCode());
        assertEquals(State.CLOSED, server.state());
    }

    @Test
    void aDataFrameOverTheSameSmallLimitStillFailsWith1009() {
        List<Event> events = Peer.server(Limits.DEFAULTS.withMaxMessageSize(10))
                .receive(Frames.client(BINARY, new byte[11]));

        assertEquals(List.of(new Event.Failure(CloseCode.MESSAGE_TOO_BIG,
                "frame of 11 bytes exceeds the limit of 10")), events);
    }

    @Test
    void aHugeAnnouncedFrameAllocatesNothingOfItsSize() {
        // With 2 GiB limits the frame is allowed; a decoder that reserved the announced payload up front would
        // allocate 2 GiB here. The first run warms up class loading so that it is not counted.
        Limits generous = Limits.DEFAULTS.withMaxMessageSize(Integer.MAX_VALUE).withMaxFrameSize(Integer.MAX_VALUE);
        byte[] frameStart = Frames.concat(header(0x82, Integer.MAX_VALUE - 8), new byte[4096]);
        Peer.server(generous).receive(frameStart);
        Peer server = Peer.server(generous);

        long before = AllocatedBytes.byCurrentThread();
        List<Event> events = server.receive(frameStart);
        long allocated = AllocatedBytes.byCurrentThread() - before;

        assertEquals(List.of(), events, "the frame is allowed; its payload is still arriving");
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes for 4 KiB of a 2 GiB frame");
    }

    @Test
    void messageLimitCountsTheSumOfItsFragments() {
        Peer server = Peer.server(SMALL);
        byte[] ninety = new byte[90];
        for (int i = 0; i < 11; i++) {
            assertEquals(List.of(), server.receive(clientFragment(false, i == 0 ? BINARY : CONTINUATION, ninety)));
        }
        // 990 bytes so far; the next fragment would make 1080.
        byte[] next = header(0x00, 90);

        List<Event> events = server.receive(next);

        assertEquals(List.of(new Event.Failure(CloseCode.MESSAGE_TOO_BIG,
                "message of 1080 bytes exceeds the limit of 1000")), events);
    }

    @Test
    void noAnnouncedLengthCanOverflowTheMessageCount() {
        MessageAssembler assembler = new MessageAssembler(1000);
        assembler.begin(false);
        assembler.write(new byte[10], 0, 10);

        assertThrows(MessageTooBigException.class, () -> assembler.checkRoomFor(Long.MAX_VALUE));
        assertThrows(MessageTooBigException.class, () -> assembler.checkRoomFor(991));
        assembler.checkRoomFor(990);
    }

    @Test
    void limitsAreCheckedWhenMadeAndTheMessageLimitLowersTheFrameLimit() {
        assertEquals("maxFrameSize (100) exceeds maxMessageSize (50)", assertThrows(IllegalArgumentException.class,
                () -> Limits.DEFAULTS.withMaxMessageSize(50).withMaxFrameSize(100)).getMessage());
        assertEquals("maxMessageSize must be positive, was 0", assertThrows(IllegalArgumentException.class,
                () -> Limits.DEFAULTS.withMaxMessageSize(0)).getMessage());
        assertEquals("maxHandshakeHeaders must be positive, was -1", assertThrows(IllegalArgumentException.class,
                () -> Limits.DEFAULTS.withMaxHandshakeHeaders(-1)).getMessage());
        assertEquals(new Limits(50, 50, 8 << 10, 100), Limits.DEFAULTS.withMaxMessageSize(50));
    }

    @Test
    void assemblersSharingABudgetHoldNoMoreThanItTogetherAndGiveBackWhatTheyHeld() {
        MessageBudget budget = new MessageBudget(8 << 10);
        MessageAssembler first = new MessageAssembler(1 << 20, budget, ArrayPool.HEAP, false);
        MessageAssembler second = new MessageAssembler(1 << 20, budget, ArrayPool.HEAP, false);
        first.begin(false);
        second.begin(false);
        first.write(new byte[5000], 0, 5000);
        assertEquals(5000, budget.held(), "an array of the bytes that arrived");

        ProtocolException refused = assertThrows(ProtocolException.class,
                () -> second.write(new byte[5000], 0, 5000));
        assertEquals(CloseCode.MESSAGE_TOO_BIG, refused.closeCode());
        assertEquals(5000, budget.held(), "the refused message holds nothing");

        second.reset();
        first.takeBytes();
        assertEquals(0, budget.held());
    }

    @Test
    void messageExactlyAtTheLimitIsAccepted() {
        Peer server = Peer.server(SMALL);
        for (int i = 0; i < 10; i++) {
            server.receive(clientFragment(false, i == 0 ? TEXT : CONTINUATION, Frames.utf8("x".repeat(99))));
        }

        List<Event> events = server.receive(clientFragment(true, CONTINUATION, Frames.utf8("y".repeat(10))));

        assertEquals(List.of(new Event.Text("x".repeat(990) + "y".repeat(10))), events);
    }

    @Test
    void limitsMustBePositiveAndCoherent() {
        assertThrows(IllegalArgumentException.class, () -> new Limits(0, 10, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new Limits(10, -1, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new Limits(10, 10, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new Limits(10, 10, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new Limits(11, 10, 10, 10));
        assertEquals(new Limits(50, 50, 8192, 100), Limits.DEFAULTS.withMaxMessageSize(50),
                "lowering the message limit lowers the frame limit with it");
        assertEquals(16 << 20, Limits.DEFAULTS.maxFrameSize());
        assertEquals(64 << 20, Limits.DEFAULTS.maxMessageSize());
    }

    /** A masked header announcing {@code length} in its shortest form. */
    private static byte[] header(int first, long length) {
        if (length < 126) {
            return Frames.header(first, true, (int) length, new byte[0]);
        }
        if (length <= 0xFFFF) {
            return Frames.header(first, true, 126, bigEndian(length, 2));
        }
        return Frames.header(first, true, 127, bigEndian(length, 8));
    }
}
