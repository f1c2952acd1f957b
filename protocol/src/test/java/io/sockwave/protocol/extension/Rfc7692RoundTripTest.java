package io.sockwave.protocol.extension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.protocol.Connection;
import io.sockwave.protocol.Event;
import io.sockwave.protocol.EventQueue;
import io.sockwave.protocol.FrameEncoder;
import io.sockwave.protocol.Limits;
import io.sockwave.protocol.Opcode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 7692 end to end through two {@link Connection}s, across every combination of the four parameters. */
class Rfc7692RoundTripTest {

    static Stream<Arguments> parameterCombinations() {
        List<Arguments> all = new ArrayList<>();
        for (boolean serverNoContext : new boolean[] {false, true}) {
            for (boolean clientNoContext : new boolean[] {false, true}) {
                for (int serverBits : new int[] {8, 9, 11, 15}) {
                    for (int clientBits : new int[] {8, 10, 15}) {
                        all.add(Arguments.of(serverNoContext, clientNoContext, serverBits, clientBits));
                    }
                }
            }
        }
        return all.stream();
    }

    /** Messages that compress (repetition reaching back further than small windows) and some that do not. */
    static List<byte[]> messages(long seed) {
        Random random = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        String json = "{\"user\":\"alice\",\"text\":\"hello there\",\"seq\":%d,\"tags\":[\"a\",\"b\"]}";
        for (int i = 0; i < 20; i++) {
            out.add(String.format(json, i).repeat(1 + random.nextInt(40)).getBytes(StandardCharsets.UTF_8));
        }
        byte[] noise = new byte[70_000];
        random.nextBytes(noise);
        out.add(noise);
        byte[] longRepeat = new byte[100_000];
        for (int i = 0; i < longRepeat.length; i++) {
            longRepeat[i] = (byte) "abcdefghij".charAt((i / 700) % 10);
        }
        out.add(longRepeat);
        out.add(new byte[0]);
        return out;
    }

    @ParameterizedTest(name = "server_no_context={0} client_no_context={1} server_bits={2} client_bits={3}")
    @MethodSource("parameterCombinations")
    void messagesSurviveBothDirections(boolean serverNoContext, boolean clientNoContext, int serverBits,
                                       int clientBits) {
        PerMessageDeflate client = PerMessageDeflate.builder().threshold(0).serverNoContextTakeover(serverNoContext)
                .clientNoContextTakeover(clientNoContext).serverMaxWindowBits(serverBits).build();
        PerMessageDeflate server = PerMessageDeflate.builder().threshold(0).clientMaxWindowBits(clientBits).build();
        DeflatePeers peers = DeflatePeers.negotiate(client, server, Limits.DEFAULTS);
        try {
            for (byte[] message : messages(serverBits * 100L + clientBits)) {
                assertDelivered(message, peers.client().sendBinary(ByteBuffer.wrap(message)), peers.server());
                assertDelivered(message, peers.server().sendBinary(ByteBuffer.wrap(message)), peers.client());
            }
        } finally {
            peers.release();
        }
    }

    private static void assertDelivered(byte[] message, ByteBuffer frame, Connection receiver) {
        EventQueue events = new EventQueue();
        receiver.receive(frame, events);
        Event event = events.poll();
        if (!(event instanceof Event.Binary binary)) {
            throw new AssertionError("expected a binary message, got " + event);
        }
        byte[] got = new byte[binary.data().remaining()];
        binary.data().get(got);
        assertArrayEquals(message, got);
    }

    @Test
    void section7_2_1_compressedMessageSplitIntoManyFragmentsIsReassembled() {
        DeflatePeers peers = DeflatePeers.negotiate(PerMessageDeflate.builder().threshold(0).build(),
                PerMessageDeflate.builder().threshold(0).build(), Limits.DEFAULTS);
        String text = "fragmented and compressed, ".repeat(500);
        ByteBuffer compressed = peers.clientExtension().encode(Opcode.TEXT,
                ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))).payload();
        EventQueue events = new EventQueue();
        int piece = 7;
        for (int at = compressed.position(), end = compressed.limit(); at < end; at += piece) {
            boolean first = at == compressed.position();
            boolean last = at + piece >= end;
            ByteBuffer part = compressed.duplicate().position(at).limit(Math.min(end, at + piece));
            peers.server().receive(FrameEncoder.encode(last, first ? Extension.RSV1 : 0,
                    first ? Opcode.TEXT : Opcode.CONTINUATION, part, true, 0x37FA213D), events);
        }
        assertEquals(List.of(new Event.Text(text)), events.drain());
        peers.release();
    }

    /** §7.1.2: a stream made for a window of 2^N bytes must inflate with a window of that size. */
    @ParameterizedTest(name = "server_max_window_bits={0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {8, 9, 10, 12})
    void section7_1_2_1_compressedStreamInflatesWithTheNegotiatedWindow(int bits) throws Exception {
        PerMessageDeflate client = PerMessageDeflate.builder().threshold(0).serverMaxWindowBits(bits).build();
        DeflatePeers peers = DeflatePeers.negotiate(client, PerMessageDeflate.builder().threshold(0).build(),
                Limits.DEFAULTS);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (byte[] message : messages(bits)) {
            Extension.Encoded encoded = peers.serverExtension().encode(Opcode.BINARY, ByteBuffer.wrap(message));
            if (encoded.rsv() == 0) {
                continue; // sent as it is, incompressible (§6): not part of the compressed stream
            }
            ByteBuffer payload = encoded.payload();
            stream.write(payload.array(), payload.arrayOffset() + payload.position(), payload.remaining());
            stream.write(new byte[] {0, 0, (byte) 0xFF, (byte) 0xFF});
            expected.write(message);
        }
        byte[] inflated = PythonZlib.inflate(stream.toByteArray(), bits);
        assertArrayEquals(expected.toByteArray(), inflated);
        peers.release();
    }
}
