package io.sockwave.protocol.extension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sockwave.protocol.Connection;
import io.sockwave.protocol.Event;
import io.sockwave.protocol.EventQueue;
import io.sockwave.protocol.Limits;
import io.sockwave.protocol.Opcode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * RFC 7692 §6.1: a compressed message may be sent in fragments. Its first frame carries RSV1, its continuations do
 * not, and the one DEFLATE stream of the message (§7.2.1, its final {@code 00 00 ff ff} removed) spans their
 * payloads. Messages the application sends through {@link Connection#sendFragment} are compressed this way.
 */
class Rfc7692Section6_1FragmentedCompressionTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    /** One frame read back by hand from the bytes a connection produced. */
    private record WireFrame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {
        static WireFrame parse(ByteBuffer frame) {
            byte[] b = new byte[frame.remaining()];
            frame.duplicate().get(b);
            int length = b[1] & 0x7F;
            int at = 2;
            if (length == 126) {
                length = (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
                at = 4;
            } else if (length == 127) {
                length = (int) ByteBuffer.wrap(b, 2, 8).getLong();
                at = 10;
            }
            boolean masked = (b[1] & 0x80) != 0;
            byte[] key = masked ? Arrays.copyOfRange(b, at, at + 4) : null;
            at += masked ? 4 : 0;
            assertEquals(at + length, b.length, "one whole frame");
            byte[] payload = Arrays.copyOfRange(b, at, b.length);
            for (int i = 0; masked && i < payload.length; i++) {
                payload[i] ^= key[i % 4];
            }
            return new WireFrame((b[0] & 0x80) != 0, b[0] & 0x70, b[0] & 0x0F, masked, payload);
        }
    }

    private static PerMessageDeflate deflate(boolean noContextTakeover, int serverWindowBits) {
        return PerMessageDeflate.builder().serverNoContextTakeover(noContextTakeover)
                .clientNoContextTakeover(noContextTakeover).serverMaxWindowBits(serverWindowBits).build();
    }

    private static DeflatePeers peers(boolean noContextTakeover) {
        return DeflatePeers.negotiate(deflate(noContextTakeover, 15), deflate(noContextTakeover, 15), Limits.DEFAULTS);
    }

    /** Sends {@code message} cut at {@code sizes} (the rest, if any, is the last fragment). */
    private static List<ByteBuffer> sendInFragments(Connection sender, Opcode type, byte[] message, int... sizes) {
        List<ByteBuffer> frames = new ArrayList<>();
        int at = 0;
        for (int size : sizes) {
            frames.add(sender.sendFragment(type, ByteBuffer.wrap(message, at, size), false));
            at += size;
        }
        frames.add(sender.sendFragment(type, ByteBuffer.wrap(message, at, message.length - at), true));
        return frames;
    }

    private static List<Event> deliver(Connection receiver, List<ByteBuffer> frames) {
        EventQueue events = new EventQueue();
        for (ByteBuffer frame : frames) {
            receiver.receive(frame.duplicate(), events);
        }
        return events.drain();
    }

    private static List<WireFrame> parse(List<ByteBuffer> frames) {
        return frames.stream().map(WireFrame::parse).toList();
    }

    /** §6.1: RSV1 on the first frame only; the opcode on the first, continuations after; FIN on the last only. */
    private static void assertCompressedFragments(Opcode type, boolean masked, List<WireFrame> frames) {
        for (int i = 0; i < frames.size(); i++) {
            WireFrame frame = frames.get(i);
            assertEquals(i == 0 ? Extension.RSV1 : 0, frame.rsv(), "RSV bits of frame " + i);
            assertEquals(i == 0 ? type.code() : Opcode.CONTINUATION.code(), frame.opcode(), "opcode of frame " + i);
            assertEquals(i == frames.size() - 1, frame.fin(), "FIN of frame " + i);
            assertEquals(masked, frame.masked(), "§5.3: a client masks every frame, a server none");
        }
    }

    /** The message's DEFLATE stream: its frames' payloads in order, with the removed tail put back (§7.2.2). */
    private static byte[] streamOf(List<WireFrame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(f -> out.writeBytes(f.payload()));
        out.writeBytes(TAIL);
        return out.toByteArray();
    }

    private static byte[] compressible(int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) "abcdefghij".charAt((i / 700) % 10);
        }
        return out;
    }

    /** Noise that repeats every {@code period} bytes: it compresses only by references reaching that far back. */
    private static byte[] periodicNoise(int length, int period) {
        byte[] block = new byte[period];
        new Random(period).nextBytes(block);
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = block[i % period];
        }
        return out;
    }

    @Test
    void section6_1_helloInTwoFragmentsIsOneDeflateStreamWithItsFlushTailMovedToTheNextFrame() {
        DeflatePeers peers = peers(false);
        List<ByteBuffer> frames = sendInFragments(peers.server(), Opcode.TEXT, "Hello".getBytes(), 3);
        // "Hel" then "lo", each SYNC_FLUSHed: f2 48 cd 01 00 | 00 00 ff ff, then ca c9 07 00 | 00 00 ff ff. Each
        // frame holds back the 00 00 ff ff its flush ended with; the last frame drops it (§7.2.1).
        assertEquals("41 05 f2 48 cd 01 00", HEX.formatHex(bytes(frames.get(0))));
        assertEquals("80 08 00 00 ff ff ca c9 07 00", HEX.formatHex(bytes(frames.get(1))));
        assertEquals(List.of(new Event.Text("Hello")), deliver(peers.client(), frames));
        peers.release();
    }

    @ParameterizedTest(name = "no_context_takeover={0}")
    @ValueSource(booleans = {false, true})
    void section6_1_serverToClientTextAndBinaryInFragmentsArriveWhole(boolean noContextTakeover) {
        DeflatePeers peers = peers(noContextTakeover);
        String text = "fragmented and compressed, \u00e9t\u00e9 \uD83D\uDE00 ".repeat(300);
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        // 1001 cuts the emoji's four UTF-8 bytes apart: fragments of text need not end on a character.
        List<ByteBuffer> frames = sendInFragments(peers.server(), Opcode.TEXT, utf8, 1001, 5, 4000);
        assertCompressedFragments(Opcode.TEXT, false, parse(frames));
        assertEquals(List.of(new Event.Text(text)), deliver(peers.client(), frames));

        byte[] binary = compressible(50_000);
        frames = sendInFragments(peers.server(), Opcode.BINARY, binary, 20_000, 20_000);
        assertCompressedFragments(Opcode.BINARY, false, parse(frames));
        assertEquals(List.of(new Event.Binary(ByteBuffer.wrap(binary))), deliver(peers.client(), frames));
        peers.release();
    }

    @ParameterizedTest(name = "no_context_takeover={0}")
    @ValueSource(booleans = {false, true})
    void section6_1_clientToServerFragmentsAreMaskedCompressedAndArriveWhole(boolean noContextTakeover) {
        DeflatePeers peers = peers(noContextTakeover);
        byte[] binary = compressible(30_000);
        List<ByteBuffer> frames = sendInFragments(peers.client(), Opcode.BINARY, binary, 1, 10_000, 0, 7_000);
        List<WireFrame> wire = parse(frames);
        assertCompressedFragments(Opcode.BINARY, true, wire);
        assertTrue(streamOf(wire).length < binary.length / 20, "compressed to " + streamOf(wire).length);
        assertEquals(List.of(new Event.Binary(ByteBuffer.wrap(binary))), deliver(peers.server(), frames));

        String text = "client text ".repeat(1000);
        frames = sendInFragments(peers.client(), Opcode.TEXT, text.getBytes(StandardCharsets.UTF_8), 6000);
        assertCompressedFragments(Opcode.TEXT, true, parse(frames));
        assertEquals(List.of(new Event.Text(text)), deliver(peers.server(), frames));
        peers.release();
    }

    /** §7.1.1: with context takeover the second message refers back into the first; without, it stands alone. */
    @ParameterizedTest(name = "no_context_takeover={0}")
    @ValueSource(booleans = {false, true})
    void section7_1_1_contextTakeoverSpansFragmentedMessagesOnlyWhenNegotiated(boolean noContextTakeover) {
        DeflatePeers peers = peers(noContextTakeover);
        byte[] message = "a sentence that repeats across messages; ".repeat(20).getBytes(StandardCharsets.UTF_8);
        List<ByteBuffer> first = sendInFragments(peers.server(), Opcode.BINARY, message, 300);
        List<ByteBuffer> second = sendInFragments(peers.server(), Opcode.BINARY, message, 300);
        byte[] firstStream = streamOf(parse(first));
        byte[] secondStream = streamOf(parse(second));
        if (noContextTakeover) {
            assertArrayEquals(firstStream, secondStream, "each message compressed from an empty history");
        } else {
            assertTrue(secondStream.length < firstStream.length / 2,
                    "the second message refers back into the first: " + secondStream.length + " vs "
                            + firstStream.length + " bytes");
        }
        List<Event> events = deliver(peers.client(), first);
        events.addAll(deliver(peers.client(), second));
        assertEquals(List.of(new Event.Binary(ByteBuffer.wrap(message)), new Event.Binary(ByteBuffer.wrap(message))),
                events);
        peers.release();
    }

    /**
     * §7.1.2.1: with server_max_window_bits=9 no back-reference may reach more than 512 bytes back, in fragmented
     * messages as in whole ones and across messages with context takeover; zlib limited to that window must inflate
     * the whole stream. Fragments shorter than the window make the window's count run across fragments; the
     * content repeats every 400 bytes (within the window, so it compresses) and every 700 (beyond it).
     */
    @ParameterizedTest(name = "no_context_takeover={0}")
    @ValueSource(booleans = {false, true})
    void section7_1_2_1_fragmentedStreamInflatesWithASmallNegotiatedWindow(boolean noContextTakeover)
            throws Exception {
        DeflatePeers peers = DeflatePeers.negotiate(deflate(noContextTakeover, 9),
                PerMessageDeflate.builder().serverNoContextTakeover(noContextTakeover).build(), Limits.DEFAULTS);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        List<Event> events = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            byte[] message = m == 1 ? periodicNoise(20_000, 400) : periodicNoise(20_000 + m, 700);
            List<ByteBuffer> frames = sendInFragments(peers.server(), Opcode.BINARY, message,
                    300, 300, 1, 0, 511, 512, 513, 5000);
            assertCompressedFragments(Opcode.BINARY, false, parse(frames));
            stream.writeBytes(streamOf(parse(frames)));
            expected.writeBytes(message);
            events.addAll(deliver(peers.client(), frames));
            assertEquals(new Event.Binary(ByteBuffer.wrap(message)), events.get(m));
        }
        assertArrayEquals(expected.toByteArray(), PythonZlib.inflate(stream.toByteArray(), 9));
        peers.release();
    }

    @Test
    void section7_2_3_6_emptyFragmentsAnywhereInAMessage() throws Exception {
        DeflatePeers peers = peers(false);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        // Empty first, middle and last fragments around data.
        byte[] message = "Hello, Hello, Hello".getBytes(StandardCharsets.UTF_8);
        List<ByteBuffer> frames = new ArrayList<>();
        frames.add(peers.server().sendFragment(Opcode.TEXT, ByteBuffer.allocate(0), false));
        frames.add(peers.server().sendFragment(Opcode.TEXT, ByteBuffer.wrap(message, 0, 7), false));
        frames.add(peers.server().sendFragment(Opcode.TEXT, ByteBuffer.allocate(0), false));
        frames.add(peers.server().sendFragment(Opcode.TEXT, ByteBuffer.wrap(message, 7, 12), false));
        frames.add(peers.server().sendFragment(Opcode.TEXT, ByteBuffer.allocate(0), true));
        List<WireFrame> wire = parse(frames);
        assertCompressedFragments(Opcode.TEXT, false, wire);
        // An empty last fragment makes zlib emit nothing: the final frame is empty, and the stream must still end
        // with the 00 00 ff ff the receiver appends, not twice.
        assertEquals(0, wire.get(4).payload().length);
        stream.writeBytes(streamOf(wire));
        assertEquals(List.of(new Event.Text("Hello, Hello, Hello")), deliver(peers.client(), frames));

        // A message made of empty fragments only: the one-byte empty form of §7.2.3.6 across its frames.
        List<ByteBuffer> empty = List.of(peers.server().sendFragment(Opcode.BINARY, ByteBuffer.allocate(0), false),
                peers.server().sendFragment(Opcode.BINARY, ByteBuffer.allocate(0), true));
        List<WireFrame> emptyWire = parse(empty);
        assertCompressedFragments(Opcode.BINARY, false, emptyWire);
        assertEquals("00", HEX.formatHex(Arrays.copyOf(streamOf(emptyWire), streamOf(emptyWire).length - 4)));
        stream.writeBytes(streamOf(emptyWire));
        assertEquals(List.of(new Event.Binary(ByteBuffer.allocate(0))), deliver(peers.client(), empty));

        // The next message still shares the window: the stream so far is one valid DEFLATE stream.
        List<ByteBuffer> after = sendInFragments(peers.server(), Opcode.TEXT, message, 4);
        stream.writeBytes(streamOf(parse(after)));
        assertEquals(List.of(new Event.Text("Hello, Hello, Hello")), deliver(peers.client(), after));
        assertEquals("Hello, Hello, HelloHello, Hello, Hello",
                new String(PythonZlib.inflate(stream.toByteArray(), 15), StandardCharsets.UTF_8));
        peers.release();
    }

    @Test
    void rfc6455_section5_4_pingBetweenFragmentsIsSentAsIsAndTheMessageArrivesWhole() {
        DeflatePeers peers = peers(false);
        byte[] message = compressible(10_000);
        List<ByteBuffer> frames = new ArrayList<>();
        frames.add(peers.client().sendFragment(Opcode.BINARY, ByteBuffer.wrap(message, 0, 4000), false));
        ByteBuffer ping = peers.client().ping(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
        frames.add(ping);
        frames.add(peers.client().sendFragment(Opcode.BINARY, ByteBuffer.wrap(message, 4000, 6000), true));
        WireFrame pingFrame = WireFrame.parse(ping);
        assertEquals(Opcode.PING.code(), pingFrame.opcode());
        assertEquals(0, pingFrame.rsv(), "§6: control frames are never compressed");
        assertEquals("ping", new String(pingFrame.payload(), StandardCharsets.US_ASCII));
        assertCompressedFragments(Opcode.BINARY, true, parse(List.of(frames.get(0), frames.get(2))));
        assertEquals(List.of(new Event.Ping(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII))),
                new Event.Binary(ByteBuffer.wrap(message))), deliver(peers.server(), frames));
        peers.release();
    }

    @Test
    void rfc6455_section5_4_aWholeMessageInsideAFragmentedOneIsRefusedAndTheStreamStaysIntact() {
        DeflatePeers peers = peers(false);
        byte[] message = compressible(5000);
        List<ByteBuffer> frames = new ArrayList<>();
        frames.add(peers.server().sendFragment(Opcode.TEXT, ByteBuffer.wrap(message, 0, 2000), false));
        assertThrows(IllegalStateException.class, () -> peers.server().sendText("interloper ".repeat(50)));
        assertThrows(IllegalStateException.class, () -> peers.server().sendBinary(ByteBuffer.allocate(500)));
        assertThrows(IllegalStateException.class,
                () -> peers.server().sendFragment(Opcode.BINARY, ByteBuffer.allocate(500), true));
        frames.add(peers.server().sendFragment(Opcode.TEXT, ByteBuffer.wrap(message, 2000, 3000), true));
        assertEquals(List.of(new Event.Text(new String(message, StandardCharsets.US_ASCII))),
                deliver(peers.client(), frames));
        // Once the fragmented message is over, whole messages go again, compressed on the same stream.
        ByteBuffer whole = peers.server().sendText("after ".repeat(50));
        assertEquals(Extension.RSV1, WireFrame.parse(whole).rsv());
        assertEquals(List.of(new Event.Text("after ".repeat(50))), deliver(peers.client(), List.of(whole)));
        peers.release();
    }

    /**
     * §6.1 leaves it to the sender whether to compress; the threshold is a whole-message notion. A message in
     * several fragments is compressed however small, since its size is unknown when its first frame goes out; a
     * single fragment that is also the last is a whole message and follows the threshold.
     */
    @Test
    void section6_1_theThresholdAppliesToAFragmentThatIsAWholeMessageOnly() {
        PerMessageDeflate factory = PerMessageDeflate.builder().threshold(128).build();
        DeflatePeers peers = DeflatePeers.negotiate(factory, factory, Limits.DEFAULTS);
        WireFrame single = WireFrame.parse(peers.server().sendFragment(Opcode.TEXT, ByteBuffer.wrap(
                "Hello".getBytes(StandardCharsets.US_ASCII)), true));
        assertEquals(0, single.rsv());
        assertEquals("Hello", new String(single.payload(), StandardCharsets.US_ASCII));
        List<ByteBuffer> small = sendInFragments(peers.server(), Opcode.TEXT,
                "Hello".getBytes(StandardCharsets.US_ASCII), 2);
        assertCompressedFragments(Opcode.TEXT, false, parse(small));
        assertFalse(Arrays.equals("llo".getBytes(StandardCharsets.US_ASCII), parse(small).get(1).payload()));
        assertEquals(List.of(new Event.Text("Hello")), deliver(peers.client(), small));
        peers.release();
    }

    private static byte[] bytes(ByteBuffer frame) {
        byte[] out = new byte[frame.remaining()];
        frame.duplicate().get(out);
        return out;
    }
}
