package io.sockwave.protocol.extension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sockwave.protocol.Connection;
import io.sockwave.protocol.Event;
import io.sockwave.protocol.EventQueue;
import io.sockwave.protocol.Limits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A whole message that deflate cannot shrink goes uncompressed, RSV1 clear (RFC 7692 §6: an endpoint may send any
 * message uncompressed), when it is at least the window's size: it is then the deflater's whole history, so
 * forgetting it costs later messages nothing. A smaller one stays compressed with context takeover, since
 * forgetting it would forget the messages before it too; every message after either still inflates at the peer.
 */
class IncompressibleMessagesTest {
    private static final int FRAME_HEADER_64K = 4;
    private static final int FRAME_HEADER_LONG = 10;

    private static byte[] noise(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static DeflatePeers peers(String serverParameters) {
        PerMessageDeflate server = PerMessageDeflate.builder().threshold(0).build();
        PerMessageDeflate client = PerMessageDeflate.builder().threshold(0)
                .serverNoContextTakeover(serverParameters.contains("server_no_context_takeover"))
                .serverMaxWindowBits(serverParameters.contains("server_max_window_bits=8") ? 8 : 15).build();
        return DeflatePeers.negotiate(client, server, Limits.DEFAULTS);
    }

    private static byte[] received(Connection client, ByteBuffer frame) {
        EventQueue events = new EventQueue();
        client.receive(frame.duplicate(), events);
        List<Event> got = events.drain();
        assertEquals(1, got.size(), got.toString());
        ByteBuffer data = ((Event.Binary) got.get(0)).data();
        byte[] out = new byte[data.remaining()];
        data.get(out);
        return out;
    }

    @ParameterizedTest(name = "{0}, {1} bytes")
    @CsvSource({
        "'', 32768",
        "'', 65535",
        "server_no_context_takeover, 40000",
        "server_max_window_bits=8, 256",
        "server_max_window_bits=8, 5000",
    })
    void aMessageOfAtLeastTheWindowThatDeflateCannotShrinkIsSentAsItIs(String parameters, int length) {
        DeflatePeers peers = peers(parameters);
        try {
            byte[] chat = "{\"from\":\"alice\",\"text\":\"hello, hello, hello\"}".repeat(40)
                    .getBytes(StandardCharsets.UTF_8);
            ByteBuffer before = peers.server().sendBinary(ByteBuffer.wrap(chat));
            assertEquals(0x40, before.get(0) & 0x40, "a compressible message is compressed");
            assertArrayEquals(chat, received(peers.client(), before));

            byte[] random = noise(length, length);
            ByteBuffer frame = peers.server().sendBinary(ByteBuffer.wrap(random));
            assertEquals(0x82, frame.get(0) & 0xFF, "FIN, binary, RSV1 clear");
            int header = length < 126 ? 2 : length <= 0xFFFF ? FRAME_HEADER_64K : FRAME_HEADER_LONG;
            assertEquals(header + length, frame.remaining(), "the payload is the message, byte for byte");
            assertArrayEquals(random, received(peers.client(), frame));

            // The deflater forgot the message the peer never inflated: a message repeating its end, which a
            // deflater that remembered it would refer back to, still inflates at the peer.
            byte[] echo = new byte[200 + chat.length];
            System.arraycopy(random, length - 200, echo, 0, 200);
            System.arraycopy(chat, 0, echo, 200, chat.length);
            for (int i = 0; i < 3; i++) {
                ByteBuffer after = peers.server().sendBinary(ByteBuffer.wrap(echo));
                assertEquals(0x40, after.get(0) & 0x40);
                assertArrayEquals(echo, received(peers.client(), after));
            }
        } finally {
            peers.release();
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @CsvSource({"1000", "20000"})
    void withContextTakeoverASmallerIncompressibleMessageStaysCompressed(int length) {
        DeflatePeers peers = peers("");
        try {
            byte[] random = noise(length, 7);
            ByteBuffer frame = peers.server().sendBinary(ByteBuffer.wrap(random));
            assertEquals(0xC2, frame.get(0) & 0xFF, "FIN, RSV1, binary");
            assertArrayEquals(random, received(peers.client(), frame));
            // The history kept it: the same bytes again compress to a back-reference.
            ByteBuffer again = peers.server().sendBinary(ByteBuffer.wrap(random));
            assertEquals(0xC2, again.get(0) & 0xFF);
            assertEquals(true, again.remaining() < length / 10, again.remaining() + " bytes");
            assertArrayEquals(random, received(peers.client(), again));
        } finally {
            peers.release();
        }
    }
}
