package io.sockwave.protocol;

import static io.sockwave.protocol.Frames.BINARY;
import static io.sockwave.protocol.Frames.CONTINUATION;
import static io.sockwave.protocol.Frames.TEXT;
import static io.sockwave.protocol.Frames.bigEndian;
import static io.sockwave.protocol.Frames.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6455 §5.2: the frame header, its three length forms and its reserved bits and opcodes. */
class Section5_2BaseFramingTest {

    private static Event.Failure protocolError(String reason) {
        return new Event.Failure(CloseCode.PROTOCOL_ERROR, reason);
    }

    /** Asserts the single event is a 1002 failure, a 1002 close frame is owed, and the connection is CLOSED. */
    private static void assertFailedWith1002(Peer peer, List<Event> events, String reason) {
        assertEquals(List.of(protocolError(reason)), events);
        List<Frames.Decoded> out = peer.output();
        assertEquals(1, out.size());
        assertEquals(CloseCode.PROTOCOL_ERROR, out.get(0).closeCode());
        assertEquals(reason, out.get(0).closeReason());
        assertEquals(State.CLOSED, peer.state());
    }

    // ------------------------------------------------------------------ payload length: 7, 7+16, 7+64 bits

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 65537, 100_000})
    void serverReadsEveryLengthForm(int length) {
        byte[] payload = Frames.pattern(length);

        List<Event> events = Peer.server().receive(Frames.client(BINARY, payload));

        assertEquals(List.of(new Event.Binary(ByteBuffer.wrap(payload))), events);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 125, 126, 65535, 65536})
    void everyLengthFormSurvivesAHeaderFedOneByteAtATime(int length) {
        byte[] payload = Frames.pattern(length);
        byte[] frame = Frames.client(BINARY, payload);
        int headerSize = frame.length - length;
        Peer server = Peer.server();

        for (int i = 0; i < headerSize - 1; i++) {
            assertEquals(List.of(), server.receive(new byte[] {frame[i]}));
        }
        assertEquals(List.of(new Event.Binary(ByteBuffer.wrap(payload))),
                server.receive(Arrays.copyOfRange(frame, headerSize - 1, frame.length)));
    }

    @Test
    void encoderWritesTheShortestLengthFormAtEachBoundary() {
        assertArrayEquals(Frames.bytes(0x82, 125), header(125));
        assertArrayEquals(Frames.bytes(0x82, 126, 0x00, 126), header(126));
        assertArrayEquals(Frames.bytes(0x82, 126, 0xFF, 0xFF), header(65535));
        assertArrayEquals(Frames.bytes(0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0), header(65536));
        assertArrayEquals(Frames.bytes(0x82, 127, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF),
                header(Long.MAX_VALUE));
        assertEquals(2, FrameEncoder.headerSize(125, false));
        assertEquals(4, FrameEncoder.headerSize(126, false));
        assertEquals(4, FrameEncoder.headerSize(65535, false));
        assertEquals(10, FrameEncoder.headerSize(65536, false));
        assertEquals(14, FrameEncoder.headerSize(65536, true));
    }

    private static byte[] header(long length) {
        ByteBuffer out = ByteBuffer.allocate(14);
        FrameEncoder.writeHeader(out, true, 0, Opcode.BINARY, length, false, 0);
        return Frames.toArray(out.flip());
    }

    @Test
    void encoderWritesNetworkByteOrderIntoALittleEndianBuffer() {
        ByteBuffer out = ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN);

        FrameEncoder.writeHeader(out, false, 0, Opcode.TEXT, 300, true, 0x01020304);

        assertArrayEquals(Frames.bytes(0x01, 0x80 | 126, 0x01, 0x2C, 1, 2, 3, 4), Frames.toArray(out.flip()));
    }

    @Test
    void encoderRefusesANegativeLength() {
        ByteBuffer out = ByteBuffer.allocate(14);
        assertThrows(IllegalArgumentException.class,
                () -> FrameEncoder.writeHeader(out, true, 0, Opcode.BINARY, -1, false, 0));
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {false, true})
    void decoderReadsNetworkByteOrderFromALittleEndianBuffer(boolean direct) {
        byte[] payload = Frames.pattern(70_000);
        byte[] frame = Frames.client(BINARY, payload);
        ByteBuffer in = (direct ? ByteBuffer.allocateDirect(frame.length) : ByteBuffer.allocate(frame.length))
                .order(ByteOrder.LITTLE_ENDIAN);
        in.put(frame).flip();
        EventQueue events = new EventQueue();

        new Connection(ConnectionConfig.of(Role.SERVER)).receive(in, events);

        assertEquals(List.of(new Event.Binary(ByteBuffer.wrap(payload))), events.drain());
    }

    @Test
    void zeroLengthFramesCarryEmptyMessages() {
        List<Event> events = Peer.server().receive(Frames.concat(
                Frames.client(TEXT, new byte[0]), Frames.client(BINARY, new byte[0])));

        assertEquals(List.of(new Event.Text(""), new Event.Binary(ByteBuffer.allocate(0))), events);
    }

    @Test
    void manyFramesInOneReadAreAllDelivered() {
        List<Event> events = Peer.server().receive(Frames.concat(
                Frames.client(TEXT, utf8("one")), Frames.client(TEXT, utf8("two")),
                Frames.client(BINARY, new byte[] {3})));

        assertEquals(List.of(new Event.Text("one"), new Event.Text("two"),
                new Event.Binary(ByteBuffer.wrap(new byte[] {3}))), events);
    }

    // ------------------------------------------------------------------ the shortest form is required

    @ParameterizedTest(name = "16-bit length {0}")
    @ValueSource(ints = {0, 1, 125})
    void sixteenBitLengthThatFitsSevenBitsIs1002(int length) {
        Peer server = Peer.server();
        byte[] frame = Frames.concat(Frames.header(0x82, true, 126, bigEndian(length, 2)), new byte[length]);

        assertFailedWith1002(server, server.receive(frame), "16-bit length not in shortest form");
    }

    @ParameterizedTest(name = "64-bit length {0}")
    @ValueSource(longs = {0, 125, 126, 65535})
    void sixtyFourBitLengthThatFitsSixteenBitsIs1002(long length) {
        Peer server = Peer.server();
        byte[] frame = Frames.concat(Frames.header(0x82, true, 127, bigEndian(length, 8)), new byte[(int) length]);

        assertFailedWith1002(server, server.receive(frame), "64-bit length not in shortest form");
    }

    @ParameterizedTest(name = "64-bit length 0x{0}")
    @ValueSource(strings = {"8000000000000000", "8000000000010000", "ffffffffffffffff"})
    void sixtyFourBitLengthWithTheTopBitSetIs1002(String hex) {
        Peer server = Peer.server();
        byte[] header = Frames.header(0x82, true, 127, bigEndian(Long.parseUnsignedLong(hex, 16), 8));

        assertFailedWith1002(server, server.receive(header), "64-bit length with the top bit set");
    }

    @Test
    void smallestSixtyFourBitLengthIsAccepted() {
        byte[] payload = Frames.pattern(65536);
        byte[] frame = Frames.concat(Frames.header(0x82, true, 127, bigEndian(65536, 8)),
                Frames.mask(payload, Frames.KEY));

        assertEquals(List.of(new Event.Binary(ByteBuffer.wrap(payload))), Peer.server().receive(frame));
    }

    // ------------------------------------------------------------------ reserved opcodes and bits

    @ParameterizedTest(name = "opcode 0x{0}")
    @ValueSource(ints = {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void reservedOpcodeIs1002(int opcode) {
        Peer server = Peer.server();

        List<Event> events = server.receive(Frames.client(opcode, utf8("x")));

        assertFailedWith1002(server, events, "reserved opcode 0x" + Integer.toHexString(opcode));
        assertThrows(ProtocolException.class, () -> Opcode.of(opcode));
    }

    @Test
    void definedOpcodesMapBothWays() {
        for (Opcode opcode : Opcode.values()) {
            assertEquals(opcode, Opcode.of(opcode.code()));
            assertEquals(opcode.code() >= 8, opcode.isControl());
        }
    }

    @ParameterizedTest(name = "RSV 0x{0}")
    @ValueSource(ints = {0x40, 0x20, 0x10, 0x70})
    void rsvBitsWithoutANegotiatedExtensionAre1002(int rsv) {
        Peer server = Peer.server();

        List<Event> events = server.receive(Frames.frame(true, rsv, TEXT, true, utf8("x")));

        assertFailedWith1002(server, events, "RSV bits set without a negotiated extension");
    }

    @Test
    void rsvBitOfANegotiatedExtensionIsAcceptedAndRoutesTheMessageThroughIt() {
        PassThroughExtension extension = new PassThroughExtension();
        Peer server = new Peer(ConnectionConfig.of(Role.SERVER).withExtensions(List.of(extension)));

        List<Event> events = server.receive(Frames.concat(
                Frames.frame(true, Frames.RSV1, TEXT, true, utf8("via extension")),
                Frames.client(TEXT, utf8("plain"))));

        assertEquals(List.of(new Event.Text("via extension"), new Event.Text("plain")), events);
        assertEquals(1, extension.decodeCalls, "only the RSV1 message goes through the extension");
    }

    @Test
    void rsvBitsThatNoNegotiatedExtensionClaimsAre1002() {
        Peer server = new Peer(ConnectionConfig.of(Role.SERVER).withExtensions(List.of(new PassThroughExtension())));

        List<Event> events = server.receive(Frames.frame(true, Frames.RSV1 | Frames.RSV2, TEXT, true, utf8("x")));

        assertFailedWith1002(server, events, "RSV bits set without a negotiated extension");
    }

    @Test
    void rsvBitsOnAContinuationFrameAre1002() {
        Peer server = new Peer(ConnectionConfig.of(Role.SERVER).withExtensions(List.of(new PassThroughExtension())));

        List<Event> events = server.receive(Frames.concat(
                Frames.frame(false, Frames.RSV1, TEXT, true, utf8("a")),
                Frames.frame(true, Frames.RSV1, CONTINUATION, true, utf8("b"))));

        assertFailedWith1002(server, events, "RSV bits set on a continuation frame");
    }

    @Test
    void nothingIsReadAfterAProtocolError() {
        Peer server = Peer.server();
        byte[] bad = Frames.client(0x3, new byte[0]);

        List<Event> events = server.receive(Frames.concat(bad, Frames.client(TEXT, utf8("ignored"))));
        List<Event> later = server.receive(Frames.client(TEXT, utf8("ignored too")));

        assertEquals(1, events.size());
        assertTrue(events.get(0) instanceof Event.Failure);
        assertEquals(List.of(), later);
    }
}
