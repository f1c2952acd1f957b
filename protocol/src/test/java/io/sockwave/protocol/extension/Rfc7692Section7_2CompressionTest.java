package io.sockwave.protocol.extension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.sockwave.protocol.CloseCode;
import io.sockwave.protocol.Connection;
import io.sockwave.protocol.ConnectionConfig;
import io.sockwave.protocol.Event;
import io.sockwave.protocol.EventQueue;
import io.sockwave.protocol.Role;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 7692 §7.2: compression and decompression, byte for byte against the examples of §7.2.3. */
class Rfc7692Section7_2CompressionTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    /** @return permessage-deflate that compresses every message, however small (a threshold of 0) */
    private static PerMessageDeflate compressingEveryMessage() {
        return PerMessageDeflate.builder().threshold(0).build();
    }

    private static Connection serverWith(PerMessageDeflate factory, String offer) {
        Extension extension = factory.accept(List.of(DeflatePeers.offer(offer)));
        return new Connection(ConnectionConfig.of(Role.SERVER).withExtensions(List.of(extension)));
    }

    /** A client that accepted a plain permessage-deflate response; it reads unmasked server frames. */
    private static Connection client() {
        PerMessageDeflate factory = compressingEveryMessage();
        Extension extension = factory.accepted(DeflatePeers.offer("permessage-deflate"));
        return new Connection(ConnectionConfig.of(Role.CLIENT).withExtensions(List.of(extension)));
    }

    private static byte[] bytes(ByteBuffer frame) {
        byte[] out = new byte[frame.remaining()];
        frame.duplicate().get(out);
        return out;
    }

    private static List<Event> receive(Connection connection, String... hexFrames) {
        EventQueue events = new EventQueue();
        for (String frame : hexFrames) {
            connection.receive(ByteBuffer.wrap(HEX.parseHex(frame)), events);
        }
        return events.drain();
    }

    private static void assertFailure(int expectedCloseCode, Event event) {
        assertEquals(expectedCloseCode, assertInstanceOf(Event.Failure.class, event).closeCode());
    }

    @Test
    void section7_2_3_1_helloIsCompressedToTheRfcBytesWithRsv1() {
        Connection server = serverWith(compressingEveryMessage(), "permessage-deflate");
        assertEquals("c1 07 f2 48 cd c9 c9 07 00", HEX.formatHex(bytes(server.sendText("Hello"))));
    }

    @Test
    void section7_2_3_2_secondHelloReusesTheSlidingWindow() {
        Connection server = serverWith(compressingEveryMessage(), "permessage-deflate");
        server.sendText("Hello");
        assertEquals("c1 05 f2 00 11 00 00", HEX.formatHex(bytes(server.sendText("Hello"))));
    }

    @Test
    void section7_1_1_1_withoutContextTakeoverEachMessageStandsAlone() {
        Connection server = serverWith(compressingEveryMessage(),
                "permessage-deflate; server_no_context_takeover");
        server.sendText("Hello");
        assertEquals("c1 07 f2 48 cd c9 c9 07 00", HEX.formatHex(bytes(server.sendText("Hello"))));
    }

    @Test
    void section7_2_3_1_unfragmentedCompressedMessageIsInflated() {
        assertEquals(List.of(new Event.Text("Hello")),
                receive(client(), "c1 07 f2 48 cd c9 c9 07 00"));
    }

    @Test
    void section7_2_3_1_fragmentedCompressedMessageHasRsv1OnTheFirstFrameOnly() {
        assertEquals(List.of(new Event.Text("Hello")),
                receive(client(), "41 03 f2 48 cd", "80 04 c9 c9 07 00"));
    }

    @Test
    void section7_2_3_2_messagesSharingTheWindowAreInflated() {
        assertEquals(List.of(new Event.Text("Hello"), new Event.Text("Hello")),
                receive(client(), "c1 07 f2 48 cd c9 c9 07 00", "c1 05 f2 00 11 00 00"));
    }

    @Test
    void section7_2_3_3_storedBlockIsInflated() {
        assertEquals(List.of(new Event.Text("Hello")),
                receive(client(), "c1 0b 00 05 00 fa ff 48 65 6c 6c 6f 00"));
    }

    /**
     * The next message is §7.2.3.1's, a stream of its own; {@link Rfc7692Section7_2_3_4FinalBlockTest} has data after
     * the final block and streams that refer back across it.
     */
    @Test
    void section7_2_3_4_blockWithBfinalSetThenTheOctetThatStartsAnEmptyStoredBlock() {
        assertEquals(List.of(new Event.Text("Hello"), new Event.Text("Hello")),
                receive(client(), "c1 08 f3 48 cd c9 c9 07 00 00", "c1 07 f2 48 cd c9 c9 07 00"));
    }

    @Test
    void section7_2_3_5_twoDeflateBlocksInOneMessage() {
        assertEquals(List.of(new Event.Text("Hello")),
                receive(client(), "c1 0d f2 48 05 00 00 00 ff ff ca c9 c9 07 00"));
    }

    @Test
    void section7_2_3_6_emptyMessageCompressesAndInflates() {
        DeflatePeers peers = DeflatePeers.negotiate(compressingEveryMessage(),
                compressingEveryMessage(), io.sockwave.protocol.Limits.DEFAULTS);
        ByteBuffer frame = peers.server().sendText("");
        assertEquals(0x40, frame.get(0) & 0x40, "RSV1 set on a compressed empty message");
        EventQueue events = new EventQueue();
        peers.client().receive(frame, events);
        assertEquals(List.of(new Event.Text("")), events.drain());
        peers.release();
    }

    @Test
    void section7_2_3_1_uncompressedMessageWithoutRsv1PassesThrough() {
        assertEquals(List.of(new Event.Text("Hello")),
                receive(client(), "81 05 48 65 6c 6c 6f"));
    }

    @Test
    void section6_1_messagesBelowTheThresholdAreSentUncompressed() {
        Connection server = serverWith(PerMessageDeflate.builder().threshold(6).build(), "permessage-deflate");
        assertEquals("81 05 48 65 6c 6c 6f", HEX.formatHex(bytes(server.sendText("Hello"))));
        assertEquals(0x40, bytes(server.sendText("Hello!"))[0] & 0x40);
    }

    /** The default threshold that README.md and {@link PerMessageDeflate.Builder#threshold} state: 128 bytes. */
    @Test
    void section6_byDefaultMessagesUnder128BytesAreSentUncompressed() {
        Connection server = serverWith(PerMessageDeflate.defaults(), "permessage-deflate");
        assertEquals(0x81, bytes(server.sendText("a".repeat(127)))[0] & 0xFF);
        assertEquals(0xC1, bytes(server.sendText("a".repeat(128)))[0] & 0xFF);
    }

    @Test
    void section6_rsv1OnAContinuationFrameFailsWith1002() {
        List<Event> events = receive(client(), "41 03 f2 48 cd", "c0 04 c9 c9 07 00");
        assertFailure(CloseCode.PROTOCOL_ERROR, events.get(0));
    }

    @Test
    void section6_rsv1OnAControlFrameFailsWith1002() {
        List<Event> events = receive(client(), "c9 00");
        assertFailure(CloseCode.PROTOCOL_ERROR, events.get(0));
    }

    @Test
    void rfc6455_section5_2_rsv2StaysReservedWhenOnlyDeflateIsNegotiated() {
        List<Event> events = receive(client(), "a1 05 48 65 6c 6c 6f");
        assertFailure(CloseCode.PROTOCOL_ERROR, events.get(0));
    }

    @Test
    void corruptCompressedDataFailsWith1007() {
        List<Event> events = receive(client(), "c1 03 ff ff ff");
        assertFailure(CloseCode.INVALID_PAYLOAD_DATA, events.get(0));
    }

    @Test
    void rfc6455_section8_1_invalidUtf8InsideCompressedTextFailsWith1007() {
        DeflatePeers peers = DeflatePeers.negotiate(compressingEveryMessage(),
                compressingEveryMessage(), io.sockwave.protocol.Limits.DEFAULTS);
        // A binary message's bytes compressed, then sent with the TEXT opcode: the payload is not UTF-8.
        ByteBuffer compressed = peers.serverExtension().encode(io.sockwave.protocol.Opcode.BINARY,
                ByteBuffer.wrap(new byte[] {'a', (byte) 0xC0, (byte) 0xAF})).payload();
        ByteBuffer frame = io.sockwave.protocol.FrameEncoder.encode(true, Extension.RSV1,
                io.sockwave.protocol.Opcode.TEXT, compressed, false, 0);
        EventQueue events = new EventQueue();
        peers.client().receive(frame, events);
        assertFailure(CloseCode.INVALID_PAYLOAD_DATA, events.poll());
        peers.release();
    }

    @Test
    void controlFramesAreNeverCompressed() {
        Connection server = serverWith(compressingEveryMessage(), "permessage-deflate");
        byte[] ping = bytes(server.ping(ByteBuffer.wrap("Hello".getBytes())));
        assertArrayEquals(HEX.parseHex("89 05 48 65 6c 6c 6f"), ping);
        byte[] close = bytes(server.close(1000, ""));
        assertArrayEquals(HEX.parseHex("88 02 03 e8"), close);
    }
}
