package io.sockwave.protocol;

import static io.sockwave.protocol.Frames.BINARY;
import static io.sockwave.protocol.Frames.CONTINUATION;
import static io.sockwave.protocol.Frames.PING;
import static io.sockwave.protocol.Frames.PONG;
import static io.sockwave.protocol.Frames.TEXT;
import static io.sockwave.protocol.Frames.clientFragment;
import static io.sockwave.protocol.Frames.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6455 §5.4: fragmentation, on the way in and on the way out. */
class Section5_4FragmentationTest {
    private static final int MIB = 1 << 20;

    @Test
    void fragmentsAreAssembledIntoOneMessage() {
        List<Event> events = Peer.server().receive(Frames.concat(
                clientFragment(false, TEXT, utf8("frag")),
                clientFragment(false, CONTINUATION, utf8("men")),
                clientFragment(true, CONTINUATION, utf8("ted"))));

        assertEquals(List.of(new Event.Text("fragmented")), events);
    }

    @Test
    void aCodePointMaySpanFragments() {
        byte[] euro = utf8("€");

        List<Event> events = Peer.server().receive(Frames.concat(
                clientFragment(false, TEXT, new byte[] {euro[0]}),
                clientFragment(false, CONTINUATION, new byte[] {euro[1]}),
                clientFragment(true, CONTINUATION, new byte[] {euro[2]})));

        assertEquals(List.of(new Event.Text("€")), events);
    }

    @Test
    void emptyFragmentsAreAllowed() {
        List<Event> events = Peer.server().receive(Frames.concat(
                clientFragment(false, BINARY, new byte[0]),
                clientFragment(false, CONTINUATION, new byte[] {1}),
                clientFragment(true, CONTINUATION, new byte[0])));

        assertEquals(List.of(new Event.Binary(ByteBuffer.wrap(new byte[] {1}))), events);
    }

    @ParameterizedTest(name = "FIN={0}")
    @ValueSource(booleans = {true, false})
    void continuationWithNothingToContinueIs1002(boolean fin) {
        Peer server = Peer.server();

        List<Event> events = server.receive(clientFragment(fin, CONTINUATION, utf8("orphan")));

        assertEquals(List.of(new Event.Failure(CloseCode.PROTOCOL_ERROR,
                "continuation frame with no message to continue")), events);
        assertEquals(CloseCode.PROTOCOL_ERROR, server.output().get(0).closeCode());
    }

    @Test
    void continuationAfterACompletedMessageIs1002() {
        List<Event> events = Peer.server().receive(Frames.concat(
                Frames.client(TEXT, utf8("done")), clientFragment(true, CONTINUATION, utf8("more"))));

        assertEquals(List.of(new Event.Text("done"), new Event.Failure(CloseCode.PROTOCOL_ERROR,
                "continuation frame with no message to continue")), events);
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {TEXT, BINARY})
    void newDataFrameInsideAFragmentedMessageIs1002(int opcode) {
        Peer server = Peer.server();

        List<Event> events = server.receive(Frames.concat(
                clientFragment(false, TEXT, utf8("begun")), Frames.client(opcode, utf8("intruder"))));

        assertEquals(List.of(new Event.Failure(CloseCode.PROTOCOL_ERROR,
                "new data frame inside a fragmented message")), events);
    }

    @Test
    void controlFramesMayBeInjectedBetweenFragments() {
        Peer server = Peer.server();

        List<Event> events = server.receive(Frames.concat(
                clientFragment(false, TEXT, utf8("hel")),
                Frames.client(PING, utf8("p1")),
                clientFragment(false, CONTINUATION, utf8("lo ")),
                Frames.client(PONG, utf8("p2")),
                clientFragment(true, CONTINUATION, utf8("world"))));

        assertEquals(List.of(new Event.Ping(ByteBuffer.wrap(utf8("p1"))), new Event.Pong(ByteBuffer.wrap(utf8("p2"))),
                new Event.Text("hello world")), events);
        List<Frames.Decoded> out = server.output();
        assertEquals(1, out.size());
        assertEquals(PONG, out.get(0).opcode());
        assertArrayEquals(utf8("p1"), out.get(0).payload());
    }

    @Test
    void closeBetweenFragmentsEndsTheConnectionAndDropsThePartialMessage() {
        Peer server = Peer.server();

        List<Event> events = server.receive(Frames.concat(
                clientFragment(false, TEXT, utf8("never")),
                Frames.client(Frames.CLOSE, Frames.closePayload(1001, new byte[0])),
                clientFragment(true, CONTINUATION, utf8(" finished"))));

        assertEquals(List.of(new Event.Close(1001, "")), events);
        assertEquals(State.CLOSED, server.state());
    }

    @Test
    void sixteenMebibyteMessageInSixtyFourByteFragmentsFitsASixteenMebibyteLimit() {
        byte[] message = Frames.pattern(16 * MIB);
        Peer server = Peer.server(Limits.DEFAULTS.withMaxMessageSize(16 * MIB));

        List<Event> events = server.receive(fragmented(message, 64));

        assertEquals(1, events.size());
        assertArrayEquals(message, Frames.toArray(((Event.Binary) events.get(0)).data()));
    }

