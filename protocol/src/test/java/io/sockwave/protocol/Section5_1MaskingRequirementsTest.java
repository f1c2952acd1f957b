package io.sockwave.protocol;

import static io.sockwave.protocol.Frames.BINARY;
import static io.sockwave.protocol.Frames.PING;
import static io.sockwave.protocol.Frames.TEXT;
import static io.sockwave.protocol.Frames.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.PrimitiveIterator;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** RFC 6455 §5.1 (who masks) and §5.3 (where a client's mask keys come from). */
class Section5_1MaskingRequirementsTest {

    @Test
    void serverFailsAnUnmaskedFrameFromAClientWith1002() {
        Peer server = Peer.server();

        List<Event> events = server.receive(Frames.server(TEXT, utf8("hello")));

        assertEquals(1, events.size());
        Event.Failure failure = (Event.Failure) events.get(0);
        assertEquals(CloseCode.PROTOCOL_ERROR, failure.closeCode());
        assertEquals("unmasked frame from client", failure.reason());
        List<Frames.Decoded> out = server.output();
        assertEquals(1, out.size());
        assertEquals(Frames.CLOSE, out.get(0).opcode());
        assertEquals(CloseCode.PROTOCOL_ERROR, out.get(0).closeCode());
        assertFalse(out.get(0).masked(), "§5.1: a server must not mask");
        assertEquals(State.CLOSED, server.state());
        assertTrue(server.connection.shouldCloseTransport());
    }

    @Test
    void serverFailsAnUnmaskedControlFrameFromAClient() {
        Peer server = Peer.server();

        List<Event> events = server.receive(Frames.server(PING, utf8("p")));

        assertEquals(List.of(new Event.Failure(CloseCode.PROTOCOL_ERROR, "unmasked frame from client")), events);
        assertTrue(server.output().stream().noneMatch(f -> f.opcode() == Frames.PONG), "no pong for a bad ping");
    }

    @Test
    void clientFailsAMaskedFrameFromAServerWith1002() {
        Peer client = Peer.client();

        List<Event> events = client.receive(Frames.client(BINARY, new byte[] {1, 2, 3}));

        assertEquals(List.of(new Event.Failure(CloseCode.PROTOCOL_ERROR, "masked frame from server")), events);
        Frames.Decoded close = client.output().get(0);
        assertTrue(close.masked(), "§5.1: the client's failing close frame is masked too");
        assertEquals(CloseCode.PROTOCOL_ERROR, close.closeCode());
    }

    @Test
    void serverAcceptsMaskedFramesAndClientAcceptsUnmaskedOnes() {
        assertEquals(List.of(new Event.Text("hi")), Peer.server().receive(Frames.client(TEXT, utf8("hi"))));
        assertEquals(List.of(new Event.Text("hi")), Peer.client().receive(Frames.server(TEXT, utf8("hi"))));
    }

    @Test
    void clientMasksEveryFrameWithTheNextKeyFromItsSource() {
        PrimitiveIterator.OfInt keys = IntStream.of(0x01020304, 0xA1B2C3D4, 0x00000000, 0xFFFFFFFF, 0x7F80FF01)
                .iterator();
        Connection client = new Connection(ConnectionConfig.of(Role.CLIENT).withMaskKeys(keys::nextInt));

        ByteBuffer text = client.sendText("hello");
        ByteBuffer binary = client.sendBinary(ByteBuffer.wrap(new byte[] {9, 8, 7, 6, 5}));
        ByteBuffer ping = client.ping(ByteBuffer.wrap(utf8("p")));
        ByteBuffer fragment = client.sendFragment(Opcode.TEXT, ByteBuffer.wrap(utf8("ab")), true);
        ByteBuffer close = client.close(CloseCode.NORMAL_CLOSURE, "");

        // The first frame, byte by byte: FIN|TEXT, MASK|5, the key, "hello" XOR 01 02 03 04 01.
        assertArrayEquals(Frames.bytes(0x81, 0x85, 0x01, 0x02, 0x03, 0x04,
                'h' ^ 1, 'e' ^ 2, 'l' ^ 3, 'l' ^ 4, 'o' ^ 1), Frames.toArray(text));
        assertEquals(0xA1B2C3D4, Frames.decode(binary).key());
        assertArrayEquals(new byte[] {9, 8, 7, 6, 5}, Frames.decode(binary).payload());
        assertEquals(0x00000000, Frames.decode(ping).key());
        assertTrue(Frames.decode(ping).masked(), "a zero key still sets the mask bit");
        assertEquals(0xFFFFFFFF, Frames.decode(fragment).key());
        assertEquals(0x7F80FF01, Frames.decode(close).key());
        assertEquals(CloseCode.NORMAL_CLOSURE, Frames.decode(close).closeCode());
    }

    @Test
    void clientMasksTheFramesItOwesThePeer() {
        PrimitiveIterator.OfInt keys = IntStream.of(0x11223344, 0x55667788).iterator();
        Peer client = new Peer(ConnectionConfig.of(Role.CLIENT).withMaskKeys(keys::nextInt));

        client.receive(Frames.concat(Frames.server(PING, utf8("abc")), Frames.server(Frames.CLOSE,
                Frames.closePayload(1000, new byte[0]))));

        List<Frames.Decoded> out = client.output();
        assertEquals(2, out.size());
        // The close reply is encoded as the close arrives; the pong, which a later ping could replace (§5.5.3),
        // only when it is taken, so it draws the second key though it goes out first.
        assertEquals(0x55667788, out.get(0).key());
        assertArrayEquals(utf8("abc"), out.get(0).payload());
        assertEquals(0x11223344, out.get(1).key());
        assertEquals(1000, out.get(1).closeCode());
    }

    @Test
    void serverNeverMasks() {
        Connection server = new Connection(ConnectionConfig.of(Role.SERVER));

        assertArrayEquals(Frames.bytes(0x81, 0x02, 'h', 'i'), Frames.toArray(server.sendText("hi")));
        assertArrayEquals(Frames.bytes(0x89, 0x00), Frames.toArray(server.ping(ByteBuffer.allocate(0))));
    }

    @Test
    void secureSourceGivesAFreshKeyForEveryFrame() {
        Connection client = new Connection(ConnectionConfig.of(Role.CLIENT));
        Set<Integer> keys = new HashSet<>();
        int previous = 0;
        for (int i = 0; i < 2000; i++) {
            int key = Frames.decode(client.sendBinary(ByteBuffer.allocate(4))).key();
            if (i > 0) {
                assertNotEquals(previous, key, "two frames in a row with the same key");
            }
            previous = key;
            keys.add(key);
        }
        // 2000 draws from 2^32 values collide with probability below 0.1%; more than a handful of repeats would mean a
        // weak source.
        assertTrue(keys.size() >= 1995, "only " + keys.size() + " distinct keys in 2000 frames");
    }

    @Test
    void secureSourceGivesDifferentKeysOnDifferentThreads() throws InterruptedException {
        MaskKeySource source = MaskKeySource.secure();
        int[] other = new int[64];
        Thread thread = new Thread(() -> {
            for (int i = 0; i < other.length; i++) {
                other[i] = source.nextKey();
            }
        });
        thread.start();
        thread.join();
        int[] mine = new int[64];
        for (int i = 0; i < mine.length; i++) {
            mine[i] = source.nextKey();
        }
        assertFalse(Arrays.equals(mine, other), "two threads drew the same key sequence");
    }
}
