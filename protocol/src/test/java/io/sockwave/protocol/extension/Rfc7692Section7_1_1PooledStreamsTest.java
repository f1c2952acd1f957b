package io.sockwave.protocol.extension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.sockwave.protocol.Connection;
import io.sockwave.protocol.ConnectionConfig;
import io.sockwave.protocol.Event;
import io.sockwave.protocol.EventQueue;
import io.sockwave.protocol.Limits;
import io.sockwave.protocol.Opcode;
import io.sockwave.protocol.Role;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * RFC 7692 §7.1.1.1 and §7.1.1.2 with the zlib streams that connections of one factory share: without context
 * takeover, a connection borrows a stream for one message, so messages of different connections, and consecutive
 * messages of one, pass through the same stream one after another. Each message must still start from an empty
 * window: its payload, with {@code 00 00 ff ff} appended, inflates alone in a fresh {@link Inflater}.
 */
class Rfc7692Section7_1_1PooledStreamsTest {
    /** Chat-like messages sharing most of their bytes, so that any history left in a stream would be used. */
    private static String message(int connection, int index) {
        return "{\"type\":\"message\",\"from\":\"user" + connection + "\",\"text\":\"the same words again and again, "
                + "message " + index + "\",\"room\":\"general\"}";
    }

    private static PerMessageDeflate noContextTakeover() {
        return PerMessageDeflate.builder().threshold(0).serverNoContextTakeover(true).clientNoContextTakeover(true)
                .build();
    }

    private static Connection server(PerMessageDeflate factory) {
        Extension extension = factory.accept(factory.offers());
        return new Connection(ConnectionConfig.of(Role.SERVER).withExtensions(List.of(extension)));
    }