    @Test
    void oneByteLowerLimitFails1009AtTheHeaderOfTheFragmentThatWouldCrossIt() {
        byte[] message = Frames.pattern(16 * MIB);
        byte[] frames = fragmented(message, 64);
        int lastFrame = frames.length - (64 + 6);
        Peer server = Peer.server(Limits.DEFAULTS.withMaxMessageSize(16 * MIB - 1));

        assertEquals(List.of(), server.receive(Arrays.copyOf(frames, lastFrame + 5)));
        List<Event> events = server.receive(new byte[] {frames[lastFrame + 5]});

        assertEquals(List.of(new Event.Failure(CloseCode.MESSAGE_TOO_BIG,
                "message of 16777216 bytes exceeds the limit of 16777215")), events);
        assertEquals(CloseCode.MESSAGE_TOO_BIG, server.output().get(0).closeCode());
    }

    @Test
    void assemblerNeverHoldsMoreThanTheLimitWhileSixtyFourByteFragmentsArrive() {
        int limit = 16 * MIB;
        MessageAssembler assembler = new MessageAssembler(limit);
        assembler.begin(false);
        byte[] piece = Frames.pattern(64);
        int maxHeld = 0;

        for (int written = 0; written < limit; written += 64) {
            assembler.write(piece, 0, 64);
            maxHeld = Math.max(maxHeld, assembler.held());
            assertTrue(assembler.held() <= limit, "holds " + assembler.held() + " bytes for a limit of " + limit);
            assertTrue(assembler.held() <= Math.max(MessageAssembler.INITIAL_CAPACITY, 2 * (written + 64)),
                    "grew past twice what arrived");
        }

        assertEquals(limit, maxHeld);
        assertThrows(MessageTooBigException.class, () -> assembler.write(piece, 0, 1));
        assertEquals(limit, assembler.takeBytes().length);
        assertEquals(0, assembler.held(), "the array is released once the message is handed over");
    }

    @Test
    void assemblerGrowsOnlyToTheAnnouncedEndOfTheMessage() {
        MessageAssembler assembler = new MessageAssembler(16 * MIB);
        assembler.begin(false);
        assembler.write(new byte[5000], 0, 5000);
        assertEquals(5000, assembler.held(), "a first piece larger than the initial capacity is held exactly");
        assembler.expectEnd(5000 + 3000);

        assembler.write(new byte[2000], 0, 2000);

        assertEquals(8000, assembler.held(), "capped at the announced end, not doubled to 10000");
    }

    @Test
    void messageWhoseEndIsKnownGetsOneExactArrayHoweverItsBytesArrive() {
        MessageAssembler assembler = new MessageAssembler(16 * MIB);
        assembler.begin(false);
        assembler.expectEnd(100);

        for (int i = 0; i < 10; i++) {
            assembler.write(new byte[10], 0, 10);
            assertEquals(100, assembler.held());
        }
        byte[] message = assembler.takeBytes();

        assertEquals(100, message.length);
    }

    @Test
    void unannouncedEndStartsSmallRatherThanAtTheLimit() {
        MessageAssembler assembler = new MessageAssembler(16 * MIB);
        assembler.begin(false);

        assembler.write(new byte[10], 0, 10);

        assertEquals(MessageAssembler.INITIAL_CAPACITY, assembler.held());
    }

    @Test
    void streamingDeliversPiecesAsTheyArriveAndTheirConcatenationIsTheMessage() {
        byte[] message = Frames.pattern(1000);
        Peer server = new Peer(ConnectionConfig.of(Role.SERVER).withStreaming(true));

        List<Event> events = server.receive(fragmented(message, 300));

        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < events.size(); i++) {
            Event.Fragment piece = (Event.Fragment) events.get(i);
            assertEquals(Opcode.BINARY, piece.type());
            assertEquals(i == events.size() - 1, piece.last());
            joined.writeBytes(Frames.toArray(piece.data()));
        }
        assertEquals(4, events.size());
        assertArrayEquals(message, joined.toByteArray());
    }

    @Test
    void streamedTextPiecesAreValidatedAsTheyArrive() {
        Peer server = new Peer(ConnectionConfig.of(Role.SERVER).withStreaming(true));

        List<Event> first = server.receive(clientFragment(false, TEXT, utf8("ok")));
        List<Event> second = server.receive(clientFragment(false, CONTINUATION, Frames.bytes(0xC0)));

        assertEquals(List.of(new Event.Fragment(Opcode.TEXT, ByteBuffer.wrap(utf8("ok")), false)), first);
        assertEquals(List.of(new Event.Failure(CloseCode.INVALID_PAYLOAD_DATA, "invalid UTF-8 in text")), second);
    }

    // ------------------------------------------------------------------ sending fragments

    @Test
    void sentFragmentsStartWithTheTypeAndContinueWithContinuationFrames() {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));

        Frames.Decoded first = Frames.decode(server.sendFragment(Opcode.TEXT, ByteBuffer.wrap(utf8("a")), false));
        Frames.Decoded ping = Frames.decode(server.ping(ByteBuffer.wrap(utf8("between"))));
        Frames.Decoded middle = Frames.decode(server.sendFragment(Opcode.TEXT, ByteBuffer.wrap(utf8("b")), false));
        Frames.Decoded last = Frames.decode(server.sendFragment(Opcode.TEXT, ByteBuffer.wrap(utf8("c")), true));
        Frames.Decoded next = Frames.decode(server.sendBinary(ByteBuffer.wrap(new byte[] {1})));

        assertEquals(List.of(TEXT, PING, CONTINUATION, CONTINUATION, BINARY),
                List.of(first.opcode(), ping.opcode(), middle.opcode(), last.opcode(), next.opcode()));
        assertFalse(first.fin());
        assertTrue(ping.fin());
        assertFalse(middle.fin());
        assertTrue(last.fin());
        assertArrayEquals(utf8("c"), last.payload());
    }

    @Test
    void anotherMessageCannotStartWhileAFragmentedOneIsInProgress() {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));
        server.sendFragment(Opcode.BINARY, ByteBuffer.allocate(1), false);

        assertThrows(IllegalStateException.class, () -> server.sendText("x"));
        assertThrows(IllegalStateException.class, () -> server.sendBinary(ByteBuffer.allocate(1)));
        assertThrows(IllegalStateException.class, () -> server.sendFragment(Opcode.TEXT, ByteBuffer.allocate(1), true));
        assertThrows(IllegalArgumentException.class,
                () -> server.sendFragment(Opcode.CONTINUATION, ByteBuffer.allocate(1), true));
        assertEquals(CONTINUATION,
                Frames.decode(server.sendFragment(Opcode.BINARY, ByteBuffer.allocate(1), true)).opcode());
    }

    @Test
    void sentFragmentsAreReassembledByThePeer() {
        Connection client = new Connection(ConnectionConfig.of(Role.CLIENT));
        Peer server = Peer.server();

        byte[] wire = Frames.concat(
                Frames.toArray(client.sendFragment(Opcode.TEXT, ByteBuffer.wrap(utf8("Hel")), false)),
                Frames.toArray(client.sendFragment(Opcode.TEXT, ByteBuffer.wrap(utf8("lo")), true)));

        assertEquals(List.of(new Event.Text("Hello")), server.receive(wire));
    }

    @Test
    void textMayBeCutIntoFragmentsAtAnyCharEvenInsideASurrogatePair() {
        // §5.6 and §5.4: text is UTF-8 across the whole message; a pair cut between two fragments is sent whole.
        String text = "a😀b€😀";
        for (int cut = 0; cut <= text.length(); cut++) {
            Connection client = new Connection(ConnectionConfig.of(Role.CLIENT));
            byte[] wire = Frames.concat(
                    Frames.toArray(client.sendFragment(text.substring(0, cut), false)),
                    Frames.toArray(client.sendFragment(new StringBuilder(text.substring(cut)), true)));

            assertEquals(List.of(new Event.Text(text)), Peer.server().receive(wire), "cut at " + cut);
        }
    }

    @Test
    void textFragmentsWithAnUnpairedSurrogateAreRefusedAndSendNothing() {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));
        assertThrows(IllegalArgumentException.class, () -> server.sendFragment("lone \uDC00 low", false));
        server.sendFragment("ok \uD83D", false);
        // The held high surrogate must meet a low one.
        assertThrows(IllegalArgumentException.class, () -> server.sendFragment("no low", true));
        assertThrows(IllegalArgumentException.class, () -> server.sendFragment("", true));
        Frames.Decoded end = Frames.decode(server.sendFragment("\uDE00!", true));
        assertEquals(CONTINUATION, end.opcode());
        assertArrayEquals(utf8("😀!"), end.payload());
        // A high surrogate cannot end the last fragment.
        assertThrows(IllegalArgumentException.class, () -> server.sendFragment("end \uD83D", true));
    }

    @Test
    void aHighSurrogateWaitingForItsLowHalfNeitherLeaksIntoBytesNorIntoTheNextMessage() {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));
        server.sendFragment("a\uD83D", false);
        // Bytes cannot complete a pair held as a char: refused, and nothing is sent.
        assertThrows(IllegalArgumentException.class,
                () -> server.sendFragment(Opcode.TEXT, ByteBuffer.wrap(utf8("b")), true));
        Frames.Decoded end = Frames.decode(server.sendFragment("\uDE00", true));
        assertTrue(end.fin());
        assertArrayEquals(utf8("😀"), end.payload());
        // The next message starts clean.
        assertArrayEquals(utf8("x"), Frames.decode(server.sendFragment("x", true)).payload());
    }

    /** The message as masked client frames of {@code size} bytes each, the last one possibly shorter. */
    static byte[] fragmented(byte[] message, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + message.length / size * 6 + 16);
        for (int at = 0; at < message.length; at += size) {
            int n = Math.min(size, message.length - at);
            out.writeBytes(clientFragment(at + n == message.length, at == 0 ? BINARY : CONTINUATION,
                    Arrays.copyOfRange(message, at, at + n)));
        }
        return out.toByteArray();
    }
}