    /** §7.2.2: the payload, {@code 00 00 ff ff} appended, inflated by an inflater that saw nothing before. */
    private static String inflateAlone(byte[] payload) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        try {
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            in.writeBytes(payload);
            in.writeBytes(new byte[] {0, 0, (byte) 0xFF, (byte) 0xFF});
            inflater.setInput(in.toByteArray());
            byte[] out = new byte[64 * 1024];
            int n = inflater.inflate(out);
            if (inflater.needsDictionary()) {
                throw new DataFormatException("needs a dictionary");
            }
            return new String(out, 0, n, StandardCharsets.UTF_8);
        } finally {
            inflater.end();
        }
    }

    /** @return the payload of an unmasked server frame whose length fits the 7-bit field */
    private static byte[] serverPayload(ByteBuffer frame) {
        assertEquals(0x40, frame.get(0) & 0x40, "RSV1: compressed");
        int length = frame.get(1) & 0x7F;
        assertEquals(frame.remaining() - 2, length, "a short unmasked frame");
        byte[] payload = new byte[length];
        frame.duplicate().position(frame.position() + 2).get(payload);
        return payload;
    }

    @Test
    void section7_1_1_1_consecutiveMessagesOfInterleavedConnectionsEachInflateAlone() throws Exception {
        PerMessageDeflate factory = noContextTakeover();
        List<Connection> servers = List.of(server(factory), server(factory), server(factory));
        byte[][] firstPayloads = new byte[servers.size()][];
        for (int index = 0; index < 20; index++) {
            for (int c = 0; c < servers.size(); c++) {
                byte[] payload = serverPayload(servers.get(c).sendText(message(c, index)));
                assertEquals(message(c, index), inflateAlone(payload), "connection " + c + ", message " + index);
                if (index == 0) {
                    firstPayloads[c] = payload;
                }
            }
        }
        for (int c = 0; c < servers.size(); c++) {
            // A message sent again after 19 others compresses as it did the first time: nothing carried over.
            assertArrayEquals(firstPayloads[c], serverPayload(servers.get(c).sendText(message(c, 0))));
        }
        servers.forEach(Connection::release);
    }

    @Test
    void section7_1_1_1_withContextTakeoverTheSecondMessageDoesNotInflateAloneWhichThisTestWouldNotice() {
        PerMessageDeflate factory = PerMessageDeflate.builder().threshold(0).build();
        Connection server = server(factory);
        server.sendText(message(0, 0));
        byte[] second = serverPayload(server.sendText(message(0, 1)));
        // It refers back into the first message: a fresh inflater fails or produces something else.
        String alone;
        try {
            alone = inflateAlone(second);
        } catch (DataFormatException expected) {
            alone = null;
        }
        assertNotEquals(message(0, 1), alone);
        server.release();
    }

    @Test
    void section7_1_1_2_clientMessagesWithoutContextTakeoverEachInflateAloneAndTheServerReadsThemAll() {
        PerMessageDeflate clientFactory = noContextTakeover();
        PerMessageDeflate serverFactory = noContextTakeover();
        List<DeflatePeers> pairs = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            pairs.add(DeflatePeers.negotiate(clientFactory, serverFactory, Limits.DEFAULTS));
        }
        for (int index = 0; index < 20; index++) {
            for (int c = 0; c < pairs.size(); c++) {
                EventQueue events = new EventQueue();
                pairs.get(c).server().receive(pairs.get(c).client().sendText(message(c, index)), events);
                assertEquals(List.of(new Event.Text(message(c, index))), events.drain());
            }
        }
        pairs.forEach(DeflatePeers::release);
    }

    /**
     * §6.1 with §7.1.1.1: a message sent in fragments keeps its borrowed stream from its first fragment to its last,
     * while another connection of the same factory sends whole messages in between.
     */
    @Test
    void section6_1_aFragmentedMessageKeepsItsStreamWhileOtherConnectionsSend() throws Exception {
        PerMessageDeflate factory = noContextTakeover();
        Connection fragmenting = server(factory);
        Connection other = server(factory);
        ByteArrayOutputStream fragments = new ByteArrayOutputStream();
        StringBuilder whole = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            String piece = message(0, i);
            whole.append(piece);
            fragments.writeBytes(serverPayloadOfFragment(fragmenting.sendFragment(piece, i == 4)));
            assertEquals(message(1, i), inflateAlone(serverPayload(other.sendText(message(1, i)))));
        }
        assertEquals(whole.toString(), inflateAlone(fragments.toByteArray()));
        fragmenting.release();
        other.release();
    }

    private static byte[] serverPayloadOfFragment(ByteBuffer frame) {
        int length = frame.get(1) & 0x7F;
        byte[] payload = new byte[length];
        frame.duplicate().position(frame.position() + 2).get(payload);
        return payload;
    }

    /** Idle connections hold no zlib stream without context takeover; with it, one per direction used. */
    @Test
    void section7_1_1_idleConnectionsWithoutContextTakeoverHoldNoZlibStream() {
        PerMessageDeflate clientFactory = noContextTakeover();
        PerMessageDeflate serverFactory = noContextTakeover();
        List<DeflatePeers> pairs = new ArrayList<>();
        for (int c = 0; c < 50; c++) {
            DeflatePeers peers = DeflatePeers.negotiate(clientFactory, serverFactory, Limits.DEFAULTS);
            EventQueue events = new EventQueue();
            peers.server().receive(peers.client().sendText(message(c, 0)), events);
            peers.client().receive(peers.server().sendText(message(c, 1)), events);
            assertEquals(2, events.drain().size());
            pairs.add(peers);
        }
        assertEquals(0, serverFactory.streamsInUse(), "server streams between messages");
        assertEquals(0, clientFactory.streamsInUse(), "client streams between messages");

        pairs.get(0).server().sendFragment(Opcode.TEXT, ByteBuffer.wrap(new byte[300]), false);
        assertEquals(1, serverFactory.streamsInUse(), "a message in progress holds its deflater");
        pairs.get(0).server().sendFragment(Opcode.TEXT, ByteBuffer.wrap(new byte[300]), true);
        assertEquals(0, serverFactory.streamsInUse(), "and gives it back with its last fragment");
        pairs.forEach(DeflatePeers::release);

        PerMessageDeflate takeover = PerMessageDeflate.builder().threshold(0).build();
        DeflatePeers kept = DeflatePeers.negotiate(takeover, takeover, Limits.DEFAULTS);
        EventQueue events = new EventQueue();
        kept.server().receive(kept.client().sendText(message(0, 0)), events);
        assertEquals(2, takeover.streamsInUse(), "with context takeover: the client's deflater, the server's inflater");
        kept.release();
        assertEquals(0, takeover.streamsInUse());
    }
}
